"""Test sends, schedules and sends: only what was pushed, each done once, faults read back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.campaigns import (
    LIST_ID,
    SUBSCRIBED,
    Killed,
    campaigns,
    dispatcher,
    edit,
    make_project,
    payload,
    seed,
)

from bulletin.campaigns.ledger import Ledger
from bulletin.campaigns.sending import ready_to_send, schedule, send, send_test, unschedule
from bulletin.campaigns.sendtime import send_time
from bulletin.campaigns.wanted import ChecksFailed
from bulletin.errors import BulletinError
from bulletin.mailchimp.client import MailchimpError

NOW = datetime(2020, 12, 1, 10, 7, tzinfo=UTC)
AT = datetime(2020, 12, 4, 9, 0, tzinfo=UTC)  # "2020-12-04 09:00" in London
REVIEWER = "wscp@worcestershire.gov.uk"  # audiences.yaml


@pytest.fixture
def fake(fake_mailchimp):
    fake_mailchimp.set_now(NOW)
    seed(fake_mailchimp)
    return fake_mailchimp


@pytest.fixture
def issue(tmp_path: Path, fake) -> Path:
    """The example, pushed."""
    issue = make_project(tmp_path)
    dispatcher(fake, issue).push(payload(issue))
    fake.clear_requests()
    return issue


def status(fake) -> tuple[str, datetime | None]:
    (campaign,) = campaigns(fake)
    return campaign.status, campaign.schedule_time


def entry(issue: Path):
    return Ledger.at(issue.parent.parent).entries()[0]


# -- test sends ----------------------------------------------------------------------------------


def test_a_test_goes_to_the_reviewers_as_html_and_plain_text(fake, issue):
    assert send_test(dispatcher(fake, issue), payload(issue)) == [REVIEWER]
    sends = fake.state.test_sends
    assert [(t.emails, t.send_type) for t in sends] == [
        ([REVIEWER], "html"),
        ([REVIEWER], "plaintext"),
    ]
    assert sends[0].html == payload(issue).html


def test_many_addresses_go_in_tests_of_six_at_most(fake, issue):
    to = [f"reviewer{n}@example.org" for n in range(8)]
    assert send_test(dispatcher(fake, issue), payload(issue), to) == to
    assert [len(t.emails) for t in fake.state.test_sends] == [6, 6, 2, 2]
    assert sorted({e for t in fake.state.test_sends for e in t.emails}) == sorted(to)


def test_a_test_of_content_that_was_not_pushed_is_refused(fake, issue):
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    with pytest.raises(
        BulletinError, match=r"differs from its campaign in Mailchimp \(HTML, plain"
    ):
        send_test(dispatcher(fake, issue), payload(issue))
    assert fake.write_calls() == 0


def test_a_test_before_any_push_is_refused(fake, tmp_path):
    issue = make_project(tmp_path / "other")
    with pytest.raises(BulletinError, match="no campaign in Mailchimp yet: run bulletin push"):
        send_test(dispatcher(fake, issue), payload(issue))


def test_a_malformed_address_is_refused_before_any_call(fake, issue):
    with pytest.raises(BulletinError, match="--to not-an-address: not an e-mail address"):
        send_test(dispatcher(fake, issue), payload(issue), ["not-an-address"])
    assert fake.requests == []


def test_a_429_on_a_test_is_waited_out(fake, issue):
    fake.inject(r"/actions/test$", "POST", fault="429", retry_after=2)
    d = dispatcher(fake, issue)
    send_test(d, payload(issue))
    assert d.mc.delays == [2]
    assert len(fake.state.test_sends) == 2


@pytest.mark.parametrize("fault", ["500", "503", "drop", "after"])
def test_a_test_without_an_answer_is_never_sent_again(fake, issue, fault):
    fake.inject(r"/actions/test$", "POST", fault=fault)
    with pytest.raises(MailchimpError, match=r"got no answer, so it may have gone"):
        send_test(dispatcher(fake, issue), payload(issue))
    assert len(fake.calls("POST", r"/actions/test$")) == 1
    fake.clear_faults()
    with pytest.raises(BulletinError, match=r"may have gone: ask the reviewers.*--again"):
        send_test(dispatcher(fake, issue), payload(issue))  # a re-run does not send it again
    assert len(fake.calls("POST", r"/actions/test$")) == 1
    send_test(dispatcher(fake, issue), payload(issue), again=True)
    assert len(fake.calls("POST", r"/actions/test$")) == 3  # asked for: both tests again
    send_test(dispatcher(fake, issue), payload(issue))  # and now nothing is in doubt
    assert len(fake.calls("POST", r"/actions/test$")) == 5


def test_a_test_refused_outright_may_be_sent_again_without_again(fake, issue):
    fake.inject(r"/actions/test$", "POST", fault="429", times=5)
    with pytest.raises(MailchimpError, match="failed"):
        send_test(dispatcher(fake, issue), payload(issue))
    send_test(dispatcher(fake, issue), payload(issue))
    assert len(fake.state.test_sends) == 2


def test_a_changed_push_clears_the_doubt_about_an_old_test(fake, issue):
    fake.inject(r"/actions/test$", "POST", fault="drop")
    with pytest.raises(MailchimpError):
        send_test(dispatcher(fake, issue), payload(issue))
    edit(issue, "keeping babies safe", "keeping babies safer")
    dispatcher(fake, issue).push(payload(issue))
    send_test(dispatcher(fake, issue), payload(issue))  # a test of new content is no repeat


# -- schedule ------------------------------------------------------------------------------------


def test_schedule_books_the_utc_quarter_hour_and_counts_the_recipients(fake, issue):
    at = send_time("2020-12-04 09:00", now=NOW)
    ready, booked = schedule(dispatcher(fake, issue), payload(issue), at)
    assert booked and ready.recipients == len(SUBSCRIBED)
    assert ready.describe() == (
        "'WSCP Newsletter, December 2020: keeping babies safe' to 3 recipients of WSCP partners"
    )
    assert status(fake) == ("schedule", AT)
    assert fake.calls("POST", r"/actions/schedule$")[0].body == {
        "schedule_time": "2020-12-04T09:00:00+00:00"
    }
    assert (entry(issue).status, entry(issue).schedule_time) == (
        "schedule",
        "2020-12-04T09:00:00+00:00",
    )


def test_schedule_in_summer_time(fake, issue):
    schedule(dispatcher(fake, issue), payload(issue), send_time("2021-06-04 09:00", now=NOW))
    assert status(fake) == ("schedule", datetime(2021, 6, 4, 8, tzinfo=UTC))


def test_scheduling_again_at_the_same_time_does_nothing(fake, issue):
    schedule(dispatcher(fake, issue), payload(issue), AT)
    fake.clear_requests()
    assert schedule(dispatcher(fake, issue), payload(issue), AT)[1] is False
    assert fake.write_calls() == 0


def test_scheduling_at_another_time_asks_to_unschedule_first(fake, issue):
    schedule(dispatcher(fake, issue), payload(issue), AT)
    later = datetime(2020, 12, 4, 10, tzinfo=UTC)
    with pytest.raises(BulletinError, match=r"already scheduled for Friday 4 December 2020 09:00"):
        schedule(dispatcher(fake, issue), payload(issue), later)


def test_schedule_refuses_content_that_was_not_pushed(fake, issue):
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    with pytest.raises(BulletinError, match=r"run bulletin push .* first"):
        schedule(dispatcher(fake, issue), payload(issue), AT)
    assert fake.write_calls() == 0


def test_schedule_refuses_while_checks_have_errors(fake, issue):
    edit(issue, "https://www.safeguardingworcestershire.org.uk/", "TODO")
    with pytest.raises(ChecksFailed):
        schedule(dispatcher(fake, issue), payload(issue), AT)
    assert fake.requests == []


def test_mailchimp_refusals_read_as_one_line_with_the_field(fake, issue):
    fake.set_now(datetime(2020, 12, 5, tzinfo=UTC))  # Mailchimp's clock is ahead of ours
    with pytest.raises(MailchimpError) as info:
        schedule(dispatcher(fake, issue), payload(issue), AT)
    assert info.value.status == 400
    message = str(info.value)
    assert message.startswith("Mailchimp said 400: Invalid Resource: Schedule time must be")
    assert message.endswith("(schedule_time: Must be in the future.)")
    assert "\n" not in message
    fake.take_violations()


@pytest.mark.parametrize(
    "mistake",
    ["TODO", "  - type: nope\n"],  # a check error; a broken issue, found through the ledger
)
def test_unschedule_works_on_an_issue_with_errors(fake, issue, mistake):
    from click.testing import CliRunner
    from support.campaigns import env

    from bulletin.cli import main

    schedule(dispatcher(fake, issue), payload(issue), AT)
    if mistake == "TODO":
        edit(issue, "https://www.safeguardingworcestershire.org.uk/", mistake)
    else:
        edit(issue, "sections:\n", "sections:\n" + mistake)
    result = CliRunner().invoke(main, ["unschedule", str(issue)], env=env(fake))
    assert result.exit_code == 0, result.output
    assert status(fake) == ("save", None)


def test_schedule_works_without_the_ledger(fake, issue):
    (issue.parent.parent / ".bulletin" / "ledger.sqlite3").unlink()
    schedule(dispatcher(fake, issue), payload(issue), AT)
    assert status(fake) == ("schedule", AT)


@pytest.mark.parametrize("fault", ["429", "500", "503", "drop"])
@pytest.mark.parametrize("path", [r"^/campaigns/\w+$", r"^/campaigns/\w+/content$"])
def test_the_reads_before_a_schedule_are_retried(fake, issue, path, fault):
    fake.inject(path, "GET", fault=fault)
    schedule(dispatcher(fake, issue), payload(issue), AT)
    assert status(fake) == ("schedule", AT)


def test_a_schedule_done_but_unanswered_is_read_back_not_repeated(fake, issue):
    fake.inject(r"/actions/schedule$", "POST", fault="after")
    schedule(dispatcher(fake, issue), payload(issue), AT)
    assert status(fake) == ("schedule", AT)
    assert len(fake.calls("POST", r"/actions/schedule$")) == 1
    assert entry(issue).status == "schedule"


@pytest.mark.parametrize("fault", ["500", "503", "drop"])
def test_a_schedule_that_failed_says_so_and_the_next_run_books_it(fake, issue, fault):
    fake.inject(r"/actions/schedule$", "POST", fault=fault)
    with pytest.raises(
        MailchimpError,
        match=r"still shows the campaign 'save' after 0.3 s, so whether it was scheduled is "
        r"unknown: check `bulletin status` in a minute",
    ):
        schedule(dispatcher(fake, issue), payload(issue), AT)
    assert len(fake.calls("POST", r"/actions/schedule$")) == 1
    assert status(fake) == ("save", None)
    schedule(dispatcher(fake, issue), payload(issue), AT)
    assert status(fake) == ("schedule", AT)


def test_a_schedule_slower_than_the_timeout_is_not_booked_twice(fake, issue):
    from support.waiting import wait_for

    from bulletin.campaigns.push import Dispatcher
    from bulletin.mailchimp.client import Config, Mailchimp

    fake.inject(r"/actions/schedule$", "POST", fault="slow", delay=0.8)
    mc = Mailchimp(Config(fake.api_key, "us19", fake.url, timeout=0.3), sleep=lambda s: None)
    with pytest.raises(MailchimpError, match=r"whether it was scheduled is unknown"):
        schedule(Dispatcher(mc, Ledger.at(issue.parent.parent), settle=0.1), payload(issue), AT)
    wait_for(lambda: status(fake) == ("schedule", AT), what="the slow schedule to land")
    assert schedule(dispatcher(fake, issue), payload(issue), AT)[1] is False
    assert len(fake.calls("POST", r"/actions/schedule$")) == 1
    assert status(fake) == ("schedule", AT)


def test_a_schedule_with_no_answer_and_no_read_back_says_to_look(fake, issue):
    from bulletin.campaigns.sending import ready
    from bulletin.mailchimp import campaigns as api

    d = dispatcher(fake, issue)
    r = ready(d, payload(issue))
    fake.inject(r"/actions/schedule$", "POST", fault="drop")
    fake.inject(r"^/campaigns/\w+$", "GET", times=None, fault="503")
    with pytest.raises(
        MailchimpError, match=r"nor could the campaign be read back.*check `bulletin status`"
    ):
        d.act(
            lambda: api.schedule(d.mc, r.id, "2020-12-04T09:00:00+00:00"),
            r.id,
            done=lambda c: True,
            what="scheduled",
        )


def test_a_schedule_killed_before_the_ledger_is_found_booked_by_the_next_run(fake, issue):
    def kill(step: str) -> None:
        if step == "schedule":
            raise Killed(step)

    with pytest.raises(Killed):
        schedule(dispatcher(fake, issue, on_step=kill), payload(issue), AT)
    assert schedule(dispatcher(fake, issue), payload(issue), AT)[1] is False
    assert len(fake.calls("POST", r"/actions/schedule$")) == 1


# -- unschedule ----------------------------------------------------------------------------------


def test_unschedule_takes_the_booking_off(fake, issue):
    schedule(dispatcher(fake, issue), payload(issue), AT)
    assert unschedule(dispatcher(fake, issue), issue) == AT
    assert status(fake) == ("save", None)
    assert entry(issue).status == "save"
    assert unschedule(dispatcher(fake, issue), issue) is None


@pytest.mark.parametrize("fault", ["429", "after"])
def test_an_unschedule_without_an_answer_is_read_back(fake, issue, fault):
    schedule(dispatcher(fake, issue), payload(issue), AT)
    fake.inject(r"/actions/unschedule$", "POST", fault=fault)
    assert unschedule(dispatcher(fake, issue), issue) == AT
    assert status(fake) == ("save", None)


def test_an_unschedule_that_failed_says_so(fake, issue):
    schedule(dispatcher(fake, issue), payload(issue), AT)
    fake.inject(r"/actions/unschedule$", "POST", fault="500")
    with pytest.raises(
        MailchimpError,
        match=r"still shows the campaign 'schedule'.*whether it was unscheduled is unknown",
    ):
        unschedule(dispatcher(fake, issue), issue)
    assert status(fake) == ("schedule", AT)


# -- send ----------------------------------------------------------------------------------------


def test_send_now_sends_to_the_subscribed_readers_once(fake, issue):
    d = dispatcher(fake, issue)
    ready = ready_to_send(d, payload(issue))
    assert ready.recipients == 3
    send(d, ready)
    (sent,) = fake.state.sends
    assert sorted(sent.recipients) == sorted(SUBSCRIBED) and sent.list_id == LIST_ID
    with pytest.raises(BulletinError, match="has been sent"):
        ready_to_send(dispatcher(fake, issue), payload(issue))


def test_send_refuses_a_scheduled_campaign(fake, issue):
    schedule(dispatcher(fake, issue), payload(issue), AT)
    with pytest.raises(BulletinError, match=r"scheduled for .*: run bulletin unschedule"):
        ready_to_send(dispatcher(fake, issue), payload(issue))


def test_a_send_done_but_unanswered_is_read_back_not_repeated(fake, issue):
    fake.inject(r"/actions/send$", "POST", fault="after")
    d = dispatcher(fake, issue)
    send(d, ready_to_send(d, payload(issue)))
    assert len(fake.state.sends) == 1
    assert len(fake.calls("POST", r"/actions/send$")) == 1


@pytest.mark.parametrize("fault", ["500", "503", "drop"])
def test_a_send_that_failed_says_so_and_is_not_repeated(fake, issue, fault):
    fake.inject(r"/actions/send$", "POST", fault=fault)
    d = dispatcher(fake, issue)
    with pytest.raises(
        MailchimpError, match=r"whether it was sent is unknown: check `bulletin status` in a minute"
    ):
        send(d, ready_to_send(d, payload(issue)))
    assert fake.state.sends == []
    assert len(fake.calls("POST", r"/actions/send$")) == 1


def test_a_send_killed_before_the_ledger_is_not_sent_again(fake, issue):
    def kill(step: str) -> None:
        if step == "send":
            raise Killed(step)

    d = dispatcher(fake, issue, on_step=kill)
    with pytest.raises(Killed):
        send(d, ready_to_send(d, payload(issue)))
    with pytest.raises(BulletinError, match="has been sent"):
        ready_to_send(dispatcher(fake, issue), payload(issue))
    assert len(fake.state.sends) == 1


@pytest.mark.parametrize("action", ["schedule", "send"])
def test_a_429_on_an_action_is_waited_out_then_tried_again(fake, issue, action):
    fake.inject(rf"/actions/{action}$", "POST", fault="429", retry_after=4)
    d = dispatcher(fake, issue)
    if action == "schedule":
        schedule(d, payload(issue), AT)
        assert status(fake) == ("schedule", AT)
    else:
        send(d, ready_to_send(d, payload(issue)))
        assert len(fake.state.sends) == 1
    assert d.mc.delays == [4]
    assert len(fake.calls("POST", rf"/actions/{action}$")) == 2


def test_a_send_slower_than_the_timeout_is_read_back_until_it_lands(fake, issue):
    from bulletin.campaigns.push import Dispatcher
    from bulletin.mailchimp.client import Config, Mailchimp

    fake.inject(r"/actions/send$", "POST", fault="slow", delay=0.8)
    mc = Mailchimp(Config(fake.api_key, "us19", fake.url, timeout=0.3), sleep=lambda s: None)
    d = Dispatcher(mc, Ledger.at(issue.parent.parent))  # reads back for 3 timeouts: 0.9 s
    send(d, ready_to_send(d, payload(issue)))  # no "not sent (yet)": it landed, and we saw it
    assert len(fake.state.sends) == 1
    assert len(fake.calls("POST", r"/actions/send$")) == 1
