"""With tracking off, the report says what was not measured: it never shows zeros for it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from click.testing import CliRunner
from support.campaigns import env
from support.reports import exact_activity, send, track

from bulletin.cli import main


def report(fake, issue: Path, out: Path):
    result = CliRunner().invoke(main, ["report", str(issue), "--out", str(out)], env=env(fake))
    assert result.exit_code == 0, result.output
    summary = dict(list(csv.reader(io.StringIO(
        (out / "wscp-2020-12-report-summary.csv").read_text(encoding="utf-8"))))[1:])  # fmt: skip
    return result.output, summary


def test_opens_not_tracked_are_not_measured_and_clicks_still_are(fake, issue, tmp_path):
    track(issue, "{opens: false}")
    exact_activity(fake, send(fake, issue))  # the readers opened it: Mailchimp could not see
    text, summary = report(fake, issue, tmp_path / "out")
    assert re.search(r"opened \(unique\) +not measured", text)
    assert "Opens were not measured: open tracking was off for this campaign." in text
    assert summary["opened (unique)"] == "not measured" and summary["opens tracked"] == "no"
    assert summary["clicked (unique)"] == "4" and summary["clicks"] == "6"
    path = tmp_path / "out" / "wscp-2020-12-report-organisations.csv"
    orgs = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    assert {r["opened"] for r in orgs} == {"not measured"}
    assert {r["clicked"] for r in orgs} != {"not measured"}


def test_clicks_not_tracked_leave_the_sections_unmeasured(fake, issue, tmp_path):
    track(issue, "{clicks: false}")
    exact_activity(fake, send(fake, issue))
    fake.clear_requests()
    text, summary = report(fake, issue, tmp_path / "out")
    assert re.search(r"clicked \(unique\) +not measured", text)
    assert "not measured: click tracking was off" in text
    assert summary["clicks"] == "not measured" and summary["opened (unique)"] == "6"
    assert fake.calls("GET", r"/click-details$") == []  # nothing to ask for
    sections = list(csv.DictReader(io.StringIO(
        (tmp_path / "out" / "wscp-2020-12-report-sections.csv").read_text("utf-8"))))  # fmt: skip
    assert {r["clicks"] for r in sections} == {"not measured"}


def test_with_nothing_tracked_no_activity_is_fetched(fake, issue, tmp_path):
    track(issue, "{opens: false, clicks: false}")
    exact_activity(fake, send(fake, issue))
    fake.clear_requests()
    _, summary = report(fake, issue, tmp_path / "out")
    assert fake.calls("GET", r"/email-activity$") == []
    assert summary["emails sent"] == "20" and summary["unsubscribes"] == "1"
