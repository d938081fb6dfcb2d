"""Render speed and output size of the example bulletins, against the project's targets.

For each example this measures, in milliseconds:
  pipeline  in-process `render(load_bulletin(path))`: load, validate, Jinja -> MJML,
            mjml-python, css-inline and the plain-text part (median and p90 of --repeat runs),
            with the Markdown caches cleared before each run, so every text is parsed afresh
            (modules are imported and templates compiled already);
  warm      the same with the Markdown caches left warm, as when the preview re-renders an
            issue after a small edit;
  mjml-py   mjml-python alone on the same MJML (`mjml2html(src, disable_comments=True, fonts={})`);
  mjml X    the reference JavaScript renderer, npm `mjml` X (5.4.1, the latest, and 4.18.0, the
            last 4.x), on the same MJML, warm, in one node process;
  build     the whole `bulletin build EXAMPLE --out TMP` process, as an editor waits for it;
and the sizes: bytes of HTML and text, and HTML bytes per visible word (words of the HTML once
<head>, <style>, comments, tags and *|MERGE|* tags are removed). On the largest example it also
times, as whole processes taken in turn, `bulletin --help` and each reference's command line
compiling the same MJML file (`mjml issue.mjml -o out.html`).

Under the two speed targets it prints the floor of the stack the design card fixes, the least
any pipeline built on it must spend, measured in the same run:
  in-process  libyaml reading the issue file plus mjml-python rendering its MJML (no
              validation, no Markdown, no Jinja, no inlining);
  process     Python importing PyYAML, Jinja2, mjml-python and pydantic's BaseModel, and
              doing nothing else.
A target below its floor cannot be met by any change to this project's own code.

npm installs each reference once into benchmarks/.node/mjml-X/ (not in git; needs node, npm and
the registry once); without them the reference figures read `n/a`.

Targets, on the largest example: the pipeline at most 1/10 of mjml 5.4.1's in-process render,
so the preview stays instant; `bulletin build` at most 1/4 of the mjml 5.4.1 command line's wall
time, and `bulletin --help` under 80 ms; HTML at most 80 KB (Gmail clips a message over 102 KB,
hiding the footer and its unsubscribe link) and no more than 18.6 bytes per visible word.

Run: .venv/bin/python benchmarks/render.py [--repeat N] [--runs N] [--json] [EXAMPLE.yaml ...]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import mjml
import yaml
from timing import bytecode, processes, stats, timed

from bulletin.compose import markdown
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

ROOT = Path(__file__).resolve().parent.parent
NODE_CACHE = Path(__file__).resolve().parent / ".node"
REFERENCES = ("5.4.1", "4.18.0")  # npm mjml: the latest, and the last 4.x
TARGET_REF = REFERENCES[0]
SPEEDUP, PROCESS_RATIO, HELP_MS = 10.0, 4.0, 80.0
SIZE_BYTES, BYTES_PER_WORD = 80 * 1024, 18.6
# The least a build on the design card's stack imports before it does anything.
STACK_IMPORTS = "import yaml, jinja2, mjml; from pydantic import BaseModel"
WARMUP = 10  # untimed runs first, in Python and in node (whose JIT needs them more)
BIN = Path(sys.executable).parent / "bulletin"

NODE_SCRIPT = """
const fs = require('fs'), mjml2html = require(process.argv[2]);
const source = fs.readFileSync(process.argv[3], 'utf8'), n = Number(process.argv[4]);
const opts = {keepComments: false, fonts: {}};
(async () => {  // mjml 5 answers a promise, mjml 4 the result itself
  const errors = (await mjml2html(source, opts)).errors.length;  // also warms up, with:
  for (let i = 1; i < Number(process.argv[5]); i++) await mjml2html(source, opts);
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await mjml2html(source, opts);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(JSON.stringify({times, errors}));
})();
"""


class Unavailable(Exception):
    pass


def visible_words(page: str) -> int:
    page = re.sub(r"(?is)<head\b.*?</head>|<style\b.*?</style>|<!--.*?-->", " ", page)
    text = html.unescape(re.sub(r"<[^>]+>|\*\|[A-Z0-9_:]+\|\*", " ", page))
    return sum(1 for word in text.split() if re.search(r"\w", word))


def last_line(text: str) -> str:
    return (text.strip().splitlines() or ["no message"])[-1]


def reference(version: str) -> dict[str, str]:
    """Node, the mjml package folder and its command line, installing it on the first run."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise Unavailable("node or npm not found on PATH")
    prefix = NODE_CACHE / f"mjml-{version}"
    package = prefix / "node_modules" / "mjml"
    if not (package / "package.json").is_file():
        prefix.mkdir(parents=True, exist_ok=True)
        cmd = [npm, "install", "--prefix", str(prefix), f"mjml@{version}"]
        cmd += ["--no-audit", "--no-fund", "--silent"]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            raise Unavailable("npm install timed out") from None
        if done.returncode or not (package / "package.json").is_file():
            raise Unavailable(f"npm install failed: {last_line(done.stderr)}")
    cli = prefix / "node_modules" / ".bin" / "mjml"
    return {"node": node, "package": str(package), "cli": str(cli)}


