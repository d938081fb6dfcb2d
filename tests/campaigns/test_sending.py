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


# -- the exact words, the ledger and the steps ----------------------------------------------------

OTHER_LIST = "9e8d7c6b5a"  # a second audience for the same publication (added by the test)


def sent(fake, issue: Path) -> str:
    """Send the pushed issue; the id of its campaign."""
    d = dispatcher(fake, issue)
    ready = ready_to_send(d, payload(issue))
    send(d, ready)
    return ready.id


def unsubscribe(fake, email: str) -> None:
    """A reader leaves the list (through the real SDK, as Mailchimp's form would)."""
    import hashlib

    digest = hashlib.md5(email.lower().encode()).hexdigest()
    fake.client().lists.update_list_member(LIST_ID, digest, {"status": "unsubscribed"})


def two_audiences(fake, issue: Path) -> None:
    """The publication goes to a second audience too; the issue is pushed to both."""
    yaml = issue.parent.parent / "audiences.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8")
        + "\n  - name: wscp-schools\n"
        + f"    list_id: {OTHER_LIST}\n"
        + "    publication: wscp\n"
        + "    merge_fields:\n"
        + "      - {tag: ORG, name: Organisation}\n"
        + f"    reviewers: [{REVIEWER}]\n",
        encoding="utf-8",
    )
    fake.seed_list(
        "WSCP schools",
        list_id=OTHER_LIST,
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        members=["head@school.example"],
    )
    for audience in ("wscp-partners", "wscp-schools"):
        dispatcher(fake, issue).push(payload(issue, audience=audience))


def booked(fake) -> dict[str, tuple[str, datetime | None]]:
    """Each campaign's (status, booking), by the list it goes to."""
    return {c.recipients["list_id"]: (c.status, c.schedule_time) for c in campaigns(fake)}


def test_describe_says_recipient_for_one_and_recipients_for_two(fake, issue):
    subject = "'WSCP Newsletter, December 2020: keeping babies safe'"
    unsubscribe(fake, SUBSCRIBED[0])
    ready = ready_to_send(dispatcher(fake, issue), payload(issue))
    assert ready.describe() == f"{subject} to 2 recipients of WSCP partners"
    unsubscribe(fake, SUBSCRIBED[1])
    ready = ready_to_send(dispatcher(fake, issue), payload(issue))
    assert ready.describe() == f"{subject} to 1 recipient of WSCP partners"


def test_a_test_send_and_a_schedule_keep_the_time_of_the_last_push_in_the_ledger(fake, issue):
    pushed = entry(issue).last_pushed
    assert pushed is not None
    send_test(dispatcher(fake, issue), payload(issue))
    assert entry(issue).last_pushed == pushed
    schedule(dispatcher(fake, issue), payload(issue), AT)
    assert entry(issue).last_pushed == pushed


def test_a_campaign_mailchimp_rewrote_after_our_push_is_still_taken_as_up_to_date(fake, issue):
    from bulletin.campaigns.compare import remote_hash

    (campaign,) = campaigns(fake)
    with fake.lock:  # Mailchimp reformats the HTML it was given (it inlines CSS, say)
        campaign.html = campaign.html.replace("<body", "<body data-inlined='1'", 1)
    d = dispatcher(fake, issue)
    held = remote_hash(d.get_campaign(campaign.id), d.content(campaign.id))
    ledger = Ledger.at(issue.parent.parent)
    ledger.put(entry(issue).but(remote_hash=held))  # what the push saw come back
    assert send_test(d, payload(issue)) == [REVIEWER]
    assert len(fake.state.test_sends) == 2


def test_a_test_send_with_no_reviewers_and_no_to_says_to_add_some(fake, issue):
    edit(issue.parent.parent / "audiences.yaml", f"reviewers: [{REVIEWER}]", "reviewers: []")
    with pytest.raises(BulletinError) as info:
        send_test(dispatcher(fake, issue), payload(issue))
    assert str(info.value) == (
        "audience wscp-partners has no reviewers in audiences.yaml: add some, or give --to EMAIL"
    )
    assert fake.requests == []


def test_a_sent_campaign_refuses_a_test_a_schedule_and_a_second_send_naming_the_file(fake, issue):
    campaign_id = sent(fake, issue)
    gone = f"{issue}: its campaign {campaign_id} has been sent (status 'sent'): cannot"
    for doing, attempt in [
        ("send a test", lambda: send_test(dispatcher(fake, issue), payload(issue))),
        ("schedule it", lambda: schedule(dispatcher(fake, issue), payload(issue), AT)),
        ("send it again", lambda: ready_to_send(dispatcher(fake, issue), payload(issue))),
        ("unschedule it", lambda: unschedule(dispatcher(fake, issue), issue)),
    ]:
        with pytest.raises(BulletinError) as info:
            attempt()
        assert str(info.value) == f"{gone} {doing}"
    assert fake.state.test_sends == [] and len(fake.state.sends) == 1


