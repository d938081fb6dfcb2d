"""Render time against issue size: the largest example's sections, 1x, 4x and 16x over.

A long issue must cost in proportion to its length, never more: a pipeline step that walks
every section for every section would hide in an 11-section issue and show at 176. This writes
the largest example with its sections copied (11, 44 and 176 sections here), each copy's prose
made distinct (every heading, body, intro and the like ends with the copy's number), so that no
copy is served from the Markdown cache a repeated text would hit, into a copy of the project,
and times `render(load_bulletin(path))` with the Markdown caches cleared (median of
--repeat runs), then `check_file`, the same work plus every offline rule.

Target: at 16x the sections, at most 16x the time, with a quarter's allowance for noise
(per-section time at the largest size at most 1.25x that at the smallest).

Run: .venv/bin/python benchmarks/scale.py [--repeat N] [--times 1 4 16]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from timing import timed

from bulletin.checks import check_file
from bulletin.compose import markdown
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

ROOT = Path(__file__).resolve().parent.parent
ALLOWANCE = 1.25
PROSE = {"body", "intro", "outro", "heading", "advice_intro", "points_intro", "after", "byline",
         "title", "text", "summary", "description", "name"}  # fmt: skip


def distinct(value: Any, copy: int, key: str = "") -> Any:
    """`value` with every prose string marked with the copy's number."""
    if isinstance(value, dict):
        return {k: distinct(v, copy, k) for k, v in value.items()}
    if isinstance(value, list):
        return [distinct(v, copy, key) for v in value]
    if isinstance(value, str) and key in PROSE and copy:
        return f"{value.rstrip()} ({copy + 1})"
    return value


def copies(sections: list[Any], times: int) -> list[Any]:
    return [distinct(section, n) for n in range(times) for section in sections]


def largest_example() -> Path:
    return max((ROOT / "examples").glob("*.yaml"), key=lambda p: p.stat().st_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per size")
    parser.add_argument("--times", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()
    example = largest_example()
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "publications", root / "publications")
        shutil.copy(ROOT / "audiences.yaml", root)
        for times in args.times:
            path = root / f"x{times}.yaml"
            issue = {**data, "sections": copies(data["sections"], times)}
            path.write_text(yaml.safe_dump(issue, sort_keys=False), encoding="utf-8")
            count = len(issue["sections"])
            clear = markdown.clear_cache
            render_ms, _ = timed(lambda p=path: render(load_bulletin(p)), args.repeat, clear, 3)
            check_ms, _ = timed(lambda p=path: check_file(p), args.repeat, clear, 3)
            rows.append({"sections": count, "render_ms": render_ms, "check_ms": check_ms})
    print(
        f"{example.stem}, sections copied with distinct texts; median of {args.repeat},"
        " Markdown caches cleared"
    )
    print(
        f"{'sections':>8} {'render ms':>10} {'per section':>12} {'check ms':>9} {'per section':>12}"
    )
    for r in rows:
        n = r["sections"]
        print(
            f"{n:>8} {r['render_ms']:>10.1f} {r['render_ms'] / n:>12.3f}"
            f" {r['check_ms']:>9.1f} {r['check_ms'] / n:>12.3f}"
        )
    small, large = rows[0], rows[-1]
    size = large["sections"] / small["sections"]
    targets = {}
    for figure in ("render_ms", "check_ms"):
        ratio = large[figure] / small[figure]
        met = ratio <= size * ALLOWANCE
        targets[f"{figure[:-3]} linear in size"] = {"ratio": round(ratio, 1), "met": met}
        print(
            f"{'PASS' if met else 'FAIL'}  {figure[:-3]} of {large['sections']} sections at most"
            f" {size * ALLOWANCE:.0f}x that of {small['sections']} ({size:.0f}x the size):"
            f" {ratio:.1f}x"
        )
    print(json.dumps({"example": example.stem, "rows": rows, "targets": targets}))


if __name__ == "__main__":
    main()
