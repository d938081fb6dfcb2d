"""Reports kept in the project's state: settled ones cost no call; nothing personal is kept."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.campaigns import dispatcher, edit
from support.reports import Sent, addresses

from bulletin.reports import store
from bulletin.reports.issue import report_issue


def report(fake, issue: Path, **kwargs):
    return report_issue(dispatcher(fake, issue), issue, **kwargs)


def kept_file(issue: Path, sent: Sent) -> Path:
    return issue.parent.parent / ".bulletin" / "reports" / f"{sent.campaign_id}.json"


def settle(fake, sent: Sent, days: int = 60) -> None:
    fake.sent_at(sent.campaign_id, datetime.now(UTC) - timedelta(days=days))


def test_a_settled_report_is_kept_and_read_again_without_a_call(fake, issue: Path, sent: Sent):
    settle(fake, sent)
    first = report(fake, issue)
    assert kept_file(issue, sent).is_file()
    fake.clear_requests()
    again = report(fake, issue)
    assert fake.requests == [] and again.calls == 0
    assert again.totals == first.totals
    assert again.sections == first.sections and again.by_organisation == first.by_organisation


def test_refresh_fetches_a_kept_report_again(fake, issue: Path, sent: Sent):
    settle(fake, sent)
    report(fake, issue)
    fake.set_activity(sent.campaign_id, clicks={"x1@reader.example": [sent.urls[2]]})
    assert report(fake, issue).totals.clicks_total == 6  # kept: the old figures
    fake.clear_requests()
    fresh = report(fake, issue, refresh=True)
    assert fresh.totals.clicks_total == 1 and fake.calls("GET", r"^/reports/")
    assert report(fake, issue).totals.clicks_total == 1  # and kept anew


def test_a_recent_report_is_fetched_every_time(fake, issue: Path, sent: Sent):
    settle(fake, sent, days=29)
    report(fake, issue)
    assert not kept_file(issue, sent).exists()
    fake.clear_requests()
    assert report(fake, issue).calls > 0 and fake.calls("GET", r"^/reports/")


def test_a_damaged_kept_report_is_fetched_again(fake, issue: Path, sent: Sent):
    settle(fake, sent)
    report(fake, issue)
    for damage in ("{not json", json.dumps({"version": 1, "campaign_id": sent.campaign_id}), ""):
        kept_file(issue, sent).write_text(damage, encoding="utf-8")
        again = report(fake, issue)
        assert again.calls > 0 and again.totals.emails_sent == 20
        assert store.load(issue.parent.parent, sent.campaign_id) is not None


def test_only_aggregates_are_kept(fake, issue: Path, sent: Sent):
    settle(fake, sent)
    report(fake, issue)
    text = kept_file(issue, sent).read_text(encoding="utf-8")
    assert not any(a in text for a in addresses())
    assert not re.search(r"\b[0-9a-f]{32}\b", text)  # no subscriber hash either
    assert "@" not in text


def test_a_kept_report_says_when_the_issue_has_changed_since(fake, issue: Path, sent: Sent):
    settle(fake, sent)
    report(fake, issue)
    edit(issue, "Preventing Injury to Babies", "Preventing injury to babies")
    again = report(fake, issue)
    assert again.calls == 0
    assert any("changed since this report was made" in note for note in again.notes)
