"""A copy of an issue that has gone (last month's file copied under this month's name, its
subject and preview unchanged) is never sent or booked to the same readers, unless --resend."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.campaigns import (
    LIST_ID,
    campaigns,
    client,
    dispatcher,
    edit,
    make_project,
    payload,
)

from bulletin.campaigns.sending import ready_to_send, schedule, send
from bulletin.cli import main
from bulletin.errors import BulletinError

NOW = datetime(2020, 12, 1, 10, 7, tzinfo=UTC)
AT = datetime(2020, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def fake(fake):
    fake.set_now(NOW)
    return fake


@pytest.fixture
def issue(tmp_path: Path, fake) -> Path:
    """The example, pushed and sent."""
    issue = make_project(tmp_path)
    dispatcher(fake, issue).push(payload(issue))
    d = dispatcher(fake, issue)
    send(d, ready_to_send(d, payload(issue)))
    return issue


def copy_of(issue: Path) -> Path:
    """The sent issue copied to start the next one: pushed, it is a campaign of its own."""
    return Path(shutil.copy(issue, issue.parent / "copy.yaml"))


def statuses(fake) -> dict[str, str]:
    return {c.settings["title"]: c.status for c in campaigns(fake)}


def test_a_copy_of_a_sent_issue_is_neither_sent_nor_booked(fake, issue):
    copy = copy_of(issue)
    dispatcher(fake, copy).push(payload(copy))
    sends_before = len(fake.state.sends)
    with pytest.raises(BulletinError) as refused:
        ready_to_send(dispatcher(fake, copy), payload(copy))
    message = str(refused.value)
    assert message.startswith(f"{payload(copy).path}: campaign ")
    assert f"('{payload(issue).title}') went to the same audience on " in message
    assert "is this issue a copy of that one?" in message and "--resend" in message
    with pytest.raises(BulletinError, match="a copy of that one"):
        schedule(dispatcher(fake, copy), payload(copy), AT)
    assert len(fake.state.sends) == sends_before
    assert statuses(fake)[payload(copy).title] == "save"


def test_resend_sends_the_copy_once_all_the_same(fake, issue):
    copy = copy_of(issue)
    dispatcher(fake, copy).push(payload(copy))
    d = dispatcher(fake, copy)
    send(d, ready_to_send(d, payload(copy), resend=True))
    assert statuses(fake)[payload(copy).title] == "sent"


def test_a_copy_of_a_booked_issue_is_refused_too(fake, tmp_path):
    issue = make_project(tmp_path / "booked")
    dispatcher(fake, issue).push(payload(issue))
    schedule(dispatcher(fake, issue), payload(issue), AT)
    copy = copy_of(issue)
    dispatcher(fake, copy).push(payload(copy))
    with pytest.raises(BulletinError, match=r"is booked to go to the same audience on Friday 4"):
        ready_to_send(dispatcher(fake, copy), payload(copy))
    assert statuses(fake)[payload(copy).title] == "save"


def test_the_copy_is_found_from_a_second_computer_with_no_state(fake, issue):
    copy = copy_of(issue)
    shutil.rmtree(issue.parent.parent / ".bulletin")
    dispatcher(fake, copy).push(payload(copy))
    with pytest.raises(BulletinError, match="a copy of that one"):
        ready_to_send(dispatcher(fake, copy), payload(copy))


def test_an_email_sent_by_hand_in_mailchimp_with_the_subject_and_preview_counts(fake, tmp_path):
    issue = make_project(tmp_path / "by-hand")
    wanted = payload(issue)
    mc = client(fake).client
    made = mc.campaigns.create(
        {
            "type": "regular",
            "recipients": {"list_id": LIST_ID},
            "settings": {
                "title": "December newsletter",
                "subject_line": wanted.settings["subject_line"],
                "preview_text": wanted.settings["preview_text"],
                "from_name": wanted.settings["from_name"],
                "reply_to": wanted.settings["reply_to"],
            },
        }
    )
    mc.campaigns.set_content(made["id"], {"html": "<p>December</p>"})
    mc.campaigns.send(made["id"])
    dispatcher(fake, issue).push(wanted)
    with pytest.raises(BulletinError, match=r"\('December newsletter'\) went to the same"):
        ready_to_send(dispatcher(fake, issue), payload(issue))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("December 2020: keeping", "January 2021: keeping"),  # a new subject, the same preview
        ("preview: Preventing", "preview: This month, preventing"),  # the same subject
    ],
)
def test_a_new_subject_or_a_new_preview_is_a_new_email(fake, issue, old, new):
    copy = copy_of(issue)
    edit(copy, old, new)
    dispatcher(fake, copy).push(payload(copy))
    d = dispatcher(fake, copy)
    send(d, ready_to_send(d, payload(copy)))
    assert statuses(fake)[payload(copy).title] == "sent"


def test_the_same_email_to_another_audience_is_not_a_copy(fake, issue):
    from test_sending import OTHER_LIST, two_audiences

    two_audiences(fake, issue)  # the sent issue pushed to a second audience as well
    d = dispatcher(fake, issue)
    ready = ready_to_send(d, payload(issue, audience="wscp-schools"))
    send(d, ready)
    assert {c.recipients["list_id"]: c.status for c in campaigns(fake)}[OTHER_LIST] == "sent"


def test_the_commands_refuse_in_one_line_and_send_with_resend(fake, issue, monkeypatch):
    copy = copy_of(issue)
    dispatcher(fake, copy).push(payload(copy))
    monkeypatch.setenv("MAILCHIMP_API_KEY", fake.api_key)
    monkeypatch.setenv("MAILCHIMP_BASE_URL", fake.url)
    for args in (["send", str(copy), "--yes"], ["schedule", str(copy), "--at", "2099-12-04 09:00"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        (line,) = result.output.splitlines()
        assert line.startswith("error: ") and "a copy of that one?" in line
    assert statuses(fake)[payload(copy).title] == "save"
    result = CliRunner().invoke(main, ["send", str(copy), "--yes", "--resend"])
    assert result.exit_code == 0, result.output
    assert statuses(fake)[payload(copy).title] == "sent"


def test_status_names_the_copy_before_send_refuses_it_and_no_call_more(fake, issue):
    from bulletin.campaigns.status import status_rows

    copy = copy_of(issue)
    dispatcher(fake, copy).push(payload(copy))
    root = issue.parent.parent
    d = dispatcher(fake, copy)
    fake.clear_requests()
    rows = status_rows(d, root)
    assert sorted(r.issue for r in rows) == ["issues/copy.yaml", "issues/wscp-2020-12.yaml"]
    (note,) = d.notes
    assert note.startswith(f"issues/copy.yaml: campaign {rows[1].campaign} (")
    assert note.endswith(
        "send and schedule refuse it until its subject or preview text changes (or --resend)"
    )
    assert len(fake.calls("GET", r"^/campaigns$")) == 1  # the audience's list, read once
    edit(copy, "preview: Preventing", "preview: This month, preventing")
    dispatcher(fake, copy).push(payload(copy))
    d = dispatcher(fake, copy)
    status_rows(d, root)
    assert d.notes == []
