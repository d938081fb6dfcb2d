"""Times `bulletin site`: the examples, a generated project of 24 issues (two years of one
publication, each issue a copy of the Hollinvale example with its own date), and the rebuild
with nothing changed (which must write no file).

    .venv/bin/python benchmarks/site.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BULLETIN = Path(sys.executable).parent / "bulletin"


def run(root: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(BULLETIN), "site", "--out", "site", "--since", "2020-01-01"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, done.stdout.strip()


def examples(root: Path) -> Path:
    shutil.copytree(REPO / "publications", root / "publications")
    shutil.copytree(REPO / "examples", root / "examples")
    return root


def two_years(root: Path) -> Path:
    shutil.copytree(REPO / "publications", root / "publications")
    text = (REPO / "examples" / "hollinvale-2022-03.yaml").read_text(encoding="utf-8")
    (root / "issues").mkdir()
    for n in range(24):
        day = dt.date(2021 + n // 12, n % 12 + 1, 4)
        issue = text.replace("date: 2022-03-02", f"date: {day.isoformat()}", 1)
        (root / "issues" / f"{day:%Y-%m}.yaml").write_text(issue, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed rebuilds (default 3)")
    args = parser.parse_args()
    for name, make in (("examples (4 issues)", examples), ("24 issues", two_years)):
        with tempfile.TemporaryDirectory() as folder:
            root = make(Path(folder))
            first, said = run(root)
            again = [run(root) for _ in range(args.repeat)]
            rebuild = min(t for t, _ in again)
            files = sum(1 for p in (root / "site").rglob("*") if p.is_file())
            verdict = "PASS" if all(s.endswith(" 0 written") for _, s in again) else "FAIL"
            print(
                f"{name}: first build {first:.2f} s ({said}); no-change rebuild {rebuild:.2f} s "
                f"({again[0][1]}); {files} files; nothing rewritten: {verdict}"
            )


if __name__ == "__main__":
    main()