def test_send_records_sending_in_the_ledger(fake, issue):
    sent(fake, issue)
    assert (entry(issue).status, entry(issue).schedule_time) == ("sending", None)


def test_the_dispatcher_names_each_step_it_takes(fake, issue):
    steps: list[str] = []
    send_test(dispatcher(fake, issue, on_step=steps.append), payload(issue))
    schedule(dispatcher(fake, issue, on_step=steps.append), payload(issue), AT)
    unschedule(dispatcher(fake, issue, on_step=steps.append), issue)
    d = dispatcher(fake, issue, on_step=steps.append)
    send(d, ready_to_send(d, payload(issue)))
    assert steps == ["test", "test", "schedule", "unschedule", "send"]


def test_the_pending_test_is_named_by_its_type_and_addresses_in_the_refusal(fake, issue):
    to = ["a@example.org", "b@example.org"]
    fake.inject(r"/actions/test$", "POST", fault="drop")
    with pytest.raises(MailchimpError):
        send_test(dispatcher(fake, issue), payload(issue), to)
    key = (payload(issue).title, LIST_ID, "test")
    detail, since = Ledger.at(issue.parent.parent).pending(*key)
    assert detail.split(" ", 1)[1] == "html to a@example.org, b@example.org"
    with pytest.raises(BulletinError) as info:
        send_test(dispatcher(fake, issue), payload(issue), to)
    assert str(info.value) == (
        f"{issue}: the last test send (html to a@example.org, b@example.org, {since}) got no "
        "answer from Mailchimp, so it may have gone: ask the reviewers whether it arrived; "
        f"`bulletin test-send {issue} --again` sends it again"
    )


def test_a_test_without_an_answer_names_the_addresses_and_keeps_mailchimps_status(fake, issue):
    to = ["a@example.org", "b@example.org"]
    fake.inject(r"/actions/test$", "POST", fault="500")
    with pytest.raises(MailchimpError) as info:
        send_test(dispatcher(fake, issue), payload(issue), to)
    assert info.value.status == 500
    assert str(info.value) == (
        "the html test to a@example.org, b@example.org got no answer, so it may have gone "
        "(Mailchimp said 500: Internal Server Error: An unexpected internal error has occurred. "
        "Please contact Support.): ask them; "
        f"`bulletin test-send {issue} --again` sends it again"
    )


def test_a_test_refused_outright_names_the_addresses_and_keeps_mailchimps_status(fake, issue):
    to = ["a@example.org", "b@example.org"]
    fake.inject(r"/actions/test$", "POST", fault="429", times=5)
    with pytest.raises(MailchimpError) as info:
        send_test(dispatcher(fake, issue), payload(issue), to)
    assert info.value.status == 429
    assert str(info.value) == (
        "the html test to a@example.org, b@example.org failed: Mailchimp said 429: Too Many "
        "Requests: You have exceeded the limit of 10 simultaneous connections."
    )


def fail_after(fake, tests: int, fault: str, times: int = 1):
    """An on_step hook: after `tests` test sends went, the next one meets `fault`."""
    done: list[str] = []

    def step(name: str) -> None:
        done.append(name)
        if done.count("test") == tests:
            fake.inject(r"/actions/test$", "POST", fault=fault, times=times)

    return step


READERS = [f"reader{n}@example.org" for n in range(14)]  # three tests: 6, 6 and 2


def test_a_test_without_an_answer_part_way_says_who_it_went_to_first(fake, issue):
    d = dispatcher(fake, issue, on_step=fail_after(fake, 4, "503"))
    with pytest.raises(MailchimpError) as info:
        send_test(d, payload(issue), READERS)
    assert info.value.status == 503
    assert str(info.value) == (
        f"sent to {', '.join(READERS[:12])}; then the html test to reader12@example.org, "
        "reader13@example.org got no answer, so it may have gone (Mailchimp said 503: Service "
        "Unavailable: The service is temporarily unavailable. Please try again later.): ask "
        f"them; `bulletin test-send {issue} --again` sends it again"
    )
    assert [len(t.emails) for t in fake.state.test_sends] == [6, 6, 6, 6]
    key = (payload(issue).title, LIST_ID, "test")
    detail, _ = Ledger.at(issue.parent.parent).pending(*key)
    assert detail.split(" ", 1)[1] == "html to reader12@example.org, reader13@example.org"


def test_a_test_refused_part_way_says_who_it_went_to_first_and_is_not_in_doubt(fake, issue):
    d = dispatcher(fake, issue, on_step=fail_after(fake, 4, "429", times=5))
    with pytest.raises(MailchimpError) as info:
        send_test(d, payload(issue), READERS)
    assert info.value.status == 429
    assert str(info.value) == (
        f"sent to {', '.join(READERS[:12])}; then the html test to reader12@example.org, "
        "reader13@example.org failed: Mailchimp said 429: Too Many Requests: You have exceeded "
        "the limit of 10 simultaneous connections."
    )
    key = (payload(issue).title, LIST_ID, "test")
    assert Ledger.at(issue.parent.parent).pending(*key) is None
    send_test(dispatcher(fake, issue), payload(issue), READERS[12:])  # no --again needed


