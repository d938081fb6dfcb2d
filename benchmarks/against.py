"""The same figures for an earlier commit and for this working tree, measured in one run.

A shared or busy machine moves every timing by tens of percent from one minute to the next,
so a before/after comparison is only fair when both are measured together: this exports REV
(`git archive`) and copies the working tree into a temporary folder, then takes turns between
the two, with the same Python and installed dependencies, for:
  pipeline  in-process `render(load_bulletin(path))` with the Markdown caches cleared (median ms);
  warm      the same with the caches kept;
  check     in-process `check_file(path)`, caches cleared;
  build     the whole `bulletin build EXAMPLE --out TMP` process;
  help      the whole `bulletin --help` process;
  preview   with --preview, `bulletin preview` save to screen in Chromium (benchmarks/preview.py);
and, with --instructions, the instructions one `bulletin build` process executes, counted by
valgrind's callgrind (the same on every run, whatever the machine's load).

Run: .venv/bin/python benchmarks/against.py REV [--rounds N] [--preview] [--instructions]
       [EXAMPLE.yaml]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from io import BytesIO
from pathlib import Path

from timing import bytecode, processes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PER_ROUND = 20  # in-process runs per child process

CHILD = """
import json, sys, time
from pathlib import Path
from bulletin.checks import check_file
from bulletin.compose import markdown
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin
path, n = Path(sys.argv[1]), int(sys.argv[2])
def ms(func, clear):
    for _ in range(5):
        func()
    times = []
    for _ in range(n):
        if clear:
            markdown.clear_cache()
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return times
print(json.dumps({
    "pipeline": ms(lambda: render(load_bulletin(path)), True),
    "warm": ms(lambda: render(load_bulletin(path)), False),
    "check": ms(lambda: check_file(path), True),
}))
"""


def export(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True)
    if archive.returncode:
        raise SystemExit(f"git archive {rev}: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def copy_working_tree(into: Path) -> Path:
    """This working tree's files (committed or not, but not those git ignores) in `into`:
    both sides then run from fresh copies alike. Measured in place, the working tree came out
    up to 30% slower than an export of the very same commit."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True, check=True,
    )  # fmt: skip
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet committed is listed, and absent
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


def env_for(tree: Path) -> dict[str, str]:
    """This Python's environment with `tree` first on the path, so its `bulletin` is imported."""
    return {**os.environ, "PYTHONPATH": str(tree)}


def write_console_script(tree: Path) -> None:
    """`tree`'s `bulletin` command, as pip would write it from the tree's pyproject."""
    entry = tomllib.loads((tree / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = entry["bulletin"].partition(":")
    script = tree / ".bin" / "bulletin"
    script.parent.mkdir(exist_ok=True)
    script.write_text(
        f"#!{sys.executable}\nimport sys\nfrom {module} import {function}\nsys.exit({function}())\n"
    )
    script.chmod(0o755)


def command(tree: Path, *args: str) -> list[str]:
    """`bulletin ARGS` through `tree`'s console script."""
    return [str(tree / ".bin" / "bulletin"), *args]


def child_output(name: str, tree: Path, *args: str) -> str:
    """The last line a Python child with `tree`'s `bulletin` prints; its error stops us."""
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env_for(tree), cwd=tree
    )
    if done.returncode:
        raise SystemExit(f"{name}: {done.stderr.strip().splitlines()[-1]}")
    return done.stdout.splitlines()[-1]


def in_tree(tree: Path, path: Path) -> Path:
    """The example as `tree` has it: an issue's project (this repository) brings its own
    sections and templates, so each side must render its own copy of them."""
    return tree / path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def in_process(trees: dict[str, Path], path: Path, rounds: int) -> dict[str, dict[str, float]]:
    times: dict[str, dict[str, list[float]]] = {name: {} for name in trees}
    for _ in range(rounds):
        for name, tree in trees.items():
            output = child_output(name, tree, "-c", CHILD, str(in_tree(tree, path)), str(PER_ROUND))
            for figure, values in json.loads(output).items():
                times[name].setdefault(figure, []).extend(values)
    return {n: {f: statistics.median(v) for f, v in t.items()} for n, t in times.items()}


def whole(trees: dict[str, Path], path: Path, runs: int, out: Path) -> dict[str, float]:
    commands = {}
    for name, tree in trees.items():
        example = str(in_tree(tree, path))
        commands[f"build {name}"] = command(tree, "build", example, "--out", str(out))
        commands[f"help {name}"] = command(tree, "--help")
    envs = {key: env_for(trees[key.split(" ", 1)[1]]) for key in commands}
    return {k: v[0] for k, v in processes(commands, runs, envs=envs).items()}


def preview(trees: dict[str, Path], rounds: int) -> dict[str, float]:
    """Median save-to-screen, in turns of 10 saves each: the same benchmark (this tree's)
    previewing with each tree's `bulletin`."""
    script = trees["after"] / "benchmarks" / "preview.py"
    times: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(rounds):
        for name, tree in trees.items():
            times[name] += json.loads(
                child_output(name, tree, str(script), "--repeat", "10", "--json")
            )
    return {name: statistics.median(values) for name, values in times.items()}


def instructions(tree: Path, path: Path, out: Path) -> int | None:
    if not shutil.which("valgrind"):
        return None
    log = out / "callgrind.out"
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={log}"]
    cmd += command(tree, "build", str(in_tree(tree, path)), "--out", str(out))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env_for(tree))
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found[1]) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the earlier commit (a branch, tag or hash)")
    parser.add_argument("example", nargs="?", type=Path, help="default: the largest example")
    parser.add_argument("--rounds", type=int, default=5, help="turns of in-process runs")
    parser.add_argument("--runs", type=int, default=15, help="whole-process runs of each")
    parser.add_argument("--preview", action="store_true", help="also time the preview's saves")
    parser.add_argument("--instructions", action="store_true", help="also count with callgrind")
    args = parser.parse_args()
    path = (args.example or max(EXAMPLES.glob("*.yaml"), key=lambda p: p.stat().st_size)).resolve()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        trees = {
            "before": export(args.rev, tmp / "before"),
            "after": copy_working_tree(tmp / "after"),
        }
        for tree in trees.values():
            bytecode(tree)
            write_console_script(tree)
        figures = in_process(trees, path, args.rounds)
        procs = whole(trees, path, args.runs, tmp / "out")
        previews = preview(trees, args.rounds) if args.preview else {}
        counts = (
            {n: instructions(t, path, tmp / "out") for n, t in trees.items()}
            if args.instructions
            else {}
        )
    print(f"{path.name}: {args.rev} (before) and the working tree (after), taken in turn")
    print(f"{'figure':<30} {'before':>12} {'after':>12} {'after/before':>13}")
    rows = [
        (f"{f} ms (in-process)", figures["before"][f], figures["after"][f])
        for f in figures["after"]
    ]
    rows += [
        (f"{k} ms (process)", procs[f"{k} before"], procs[f"{k} after"]) for k in ("build", "help")
    ]
    if previews:
        rows.append(("preview ms (save to screen)", previews["before"], previews["after"]))
    if counts and None not in counts.values():
        rows.append(("build instructions (callgrind)", counts["before"], counts["after"]))
    for name, before, after in rows:
        fmt = ",.0f" if before > 1e6 else ".1f"
        print(f"{name:<30} {before:>12{fmt}} {after:>12{fmt}} {after / before:>13.2f}")
    print(json.dumps({"rev": args.rev, "example": path.name, "rows": rows}))


if __name__ == "__main__":
    main()
