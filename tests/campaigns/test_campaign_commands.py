"""The Mailchimp commands as the officer runs them: output, exit codes, and the key never shown."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from support.campaigns import campaigns, edit, env

from bulletin.cli import main

NEXT_YEAR = datetime.now(UTC).year + 1
AT = f"{NEXT_YEAR}-12-04 09:00"


def run(fake, *args: str, input: str | None = None, environ: dict[str, str] | None = None):
    result = CliRunner().invoke(main, list(args), env=environ or env(fake), input=input)
    assert fake.api_key not in result.output
    return result


def test_push_then_push_again(fake, issue):
    first = run(fake, "push", str(issue))
    assert first.exit_code == 0, first.output
    assert re.fullmatch(r"created campaign \w+ for 3 recipients of wscp-partners\n", first.output)
    again = run(fake, "push", str(issue))
    assert "is up to date (3 recipients of wscp-partners): nothing to push" in again.output
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    changed = run(fake, "push", str(issue), "--audience", "wscp-partners")
    assert changed.output.endswith(": HTML, plain text\n")
    assert len(campaigns(fake)) == 1


def test_push_with_check_errors_sends_nothing(fake, issue):
    edit(issue, "https://www.safeguardingworcestershire.org.uk/", "TODO")
    result = run(fake, "push", str(issue))
    assert result.exit_code == 1
    assert "error:" in result.output
    assert result.output.rstrip().endswith("nothing sent to Mailchimp")
    assert fake.requests == []


def test_the_whole_round(fake, issue, monkeypatch):
    monkeypatch.chdir(issue.parent)  # status finds the project above the current folder
    assert run(fake, "push", str(issue)).exit_code == 0
    tested = run(fake, "test-send", str(issue), "--to", "a@example.org", "--to", "b@example.org")
    assert tested.output == "sent HTML and plain-text tests to a@example.org, b@example.org\n"
    booked = run(fake, "schedule", str(issue), "--at", AT)
    assert booked.exit_code == 0, booked.output
    assert booked.output.startswith("scheduled: 'WSCP Newsletter, December 2020: keeping babies")
    assert "to 3 recipients of WSCP partners, " in booked.output
    assert f"4 December {NEXT_YEAR} 09:00 GMT (09:00 UTC)" in booked.output
    table = run(fake, "status").output.splitlines()
    assert table[0].split() == [
        "ISSUE", "AUDIENCE", "CAMPAIGN", "STATUS", "SCHEDULED", "RECIPIENTS", "LAST",
        "PUSHED", "CURRENT",
    ]  # fmt: skip
    row = table[1].split()
    assert row[0] == "issues/wscp-2020-12.yaml" and row[1] == "wscp-partners"
    assert row[3:7] == ["schedule", f"{NEXT_YEAR}-12-04", "09:00", "GMT"]
    assert row[7] == "3" and row[-1] == "yes"
    unbooked = run(fake, "unschedule", str(issue))
    assert unbooked.output.startswith("unscheduled: the send booked for ")
    assert unbooked.output.endswith(
        f" 4 December {NEXT_YEAR} 09:00 GMT is off (the campaign stays)\n"
    )
    declined = run(fake, "send", str(issue), input="n\n")
    assert declined.exit_code == 1 and fake.state.sends == []
    assert "to 3 recipients of WSCP partners now? [y/N]" in declined.output
    sent = run(fake, "send", str(issue), input="y\n")
    assert sent.exit_code == 0 and len(fake.state.sends) == 1
    again = run(fake, "send", str(issue), "--yes")
    assert again.exit_code == 1 and "has been sent" in again.output
    assert run(fake, "status", str(issue)).output.splitlines()[1].split()[3] == "sent"


def test_status_says_when_mailchimp_does_not_hold_the_current_issue(fake, issue):
    run(fake, "push", str(issue))
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    row = run(fake, "status", str(issue), "--tz", "UTC").output.splitlines()[1].split()
    assert row[3] == "save" and row[-1] == "no"
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", " ".join(row[5:8]))


def test_status_of_an_issue_never_pushed(fake, issue):
    lines = run(fake, "status", str(issue)).output.splitlines()
    assert lines[1].split()[:4] == ["issues/wscp-2020-12.yaml", "wscp-partners", "-", "not"]


def test_status_with_no_ledger(fake, issue, monkeypatch):
    monkeypatch.chdir(issue.parent.parent)
    assert run(fake, "status").output == "no campaigns yet: run bulletin push ISSUE.yaml\n"


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("2020-12-04 09:00", "has passed"),
        (f"{NEXT_YEAR}-12-04 09:10", f'use "{NEXT_YEAR}-12-04 09:00" or "{NEXT_YEAR}-12-04 09:15"'),
        (f"{NEXT_YEAR}-03-28 01:30", "does not exist in Europe/London"),
        ("next friday", "write the time as YYYY-MM-DD HH:MM"),
    ],
)
def test_schedule_refuses_bad_times_before_calling_mailchimp(fake, issue, at, message):
    result = run(fake, "schedule", str(issue), "--at", at)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert fake.requests == []


def test_schedule_before_push_says_to_push(fake, issue):
    result = run(fake, "schedule", str(issue), "--at", AT)
    assert result.exit_code == 1
    assert f"no campaign in Mailchimp yet: run bulletin push {issue} first" in result.output


def test_the_key_is_never_shown(fake, issue, monkeypatch):
    monkeypatch.chdir(issue.parent.parent)
    run(fake, "push", str(issue))  # run() asserts the key is not in the output
    wrong = "f" * 32 + "-us19"
    for args in (["push", str(issue)], ["status"], ["schedule", str(issue), "--at", AT]):
        result = run(fake, *args, environ={**env(fake), "MAILCHIMP_API_KEY": wrong})
        assert result.exit_code == 1
        assert wrong not in result.output
        assert "Mailchimp said 401: API Key Invalid" in result.output
    fake.take_violations()


def test_a_missing_key_is_one_line(fake, issue):
    result = run(fake, "push", str(issue), environ={"MAILCHIMP_BASE_URL": fake.url})
    assert result.exit_code == 1
    assert result.output.startswith("error: MAILCHIMP_API_KEY is not set")
    assert len(result.output.splitlines()) == 1


def test_mailchimp_field_errors_are_one_line(fake, issue):
    run(fake, "push", str(issue))
    fake.inject(r"/actions/test$", "POST", fault="500")
    result = run(fake, "test-send", str(issue))
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1
    assert "Mailchimp said 500: Internal Server Error" in result.output


def test_targeting_a_partner_list_is_kept_until_widened(fake_mailchimp, issue):
    fake = fake_mailchimp
    fake.seed_list(
        "WSCP partners",
        list_id="0a1b2c3d4e",
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        tags=["Schools DSLs"],
        members=[
            {"email": "dsl@school.example", "tags": ["Schools DSLs"]},
            "nurse@nhs.example",
            "officer@police.example",
        ],
    )
    narrowed = run(fake, "push", str(issue), "--tag", "Schools DSLs")
    assert narrowed.exit_code == 0, narrowed.output
    assert "targeting " in narrowed.output
    assert "for 1 recipients of wscp-partners" in narrowed.output
    fake.clear_requests()
    again = run(fake, "push", str(issue))  # no targeting option: the campaign keeps its readers
    assert "is up to date (1 recipients of wscp-partners)" in again.output
    assert fake.write_calls() == 0
    tested = run(fake, "test-send", str(issue), "--to", "comms@worcestershire.gov.uk")
    assert tested.exit_code == 0, tested.output
    widened = run(fake, "push", str(issue), "--everyone")
    assert widened.exit_code == 0, widened.output
    assert "for 3 recipients of wscp-partners: segment" in widened.output
    assert len(campaigns(fake)) == 1


def test_an_unknown_partner_list_is_refused_before_any_write(fake, issue):
    result = run(fake, "push", str(issue), "--tag", "Schools DSL")
    assert result.exit_code == 1
    assert "Schools DSL" in result.stderr
    assert fake.write_calls() == 0