def reference_ms(ref: dict[str, str], mjml_file: Path, repeat: int) -> tuple[float, float, int]:
    """Median and p90 ms of a reference's warm render, and how many validation errors it found."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench.js"
        script.write_text(NODE_SCRIPT, encoding="utf-8")
        cmd = [ref["node"], str(script), ref["package"], str(mjml_file), str(repeat), str(WARMUP)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise Unavailable(f"node failed: {last_line(done.stderr)}")
    result = json.loads(done.stdout)
    return (*stats(result["times"]), result["errors"])


def measure(path: Path, repeat: int, refs: dict[str, dict[str, str]], tmp: Path) -> dict[str, Any]:
    bulletin = load_bulletin(path)
    rendered = render(bulletin)
    source = rendered.mjml
    mjml_file = tmp / f"{path.stem}.mjml"
    mjml_file.write_text(source, encoding="utf-8")
    r: dict[str, Any] = {"example": path.stem, "mjml_file": str(mjml_file)}
    r["pipeline_ms"], r["pipeline_p90_ms"] = timed(
        lambda: render(load_bulletin(path)), repeat, before=markdown.clear_cache
    )
    r["warm_ms"], r["warm_p90_ms"] = timed(lambda: render(load_bulletin(path)), repeat)
    r["mjml_python_ms"], r["mjml_python_p90_ms"] = timed(
        lambda: mjml.mjml2html(source, disable_comments=True, fonts={}), repeat
    )
    text = path.read_text(encoding="utf-8")
    r["yaml_ms"], _ = timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeat)
    for version in REFERENCES:
        figures = reference_ms(refs[version], mjml_file, repeat) if version in refs else None
        r[f"mjml_{version}_ms"], r[f"mjml_{version}_p90_ms"], r[f"mjml_{version}_errors"] = (
            figures or (None, None, None)
        )
    ref_ms = r[f"mjml_{TARGET_REF}_ms"]
    r["speedup"] = round(ref_ms / r["pipeline_ms"], 1) if ref_ms else None
    r["html_bytes"], r["text_bytes"] = len(rendered.html.encode()), len(rendered.text.encode())
    r["visible_words"] = visible_words(rendered.html)
    r["html_bytes_per_word"] = round(r["html_bytes"] / max(r["visible_words"], 1), 1)
    return r


def whole_processes(
    rows: list[dict[str, Any]], largest: str, refs: dict[str, dict[str, str]], runs: int, out: Path
) -> dict[str, tuple[float, float]]:
    """Builds of every example, `bulletin --help`, and the references' command lines on the
    largest example's MJML, taken in turn."""
    commands = {
        f"build {r['example']}": [str(BIN), "build", r["example_path"], "--out", str(out)]
        for r in rows
    }
    commands["bulletin --help"] = [str(BIN), "--help"]
    commands["stack imports"] = [sys.executable, "-c", STACK_IMPORTS]
    mjml_file = next(r["mjml_file"] for r in rows if r["example"] == largest)
    for version, ref in refs.items():
        html_out = str(out / f"mjml-{version}.html")
        commands[f"mjml {version} cli"] = [
            ref["cli"],
            mjml_file,
            "-o",
            html_out,
            "--config.keepComments=false",
            "--config.fonts={}",
        ]
    return processes(commands, runs)


def verdicts(
    r: dict[str, Any], procs: dict[str, tuple[float, float]]
) -> list[tuple[str, str, bool | None, str | None]]:
    """Each target on the largest example: what it asks, the figure measured, whether met, and
    for the speed targets the stack's floor beside the budget the target leaves."""
    ref_ms, build = r[f"mjml_{TARGET_REF}_ms"], procs[f"build {r['example']}"][0]
    cli = procs.get(f"mjml {TARGET_REF} cli", (None,))[0]
    help_ms = procs["bulletin --help"][0]
    in_process = r["yaml_ms"] + r["mjml_python_ms"]
    return [
        (
            f"pipeline <= 1/{SPEEDUP:g} of mjml {TARGET_REF} in-process",
            f"{r['pipeline_ms']:.1f} ms vs {ref_ms:.1f} ms: {r['speedup']}x" if ref_ms else "n/a",
            r["speedup"] >= SPEEDUP if ref_ms else None,
            floor(in_process, ref_ms / SPEEDUP, "libyaml reading the issue + mjml-python")
            if ref_ms
            else None,
        ),
        (
            f"bulletin build <= 1/{PROCESS_RATIO:g} of mjml {TARGET_REF} command line",
            f"{build:.0f} ms vs {cli:.0f} ms: {cli / build:.2f}x" if cli else "n/a",
            build * PROCESS_RATIO <= cli if cli else None,
            floor(procs["stack imports"][0], cli / PROCESS_RATIO, STACK_IMPORTS) if cli else None,
        ),
        (f"bulletin --help < {HELP_MS:g} ms", f"{help_ms:.0f} ms", help_ms < HELP_MS, None),
        ("HTML <= 80 KB", f"{r['html_bytes']:,} bytes", r["html_bytes"] <= SIZE_BYTES, None),
        (
            f"HTML bytes per visible word <= {BYTES_PER_WORD}",
            f"{r['html_bytes_per_word']}",
            r["html_bytes_per_word"] <= BYTES_PER_WORD,
            None,
        ),
    ]


