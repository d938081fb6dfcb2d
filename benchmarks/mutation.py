"""Mutation testing of the modules where a wrong line does harm: how many mutants the tests kill.

mutmut (configured in pyproject.toml, `[tool.mutmut]`) copies the code into `mutants/`, makes
one small change at a time (a `<=` made `<`, a constant changed, a call dropped) and runs the
tests that reach the changed function; a mutant the tests pass with has "survived". Each module
is run on its own, at the lowest CPU priority, so a run can stop after any module and what it
found is kept (`mutants/` is reused: an unchanged mutant the tests killed is not tried again, but
every survivor is, since a test added since the last run may now kill it).

  killed     a test failed (a timeout counts: the mutant made the code hang)
  survived   every test passed: a test is missing, or the change makes no difference
  no tests   no test reaches the function at all

Target: at least 90% of the mutants killed in these modules. Each survivor has a test or a
one-line reason in benchmarks/mutation-survivors.md.

Run: .venv/bin/python benchmarks/mutation.py [MODULE ...] [--report-only]
(`make mutation` runs every module; MODULE is a dotted name like bulletin.campaigns.sendtime)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).with_name("mutmut")
CAUGHT = {"killed", "timeout"}


def modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    names = [path.removesuffix(".py").replace("/", ".") for path in config["only_mutate"]]
    return [name.removesuffix(".__init__") for name in names]


def retry_survivors(module: str) -> int:
    """Forget the module's survivors in mutmut's record: this run tries them on today's tests."""
    path = ROOT / "mutants" / module.replace(".", "/")
    places = (path.with_suffix(".py.meta"), path / "__init__.py.meta")
    meta = next((place for place in places if place.exists()), None)
    if meta is None:
        return 0
    record = json.loads(meta.read_text())
    survivors = [key for key, code in record["exit_code_by_key"].items() if code == 0]
    for key in survivors:
        record["exit_code_by_key"][key] = None
    meta.write_text(json.dumps(record))
    return len(survivors)


def run(module: str) -> float:
    started = time.monotonic()
    retry_survivors(module)
    subprocess.run(
        ["nice", "-n", "19", str(MUTMUT), "run", "--max-children", "1", f"{module}.x*"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def results() -> dict[str, Counter[str]]:
    """Each module's mutants by outcome, from mutmut's own record in `mutants/`."""
    out = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found: dict[str, Counter[str]] = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        module = name.split(".x", 1)[0]
        found.setdefault(module, Counter())[status] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", nargs="*", help="dotted module names (default: all)")
    parser.add_argument("--report-only", action="store_true", help="print the last results")
    args = parser.parse_args()
    chosen = args.module or modules()
    seconds: dict[str, float] = {}
    if not args.report_only:
        for module in chosen:
            seconds[module] = run(module)
            print(f"{module}: {seconds[module]:.0f} s", file=sys.stderr, flush=True)

    found = results()
    print("| module | killed / mutants | score | survived | no tests | not run |")
    print("| --- | --- | --- | --- | --- | --- |")
    total = Counter[str]()
    for module in modules():
        counts = found.get(module, Counter())
        total += counts
        print(row(module, counts))
    print(row("**all**", total))
    score = caught(total) / max(1, sum(total.values()) - total["not checked"])
    unrun = [m for m in modules() if caught(found.get(m, Counter())) == 0]
    verdict = "PASS" if score >= 0.9 else "FAIL"
    if total["not checked"]:
        where = ", ".join(unrun) or "part of a module"
        verdict = f"INCOMPLETE ({total['not checked']:,} mutants not run: {where})"
    print(f"verdict: {verdict} (target 90% killed; {score:.1%} of those run)")


def caught(counts: Counter[str]) -> int:
    return sum(counts[s] for s in CAUGHT)


def row(module: str, counts: Counter[str]) -> str:
    tried = sum(counts.values()) - counts["not checked"]
    score = f"{caught(counts) / tried:.1%}" if tried else "n/a"
    return (
        f"| {module} | {caught(counts)} / {tried} | {score} | {counts['survived']} "
        f"| {counts['no tests']} | {counts['not checked']} |"
    )


if __name__ == "__main__":
    main()
