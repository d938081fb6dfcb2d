"""`bulletin report --from --to`: every issue sent in the period, and only those."""

from __future__ import annotations

import csv
import io
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from support.campaigns import env
from support.reports import ADDRESS, exact_activity, send

from bulletin.cli import main
from bulletin.reports.period import bounds

PERIOD = ["--from", "2025-04-01", "--to", "2026-03-31"]


@pytest.fixture
def year(fake, issue: Path):
    """Three issues: December 2025 (exact activity), 1 April 2025 at 00:30 London time, and
    1 April 2026 at 00:30 (the day after the period)."""
    issues = issue.parent
    later = Path(shutil.copy(issue, issues / "wscp-2025-04.yaml"))
    outside = Path(shutil.copy(issue, issues / "wscp-2026-04.yaml"))
    december = send(fake, issue)
    exact_activity(fake, december)
    fake.sent_at(december.campaign_id, datetime(2025, 12, 4, 9, 0, tzinfo=UTC))
    april = send(fake, later)
    fake.set_activity(april.campaign_id, clicks={"a1@reader.example": [april.urls[2]]})
    fake.sent_at(april.campaign_id, datetime(2025, 3, 31, 23, 30, tzinfo=UTC))
    fake.sent_at(send(fake, outside).campaign_id, datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    return issue.parent.parent


def run(fake, root: Path, *args: str):
    import os

    here = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, ["report", *args], env=env(fake))
    finally:
        os.chdir(here)


def test_the_period_holds_the_issues_sent_in_it_in_order(fake, year: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run(fake, year, *PERIOD, "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    listed = [line.split()[1] for line in lines if line.startswith("2020-12-04  issues/")]
    assert listed == ["issues/wscp-2025-04.yaml", "issues/wscp-2020-12.yaml"]
    assert "wscp-2026-04" not in result.output
    issues = list(csv.DictReader(io.StringIO((out / "report-2025-04-01-2026-03-31-issues.csv")
                                             .read_text(encoding="utf-8"))))  # fmt: skip
    assert [(r["issue"], r["emails sent"], r["delivered"], r["clicked (unique)"], r["clicks"])
            for r in issues] == [
        ("issues/wscp-2025-04.yaml", "19", "19", "1", "1"),  # a6 unsubscribed before it
        ("issues/wscp-2020-12.yaml", "20", "18", "4", "6"),
    ]  # fmt: skip
    assert "Most used sections" in result.output and "By section type" in result.output


def test_the_period_charts_open_and_hold_no_address(fake, year: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run(fake, year, *PERIOD, "--out", str(out))
    assert result.exit_code == 0, result.output
    for name in ("reach", "sections"):
        with Image.open(out / f"report-2025-04-01-2026-03-31-{name}.png") as image:
            image.verify()
        ET.fromstring((out / f"report-2025-04-01-2026-03-31-{name}.svg").read_text("utf-8"))
    for path in out.iterdir():
        assert not ADDRESS.search(path.read_bytes().decode("latin-1")), path
    assert not ADDRESS.search(result.output)
    assert "Tiny Charity" not in result.output


def test_a_settled_year_costs_one_call_per_audience(fake, year: Path):
    run(fake, year, *PERIOD)
    fake.clear_requests()
    result = run(fake, year, *PERIOD)
    assert result.exit_code == 0, result.output
    assert [r.path for r in fake.requests] == ["/campaigns", "/campaigns"]  # two audiences
    assert "(2 Mailchimp calls)" in result.output


def test_a_lost_ledger_loses_no_issue(fake, year: Path):
    shutil.rmtree(year / ".bulletin")
    result = run(fake, year, *PERIOD)
    assert result.exit_code == 0, result.output
    assert "issues/wscp-2025-04.yaml" in result.output
    assert "Preventing Injury to Babies" in result.output  # mapped to the file found by name


def test_a_period_with_nothing_sent_says_so(fake, year: Path):
    result = run(fake, year, "--from", "2024-01-01", "--to", "2024-12-31")
    assert result.exit_code == 0
    assert "no issue of this project was sent in that period" in result.output


def test_the_period_runs_from_midnight_to_midnight_local_time():
    assert bounds(date(2025, 4, 1), date(2026, 3, 31), "Europe/London") == (
        "2025-03-31T23:00:00+00:00",
        "2026-03-31T23:00:00+00:00",
    )
