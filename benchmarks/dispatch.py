"""HTTP calls and time of `bulletin push` against the fake Mailchimp: first, unchanged, changed.

Measured, for the example issue in a throwaway project, each run with a fresh client and ledger
(as a new `bulletin push` process would have):
  first      the first push: look the title up, create the campaign, put the content;
  unchanged  the same issue again: target no write call (only reads of the campaign and content);
  changed    after editing a paragraph: the content is put again, the campaign is not re-created;
  lost       unchanged, with the ledger deleted: the campaign is found again by its title;
  process    the whole `bulletin push` command on the unchanged issue (median of 3 runs), which
             includes starting Python and importing the SDK.
Calls are Mailchimp.calls (HTTP requests made) and the fake's count of writes (non-GETs). `ms` is
the in-process push (render, checks and HTTP on loopback; median of --repeat), not process start;
`HTTP ms` is the part after the issue is rendered and checked: finding and changing the campaign.

Run: .venv/bin/python benchmarks/dispatch.py [--repeat N] [--json] [EXAMPLE.yaml]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "wscp-2020-12.yaml"
PROCESS_RUNS = 3
sys.path.insert(0, str(ROOT / "tests"))

from fake_mailchimp import FakeMailchimp  # noqa: E402

from bulletin.campaigns.ledger import Ledger  # noqa: E402
from bulletin.campaigns.push import Dispatcher  # noqa: E402
from bulletin.campaigns.wanted import wanted_campaign  # noqa: E402
from bulletin.mailchimp.client import Config, Mailchimp  # noqa: E402


def push_once(fake: FakeMailchimp, issue: Path, root: Path) -> dict[str, Any]:
    mc = Mailchimp(Config(fake.api_key, "us19", fake.url, timeout=10))
    writes = fake.write_calls()
    start = time.perf_counter()
    payload = wanted_campaign(issue)
    middle = time.perf_counter()
    done = Dispatcher(mc, Ledger.at(root)).push(payload)
    end = time.perf_counter()
    return {
        "action": done.action,
        "calls": mc.calls,
        "writes": fake.write_calls() - writes,
        "ms": (end - start) * 1000,
        "mailchimp_ms": (end - middle) * 1000,
    }


def push_process(fake: FakeMailchimp, issue: Path) -> dict[str, Any]:
    """The whole `bulletin push` command on an unchanged issue: what the officer waits for."""
    env = {**os.environ, "MAILCHIMP_API_KEY": fake.api_key, "MAILCHIMP_BASE_URL": fake.url}
    before, writes = len(fake.requests), fake.write_calls()
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bulletin", "push", str(issue)],
        env=env,
        check=True,
        capture_output=True,
    )
    ms = (time.perf_counter() - start) * 1000
    calls = len(fake.requests) - before
    return {
        "action": "unchanged",
        "calls": calls,
        "writes": fake.write_calls() - writes,
        "ms": ms,
        "mailchimp_ms": None,
    }


def measure(source: Path, repeat: int) -> dict[str, dict[str, Any]]:
    runs: dict[str, list[dict[str, Any]]] = {}
    for n in range(repeat):
        with tempfile.TemporaryDirectory() as tmp, FakeMailchimp() as fake:
            root = Path(tmp)
            shutil.copytree(ROOT / "publications", root / "publications")
            shutil.copy(ROOT / "audiences.yaml", root)
            issue = Path(shutil.copy(source, root / source.name))
            for name, list_id in _audiences(root).items():
                members = [f"reader{i}@run{n}.example" for i in range(5)]
                fake.seed_list(name, list_id=list_id, members=members)
            runs.setdefault("first", []).append(push_once(fake, issue, root))
            runs.setdefault("unchanged", []).append(push_once(fake, issue, root))
            text = issue.read_text(encoding="utf-8")
            notice = f"sections:\n  - type: notice\n    heading: Edit {n}\n    body: Changed.\n"
            issue.write_text(text.replace("sections:\n", notice, 1), encoding="utf-8")
            runs.setdefault("changed", []).append(push_once(fake, issue, root))
            (root / ".bulletin" / "ledger.sqlite3").unlink()
            runs.setdefault("lost", []).append(push_once(fake, issue, root))
            if n < PROCESS_RUNS:
                runs.setdefault("process", []).append(push_process(fake, issue))
            fake.assert_no_violations()
    return {
        name: {
            "action": rows[0]["action"],
            "calls": rows[0]["calls"],
            "writes": rows[0]["writes"],
            "ms": statistics.median(r["ms"] for r in rows),
            "mailchimp_ms": None
            if rows[0]["mailchimp_ms"] is None
            else statistics.median(r["mailchimp_ms"] for r in rows),
        }
        for name, rows in runs.items()
    }


def _audiences(root: Path) -> dict[str, str]:
    import yaml

    data = yaml.safe_load((root / "audiences.yaml").read_text(encoding="utf-8"))
    return {a["name"]: a["list_id"] for a in data["audiences"]}


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issue", nargs="?", type=Path, default=EXAMPLE)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    args = parser.parse_args()
    figures = measure(args.issue, args.repeat)
    if not args.json:
        print(
            f"bulletin push of {args.issue.name} against the fake Mailchimp "
            f"(median of {args.repeat}):"
        )
        heads = ("push", "result", "HTTP calls", "writes", "ms", "HTTP ms")
        print("  {:<10} {:<10} {:>10} {:>7} {:>7} {:>8}".format(*heads))
        for name, f in figures.items():
            print(
                f"  {name:<10} {f['action']:<10} {f['calls']:>10} {f['writes']:>7} "
                f"{f['ms']:>7.1f} {_ms(f['mailchimp_ms']):>8}"
            )
        verdict = "PASS" if figures["unchanged"]["writes"] == 0 else "FAIL"
        print(f"  target: an unchanged push makes no write call: {verdict}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
