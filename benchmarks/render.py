"""Render speed and output size of the example bulletins, against the project's targets.

For each example this measures, in milliseconds:
  pipeline  in-process `render(load_bulletin(path))`: load, validate, Jinja -> MJML,
            mjml-python, css-inline and the plain-text part (median and p90 of --repeat runs),
            with the Markdown caches cleared before each run, so every text is parsed afresh
            (modules are imported and templates compiled already);
  warm      the same with the Markdown caches left warm, as when the preview re-renders an
            issue after a small edit;
  mjml-py   mjml-python alone on the same MJML (`mjml2html(src, disable_comments=True, fonts={})`);
  ref mjml  the reference JavaScript renderer (npm `mjml` 4.x) on the same MJML, warm, in one
            node process; npm installs it once into ~/.cache/bulletin-bench/;
  build     the whole `bulletin build EXAMPLE --out TMP` process, as an editor waits for it;
and the sizes: bytes of HTML and text, and HTML bytes per visible word (words of the HTML once
<head>, <style>, comments, tags and *|MERGE|* tags are removed).

Why: Gmail clips a message over 102 KB, hiding the footer and its unsubscribe link, so a long
issue must stay well under it (target: herefordshire-2020-11 at most 80 KB); and a pipeline at
least 10x faster than the reference renderer, with `bulletin build` at most 250 ms, keeps the
preview instant while an issue is being written.

Run: .venv/bin/python benchmarks/render.py [--repeat N] [--json] [EXAMPLE.yaml ...]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import mjml
from timing import stats, timed

from bulletin.compose import markdown
from bulletin.compose.render import render, render_mjml
from bulletin.document.issue import load_bulletin

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["wscp-2020-12", "wscp-2020-04", "herefordshire-2020-11", "hollinvale-2022-03"]
MJML_NPM = "4.18.0"  # the latest 4.x on npm when this was written
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bulletin-bench"
SIZE_TARGETS = {"herefordshire-2020-11": 80 * 1024}
BUILD_TARGET_MS, SPEEDUP_TARGET, BUILD_RUNS = 250.0, 10.0, 10
WARMUP = 10  # untimed runs first, in Python and in node (whose JIT needs them more)

NODE_SCRIPT = """
const fs = require('fs'), mjml2html = require(process.argv[2]);
const source = fs.readFileSync(process.argv[3], 'utf8'), n = Number(process.argv[4]);
const opts = {keepComments: false, fonts: {}};
const errors = mjml2html(source, opts).errors.length;  // also warms up, with:
for (let i = 1; i < Number(process.argv[5]); i++) mjml2html(source, opts);
const times = [];
for (let i = 0; i < n; i++) {
  const start = process.hrtime.bigint();
  mjml2html(source, opts);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(JSON.stringify({times, errors}));
"""


class Unavailable(Exception):
    pass


def visible_words(page: str) -> int:
    page = re.sub(r"(?is)<head\b.*?</head>|<style\b.*?</style>|<!--.*?-->", " ", page)
    text = html.unescape(re.sub(r"<[^>]+>|\*\|[A-Z0-9_:]+\|\*", " ", page))
    return sum(1 for word in text.split() if re.search(r"\w", word))


def last_line(text: str) -> str:
    return (text.strip().splitlines() or ["no message"])[-1]


def reference_mjml() -> tuple[str, str]:
    """The node executable and the mjml package folder, installing mjml on the first run."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise Unavailable("node or npm not found on PATH")
    prefix = CACHE / f"mjml-{MJML_NPM}"
    package = prefix / "node_modules" / "mjml"
    if not (package / "package.json").is_file():
        prefix.mkdir(parents=True, exist_ok=True)
        cmd = [npm, "install", "--prefix", str(prefix), f"mjml@{MJML_NPM}"]
        cmd += ["--no-audit", "--no-fund", "--silent"]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            raise Unavailable("npm install timed out") from None
        if done.returncode or not (package / "package.json").is_file():
            raise Unavailable(f"npm install failed: {last_line(done.stderr)}")
    return node, str(package)


def reference_ms(node: str, package: str, source: str, repeat: int) -> tuple[float, float, int]:
    """Median and p90 ms of the reference render, and how many validation errors it found."""
    with tempfile.TemporaryDirectory() as tmp:
        script, mjml_file = Path(tmp) / "bench.js", Path(tmp) / "issue.mjml"
        script.write_text(NODE_SCRIPT, encoding="utf-8")
        mjml_file.write_text(source, encoding="utf-8")
        cmd = [node, str(script), package, str(mjml_file), str(repeat), str(WARMUP)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise Unavailable(f"node failed: {last_line(done.stderr)}")
    result = json.loads(done.stdout)
    return (*stats(result["times"]), result["errors"])


def build_ms(path: Path) -> tuple[float, float]:
    """Wall time of whole `bulletin build` processes, from the venv beside this Python."""
    times = []
    with tempfile.TemporaryDirectory() as out:
        cmd = [str(Path(sys.executable).parent / "bulletin"), "build", str(path), "--out", out]
        for _ in range(BUILD_RUNS):
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            times.append((time.perf_counter() - start) * 1000)
            if done.returncode:
                raise SystemExit(f"bulletin build {path} failed: {last_line(done.stderr)}")
    return stats(times)


def measure(path: Path, repeat: int, node: tuple[str, str] | None) -> dict[str, Any]:
    bulletin = load_bulletin(path)
    rendered, source = render(bulletin), render_mjml(bulletin)
    r: dict[str, Any] = {"example": path.stem}
    r["pipeline_ms"], r["pipeline_p90_ms"] = timed(
        lambda: render(load_bulletin(path)), repeat, before=markdown.clear_cache
    )
    r["warm_ms"], r["warm_p90_ms"] = timed(lambda: render(load_bulletin(path)), repeat)
    r["mjml_python_ms"], r["mjml_python_p90_ms"] = timed(
        lambda: mjml.mjml2html(source, disable_comments=True, fonts={}), repeat
    )
    ref = reference_ms(*node, source, repeat) if node else (None, None, None)
    r["reference_mjml_ms"], r["reference_mjml_p90_ms"], r["reference_mjml_errors"] = ref
    r["build_ms"], r["build_p90_ms"] = build_ms(path)
    r["html_bytes"], r["text_bytes"] = len(rendered.html.encode()), len(rendered.text.encode())
    r["visible_words"] = visible_words(rendered.html)
    r["html_bytes_per_word"] = round(r["html_bytes"] / max(r["visible_words"], 1), 1)
    r["speedup"] = round(ref[0] / r["pipeline_ms"], 1) if ref[0] else None
    r["targets"] = {
        "pipeline <= ref/10": r["speedup"] >= SPEEDUP_TARGET if ref[0] else None,
        "build <= 250 ms": r["build_ms"] <= BUILD_TARGET_MS,
    }
    if path.stem in SIZE_TARGETS:
        r["targets"]["HTML <= 80 KB"] = r["html_bytes"] <= SIZE_TARGETS[path.stem]
    return r


def table(rows: list[dict[str, Any]]) -> list[str]:
    columns = [  # heading, key, format
        ("example", "example", ""),
        ("pipeline ms", "pipeline_ms", ".1f"),
        ("p90", "pipeline_p90_ms", ".1f"),
        ("warm ms", "warm_ms", ".1f"),
        ("mjml-py ms", "mjml_python_ms", ".1f"),
        ("ref mjml ms", "reference_mjml_ms", ".1f"),
        ("ref/pipeline", "speedup", ".1f"),
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
    parser.add_argument("examples", nargs="*", type=Path, help="issues (default: the three)")
    parser.add_argument("--repeat", type=int, default=50, help="timed runs (default 50)")
    parser.add_argument("--json", action="store_true", help="print only the JSON summary")
    args = parser.parse_args()
    say = (lambda *_: None) if args.json else print
    try:
        node, unavailable = reference_mjml(), None
    except Unavailable as err:
        node, unavailable = None, str(err)
        say(f"reference mjml: unavailable ({unavailable})")
    rows = []
    for path in args.examples or [ROOT / "examples" / f"{n}.yaml" for n in EXAMPLES]:
        if not path.is_file():
            say(f"{path.name}: missing, skipped")
            continue
        try:
            rows.append(measure(path, args.repeat, node))
        except Unavailable as err:  # node broke on this MJML: carry on without it
            node, unavailable = None, str(err)
            say(f"reference mjml: unavailable ({unavailable})")
            rows.append(measure(path, args.repeat, node))
    for line in table(rows):
        say(line)
    say(
        f"\nin-process: median of {args.repeat} runs (pipeline p90 shown); pipeline: Markdown"
        " caches cleared before each run; warm: caches kept, as in a preview re-render;"
        f" build: median of {BUILD_RUNS} processes; ref: npm mjml@{MJML_NPM};"
        " words: visible words of the HTML"
    )
    for r in rows:
        marks = {True: "ok", False: "MISSED", None: "n/a"}
        say(f"{r['example']}: " + ", ".join(f"{t} {marks[v]}" for t, v in r["targets"].items()))
    summary = {
        "repeat": args.repeat,
        "mjml_npm": None if unavailable else MJML_NPM,
        "reference_unavailable": unavailable,
        "examples": rows,
    }
    print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    main()
