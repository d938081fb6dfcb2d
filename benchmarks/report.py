"""HTTP calls and time of `bulletin report` for an issue sent to 5,000 and 50,000 readers.

For each size, the fake Mailchimp of tests/fake_mailchimp (in this process, answers unchecked
as in the bulk tests) holds an audience of that many readers in 211 organisations, each in one
of the four partner lists of audiences.yaml; the example issue is pushed and sent to them, and
the fake generates their activity (45% open, 12% click, 1% bounce). Then:

  fetched   `report_issue` from scratch: HTTP calls (Mailchimp.calls), seconds (the fake's own
            work, in the same process, is counted in them: it shares the interpreter);
  pages     of those calls, the per-reader pages (sent-to, email activity, partner lists);
  kept      the same report once the issue is over 30 days old and kept: calls, seconds;
  period    `bulletin report --from --to` over that one kept issue: calls (one per audience).

Target (issue 15): a bounded number of calls whatever the audience: one per 1,000 readers for
each per-reader collection, and no call per reader.

Run: .venv/bin/python benchmarks/report.py [--sizes 5000 50000] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_mailchimp import FakeMailchimp  # noqa: E402

from bulletin.campaigns.ledger import Ledger  # noqa: E402
from bulletin.campaigns.push import Dispatcher  # noqa: E402
from bulletin.campaigns.wanted import wanted_campaign  # noqa: E402
from bulletin.mailchimp.client import Config, Mailchimp  # noqa: E402
from bulletin.reports.issue import report_issue  # noqa: E402
from bulletin.reports.period import period_report  # noqa: E402

LIST_ID = "0a1b2c3d4e"  # wscp-partners in audiences.yaml
TAGS = ["Schools DSLs", "Health", "Police", "Voluntary sector"]


def project(folder: Path) -> Path:
    (folder / "issues").mkdir(parents=True)
    shutil.copytree(ROOT / "publications", folder / "publications")
    shutil.copy(ROOT / "audiences.yaml", folder / "audiences.yaml")
    return Path(shutil.copy(ROOT / "examples" / "wscp-2020-12.yaml", folder / "issues"))


def dispatcher(fake: FakeMailchimp, root: Path) -> Dispatcher:
    mc = Mailchimp(Config(fake.api_key, "us19", fake.url, timeout=60))
    return Dispatcher(mc, Ledger.at(root))


def measure(size: int, work: Path) -> dict[str, Any]:
    issue = project(work / f"project-{size}")
    root = issue.parent.parent
    with FakeMailchimp() as fake:
        fake.seed_list(
            "WSCP partners",
            list_id=LIST_ID,
            merge_fields=[{"tag": "ORG", "name": "Organisation"}],
            tags=TAGS,
            members=[
                {"email": f"reader{n}@school{n % 211}.example.org",
                 "merge_fields": {"ORG": f"School {n % 211}"}, "tags": [TAGS[n % 4]]}
                for n in range(size)
            ],
        )  # fmt: skip
        pushed = dispatcher(fake, root).push(wanted_campaign(issue))
        campaign_id = pushed.campaign["id"]
        fake.client().campaigns.send(campaign_id)
        fake.generate_activity(campaign_id, seed=1)
        fake.clear_requests()
        start = time.perf_counter()
        fetched = report_issue(dispatcher(fake, root), issue)
        seconds = time.perf_counter() - start
        pages = len(fake.calls("GET", r"/(sent-to|email-activity|members)$"))
        fake.sent_at(campaign_id, datetime.now(UTC) - timedelta(days=60))
        report_issue(dispatcher(fake, root), issue, refresh=True)  # kept now
        start = time.perf_counter()
        kept = report_issue(dispatcher(fake, root), issue)
        kept_seconds = time.perf_counter() - start
        today = date.today()
        period = period_report(dispatcher(fake, root), root, today - timedelta(days=365), today)
    per_collection = math.ceil(size / 1000)
    bound = 6 + 2 * per_collection + sum(math.ceil(size / 4 / 1000) for _ in TAGS)
    return {
        "readers": size,
        "fetched_calls": fetched.calls,
        "per_reader_pages": pages,
        "bound": bound,
        "fetched_s": round(seconds, 2),
        "kept_calls": kept.calls,
        "kept_s": round(kept_seconds, 3),
        "period_calls": period.calls,
        "delivered": fetched.totals.delivered,
        "clicked": fetched.totals.clicked,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = [measure(size, Path(folder)) for size in args.sizes]
    if not args.json:
        print("readers   fetched: calls (pages)  seconds   kept: calls  seconds   period: calls")
        for r in results:
            print(
                f"{r['readers']:>7,}   {r['fetched_calls']:>10} ({r['per_reader_pages']:>3})"
                f"  {r['fetched_s']:>9.2f}   {r['kept_calls']:>11}  {r['kept_s']:>7.3f}"
                f"   {r['period_calls']:>13}"
            )
        for r in results:
            verdict = "PASS" if r["fetched_calls"] <= r["bound"] else "FAIL"
            print(
                f"{r['readers']:,} readers: {r['fetched_calls']} calls against a bound of "
                f"{r['bound']} (6 + one per 1,000 readers per collection): {verdict}"
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