def test_a_test_without_an_answer_at_the_first_address_says_only_that(fake, issue):
    fake.inject(r"/actions/test$", "POST", fault="drop")
    with pytest.raises(MailchimpError) as info:
        send_test(dispatcher(fake, issue), payload(issue))
    assert info.value.status is None
    assert str(info.value) == (
        f"the html test to {REVIEWER} got no answer, so it may have gone (Mailchimp did not "
        f"answer (ConnectionError)): ask them; `bulletin test-send {issue} --again` sends it again"
    )


BROKEN = "  - type: nope\n"  # the issue no longer loads: the ledger says where it was pushed


def test_unschedule_before_any_push_says_there_is_nothing_to_unschedule(fake, tmp_path):
    issue = make_project(tmp_path / "other")
    with pytest.raises(BulletinError) as info:
        unschedule(dispatcher(fake, issue), issue)
    assert str(info.value) == f"{issue}: no campaign in Mailchimp: nothing to unschedule"


def test_unschedule_of_an_issue_that_fails_its_checks_works_without_the_ledger(fake, issue):
    schedule(dispatcher(fake, issue), payload(issue), AT)
    (issue.parent.parent / ".bulletin" / "ledger.sqlite3").unlink()
    edit(
        issue,
        "https://www.safeguardingworcestershire.org.uk/wscp-safeguarding-babies-initiative/",
        "https://example.com/",
    )  # a link that goes nowhere yet: a check error
    with pytest.raises(ChecksFailed):
        payload(issue)
    assert unschedule(dispatcher(fake, issue), issue) == AT
    assert status(fake) == ("save", None)


def test_unschedule_naming_one_audience_leaves_the_other_booked(fake, issue):
    two_audiences(fake, issue)
    for audience in ("wscp-partners", "wscp-schools"):
        schedule(dispatcher(fake, issue), payload(issue, audience=audience), AT)
    assert unschedule(dispatcher(fake, issue), issue, "wscp-schools") == AT
    assert booked(fake) == {LIST_ID: ("schedule", AT), OTHER_LIST: ("save", None)}
    ledger = Ledger.at(issue.parent.parent)
    title = payload(issue, audience="wscp-schools").title
    assert ledger.get(title, OTHER_LIST).status == "save"
    assert ledger.get(title, LIST_ID).status == "schedule"


def test_unschedule_naming_one_audience_of_an_issue_that_no_longer_loads(fake, issue):
    two_audiences(fake, issue)
    for audience in ("wscp-partners", "wscp-schools"):
        schedule(dispatcher(fake, issue), payload(issue, audience=audience), AT)
    edit(issue, "sections:\n", "sections:\n" + BROKEN)
    assert unschedule(dispatcher(fake, issue), issue, "wscp-partners") == AT
    assert booked(fake) == {LIST_ID: ("save", None), OTHER_LIST: ("schedule", AT)}
    rows = Ledger.at(issue.parent.parent).entries()
    assert {e.list_id: e.status for e in rows} == {LIST_ID: "save", OTHER_LIST: "schedule"}


def test_unschedule_naming_an_audience_without_audiences_yaml_reports_the_broken_issue(fake, issue):
    schedule(dispatcher(fake, issue), payload(issue), AT)
    edit(issue, "sections:\n", "sections:\n" + BROKEN)
    (issue.parent.parent / "audiences.yaml").unlink()
    with pytest.raises(ChecksFailed):
        unschedule(dispatcher(fake, issue), issue, "wscp-partners")
    assert status(fake) == ("schedule", AT)


def test_an_unanswered_schedule_is_not_taken_as_booked_when_mailchimp_shows_another_time(
    fake, issue
):
    later = datetime(2020, 12, 4, 10, tzinfo=UTC)
    (campaign,) = campaigns(fake)

    def booked_elsewhere(record) -> None:  # another computer books 10:00 just before our call
        if record.method == "GET" and record.path.endswith("/content"):
            with fake.lock:
                campaign.status, campaign.schedule_time = "schedule", later

    fake.inject(r"/actions/schedule$", "POST", fault="500")
    fake.on_request = booked_elsewhere
    try:
        with pytest.raises(MailchimpError, match=r"whether it was scheduled is unknown"):
            schedule(dispatcher(fake, issue, settle=0.1), payload(issue), AT)
    finally:
        fake.on_request = None
    assert status(fake) == ("schedule", later)
    assert (entry(issue).status, entry(issue).schedule_time) == ("save", None)
