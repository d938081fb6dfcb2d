"""Reports kept in the project's state, so the board's yearly figures cost no calls.

A month after the send, opens and clicks have all but stopped: a report of an issue sent more
than `SETTLED` ago is kept in `.bulletin/reports/<campaign id>.json` and read from there next
time (`--refresh` fetches it again). Only the report's aggregate figures are kept, never
anything about a reader. A file that cannot be read, or is not a report, is fetched again.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bulletin.files import write_atomically
from bulletin.reports.figures import IssueReport
from bulletin.state import private, state_path

FOLDER = "reports"
SETTLED = timedelta(days=30)
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def report_path(root: Path, campaign_id: str) -> Path | None:
    """Where the report of `campaign_id` is kept; None for an id that is no file name."""
    if not _ID.match(campaign_id):
        return None
    return state_path(root, FOLDER) / f"{campaign_id}.json"


def load(root: Path, campaign_id: str) -> IssueReport | None:
    """The kept report, or None (never kept, or unreadable: then it is fetched again)."""
    path = report_path(root, campaign_id)
    if path is None or not path.is_file():
        return None
    try:
        report = IssueReport.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return report if report.campaign_id == campaign_id else None


def settled(send_time: str, now: datetime | None = None) -> bool:
    """Sent long enough ago for its figures to have stopped moving."""
    try:
        sent = datetime.fromisoformat(send_time.replace("Z", "+00:00"))
    except ValueError:
        return False
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    return (now or datetime.now(UTC)) - sent > SETTLED


def keep(root: Path, report: IssueReport, now: datetime | None = None) -> bool:
    """Keep the report if its issue was sent more than `SETTLED` ago; say whether it was."""
    path = report_path(root, report.campaign_id)
    if path is None or not settled(report.send_time, now):
        return False
    write_atomically({path: json.dumps(report.to_json(), ensure_ascii=False, indent=1)})
    private(path)
    return True
