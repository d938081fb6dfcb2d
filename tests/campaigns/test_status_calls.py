"""`bulletin status` asks Mailchimp the same number of times for 3 issues as for 12: each
audience's campaigns are listed once, not looked up issue by issue, and only the campaign not
yet sent has its content read."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from support.campaigns import env, make_project

from bulletin.cli import main


def project_of(issue: Path, count: int) -> list[Path]:
    """`count` issues, one a month: the example again, each with a subject of its own."""
    issues = [issue]
    for n in range(1, count):
        copy = issue.with_name(f"{issue.stem}-{n:02d}{issue.suffix}")
        shutil.copy(issue, copy)
        text = copy.read_text(encoding="utf-8")
        copy.write_text(text.replace('subject: "', f'subject: "{n:02d}: ', 1), encoding="utf-8")
        issues.append(copy)
    return issues


def status_calls(fake, issue: Path, count: int, monkeypatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(issue.parent)
    for each in project_of(issue, count):
        pushed = CliRunner().invoke(main, ["push", str(each)], env=env(fake))
        assert pushed.exit_code == 0, pushed.output
    sdk = fake.client()
    with fake.lock:
        made = sorted(fake.state.campaigns.values(), key=lambda c: c.created)
    for campaign in made[:-1]:  # every month sent but the one being written
        sdk.campaigns.send(campaign.id)
    fake.clear_requests()
    result = CliRunner().invoke(main, ["status"], env=env(fake))
    assert result.exit_code == 0, result.output
    return len(fake.requests), result.output.splitlines()[1:]


def test_status_calls_do_not_grow_with_the_issues(fake, tmp_path: Path, monkeypatch):
    few, few_rows = status_calls(fake, make_project(tmp_path / "few"), 3, monkeypatch)
    fake.state.campaigns.clear()
    many, many_rows = status_calls(fake, make_project(tmp_path / "many"), 12, monkeypatch)
    assert (len(few_rows), len(many_rows)) == (3, 12)
    assert all(row.split()[-1] == "yes" for row in few_rows + many_rows)  # each one found
    assert [row.split()[3] for row in many_rows].count("sent") == 11
    assert few == many == 2  # the list of campaigns, the draft's content


def test_a_campaign_renamed_in_mailchimp_is_still_found(fake, issue, monkeypatch):
    _, rows = status_calls(fake, issue, 2, monkeypatch)
    with fake.lock:
        for campaign in fake.state.campaigns.values():
            campaign.settings["title"] = "Renamed by hand " + campaign.id
    again = CliRunner().invoke(main, ["status"], env=env(fake)).output.splitlines()[1:]
    assert [row.split()[2] for row in again] == [row.split()[2] for row in rows]
    assert "deleted" not in "".join(again)
