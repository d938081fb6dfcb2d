"""How long `bulletin check` takes on the largest example, offline, and what it finds.

Measured, in milliseconds:
  check       in-process `check_file(path)`: load, validate, render and every offline rule,
              with the Markdown caches cleared before each run (median and p90 of --repeat);
  warm        the same with the caches kept, as when an editor re-checks after a small edit;
  rules       `run_rules` alone on an issue already loaded and rendered: the rules' own cost;
  slowest     the rules that take longest, each timed alone over a context whose texts and
              links are already gathered (and the sum over all rules, timed so);
  process     the whole `bulletin check EXAMPLE` command (median of 10): what a writer waits for;
and the findings: how many errors and warnings, and of which rules.

Why: `bulletin build` runs every check, so the checks must not undo the render's speed (the
build target is 250 ms for the whole process).

Run: .venv/bin/python benchmarks/check.py [--repeat N] [--json] [EXAMPLE.yaml]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from timing import stats, timed

from bulletin.checks import all_rules, check_file, run_rules
from bulletin.checks.context import CheckContext
from bulletin.compose import markdown
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "herefordshire-2020-11.yaml"  # the largest
PROCESS_RUNS, WARMUP, SLOWEST = 10, 5, 5
NOTES = {
    "check": "check_file, Markdown caches cleared",
    "warm": "check_file, caches kept",
    "rules": "run_rules alone",
    "process": "the whole `bulletin check` command",
}


def process_ms(path: Path) -> tuple[float, float]:
    """Wall time of whole `bulletin check` processes, from the venv beside this Python."""
    cmd = [str(Path(sys.executable).parent / "bulletin"), "check", str(path)]
    times = []
    for _ in range(PROCESS_RUNS):
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode not in (0, 1):  # 1: the issue has errors, which is a result
            tail = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise SystemExit(f"bulletin check {path} failed ({done.returncode}): {tail}")
    return stats(times)


def rule_times(path: Path, repeat: int) -> list[tuple[str, float]]:
    """Each offline rule timed alone on a context with its texts gathered, slowest first."""
    bulletin = load_bulletin(path)
    context = CheckContext(bulletin, render(bulletin), bulletin.merge_fields)
    context.texts, context.links  # noqa: B018  gathered once, as the first rule would
    times = []
    for rule in all_rules():
        if not rule.online:
            median, _ = timed(lambda rule=rule: list(rule.check(context)), repeat)
            times.append((rule.id, median))
    return sorted(times, key=lambda t: -t[1])


def measure(path: Path, repeat: int) -> dict[str, Any]:
    problems = check_file(path).problems
    bulletin = load_bulletin(path)
    rendered = render(bulletin)
    r: dict[str, Any] = {"example": path.stem}
    r["check_ms"], r["check_p90_ms"] = timed(
        lambda: check_file(path), repeat, before=markdown.clear_cache
    )
    r["warm_ms"], r["warm_p90_ms"] = timed(lambda: check_file(path), repeat)
    r["rules_ms"], r["rules_p90_ms"] = timed(lambda: run_rules(bulletin, rendered), repeat)
    each = rule_times(path, repeat)
    r["slowest_rules_ms"] = dict(each[:SLOWEST])
    r["rules_alone_sum_ms"] = sum(ms for _, ms in each)
    r["process_ms"], r["process_p90_ms"] = process_ms(path)
    r["rules"] = sum(1 for rule in all_rules() if not rule.online)
    r["errors"] = sum(p.severity == "error" for p in problems)
    r["warnings"] = sum(p.severity == "warning" for p in problems)
    r["findings_by_rule"] = dict(Counter(p.rule or "validation" for p in problems).most_common())
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("example", nargs="?", type=Path, default=EXAMPLE, help="an issue")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs (default 30)")
    parser.add_argument("--json", action="store_true", help="print only the JSON summary")
    args = parser.parse_args()
    r = measure(args.example, args.repeat)
    if not args.json:
        print(f"{r['example']}: {r['rules']} offline rules")
        for name, note in NOTES.items():
            median, p90 = r[f"{name}_ms"], r[f"{name}_p90_ms"]
            print(f"  {name:8} {median:7.1f} ms (p90 {p90:.1f}), {note}")
        slowest = ", ".join(f"{k} {v:.1f}" for k, v in r["slowest_rules_ms"].items())
        print(f"  slowest rules (ms): {slowest}")
        print(
            f"  the rules alone add up to {r['rules_alone_sum_ms']:.1f} ms; the rest of `rules`"
            " gathers the context (texts, links, the HTML's tags)"
        )
        findings = ", ".join(f"{k} {v}" for k, v in r["findings_by_rule"].items()) or "none"
        print(f"  findings: {r['errors']} errors, {r['warnings']} warnings ({findings})")
        print(f"\nin-process: median of {args.repeat} runs; process: median of {PROCESS_RUNS}")
    print(json.dumps({"repeat": args.repeat, **r}, separators=(",", ":")))


if __name__ == "__main__":
    main()