def floor(floor_ms: float, budget_ms: float, what: str) -> str:
    """The stack's floor against the budget a target leaves, and what follows."""
    verdict = "the target is below the floor" if floor_ms > budget_ms else "under the budget"
    return f"floor {floor_ms:.1f} ms ({what}) vs budget {budget_ms:.1f} ms: {verdict}"


def table(rows: list[dict[str, Any]]) -> list[str]:
    columns = [  # heading, key, format
        ("example", "example", ""),
        ("pipeline ms", "pipeline_ms", ".1f"),
        ("p90", "pipeline_p90_ms", ".1f"),
        ("warm ms", "warm_ms", ".1f"),
        ("mjml-py ms", "mjml_python_ms", ".1f"),
        ("libyaml ms", "yaml_ms", ".1f"),
        *[(f"mjml {v} ms", f"mjml_{v}_ms", ".1f") for v in REFERENCES],
        (f"{TARGET_REF}/pipeline", "speedup", ".1f"),
        ("build ms", "build_ms", ".0f"),
        ("HTML B", "html_bytes", ","),
        ("text B", "text_bytes", ","),
        ("words", "visible_words", ","),
        ("HTML B/word", "html_bytes_per_word", ".1f"),
    ]
    cells = [[h for h, _, _ in columns]]
    cells += [["n/a" if r[k] is None else format(r[k], f) for _, k, f in columns] for r in rows]
    widths = [max(map(len, col)) for col in zip(*cells, strict=True)]
    return [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in cells
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("examples", nargs="*", type=Path, help="issues (default: examples/*.yaml)")
    parser.add_argument("--repeat", type=int, default=50, help="in-process runs (default 50)")
    parser.add_argument("--runs", type=int, default=15, help="whole-process runs (default 15)")
    parser.add_argument("--json", action="store_true", help="print only the JSON summary")
    args = parser.parse_args()
    say = (lambda *_: None) if args.json else print
    refs, unavailable = {}, {}
    for version in REFERENCES:
        try:
            refs[version] = reference(version)
        except Unavailable as err:
            unavailable[version] = str(err)
            say(f"mjml {version}: unavailable ({err})")
    paths = args.examples or sorted((ROOT / "examples").glob("*.yaml"))
    paths = [p for p in paths if p.is_file() or say(f"{p}: missing, skipped")]
    if not paths:
        raise SystemExit("no example to measure")
    largest = max(paths, key=lambda p: p.stat().st_size).stem
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for path in paths:
            try:
                row = measure(path, args.repeat, refs, tmp)
            except Unavailable as err:  # node broke on this MJML: carry on without it
                say(f"mjml: unavailable ({err})")
                unavailable.update({v: str(err) for v in refs})
                refs = {}
                row = measure(path, args.repeat, refs, tmp)
            rows.append({**row, "example_path": str(path)})
        bytecode(ROOT)
        procs = whole_processes(rows, largest, refs, args.runs, tmp)
    for r in rows:
        r["build_ms"], r["build_p90_ms"] = procs[f"build {r['example']}"]
        del r["mjml_file"], r["example_path"]
    for line in table(rows):
        say(line)
    say(
        f"\nin-process: median of {args.repeat} runs (pipeline p90 shown); pipeline: Markdown"
        " caches cleared before each run; warm: caches kept, as in a preview re-render;"
        f" processes: median of {args.runs}, taken in turn; words: visible words of the HTML"
    )
    say(f"\nwhole processes (median / p90 ms of {args.runs}, taken in turn):")
    for name, (median, p90) in procs.items():
        say(f"  {name:<36} {median:7.0f} {p90:7.0f}")
    row = next(r for r in rows if r["example"] == largest)
    targets = verdicts(row, procs)
    say(f"\ntargets, on the largest example ({largest}):")
    for target, figure, met, stack_floor in targets:
        say(f"  {'n/a ' if met is None else 'PASS' if met else 'FAIL'}  {target}: {figure}")
        if stack_floor:
            say(f"        {stack_floor}")
    summary = {
        "repeat": args.repeat,
        "runs": args.runs,
        "references": list(refs),
        "unavailable": unavailable,
        "examples": rows,
        "processes": {name: {"ms": m, "p90_ms": p} for name, (m, p) in procs.items()},
        "targets": {t: {"figure": f, "met": m, "floor": fl} for t, f, m, fl in targets},
    }
    print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    main()
