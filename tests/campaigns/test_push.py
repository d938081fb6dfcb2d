"""`push`: one campaign per issue, found again without the ledger, no writes if nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.campaigns import (
    LIST_ID,
    SUBSCRIBED,
    Killed,
    campaigns,
    dispatcher,
    edit,
    only_campaign,
    payload,
)

from bulletin.campaigns.ledger import Ledger
from bulletin.campaigns.wanted import ChecksFailed
from bulletin.errors import BulletinError
from bulletin.mailchimp.client import MailchimpError

SUBJECT = "keeping babies safe"


def push(fake, issue: Path, **kwargs):
    return dispatcher(fake, issue, **kwargs).push(payload(issue))


def test_first_push_creates_the_campaign_with_settings_recipients_and_content(fake, issue):
    done = push(fake, issue)
    assert done.action == "created"
    assert done.recipients == len(SUBSCRIBED)
    campaign = only_campaign(fake, issue)
    assert campaign.type == "regular"
    assert campaign.settings == {
        "title": "bulletin:wscp:wscp-2020-12",
        "subject_line": "WSCP Newsletter, December 2020: keeping babies safe",
        "preview_text": payload(issue).settings["preview_text"],
        "from_name": "Worcestershire Safeguarding Children Partnership",
        "reply_to": "wscp@worcestershire.gov.uk",
    }
    entry = Ledger.at(issue.parent.parent).get("bulletin:wscp:wscp-2020-12", LIST_ID)
    assert entry is not None
    assert (entry.campaign_id, entry.path, entry.status) == (
        campaign.id,
        "issues/wscp-2020-12.yaml",
        "save",
    )
    assert entry.content_hash == payload(issue).hash
    assert entry.recipients == 3 and entry.last_pushed


def test_pushing_an_unchanged_issue_makes_no_write_call(fake, issue):
    push(fake, issue)
    fake.clear_requests()
    d = dispatcher(fake, issue)
    assert d.push(payload(issue)).action == "unchanged"
    assert fake.write_calls() == 0
    assert d.mc.calls == 2  # the campaign and its content, to see nobody changed them


def test_a_changed_subject_updates_the_campaign_never_creates_one(fake, issue):
    push(fake, issue)
    edit(issue, SUBJECT, "keeping babies safer")
    fake.clear_requests()
    done = push(fake, issue)
    assert (done.action, done.changed) == ("updated", ["subject", "HTML"])  # <title> is the subject
    assert [(r.method, r.operation) for r in fake.requests if r.method != "GET"] == [
        ("PATCH", "/campaigns/{campaign_id}"),
        ("PUT", "/campaigns/{campaign_id}/content"),
    ]
    patch = fake.calls("PATCH")[0].body
    assert {"subject_line", "from_name", "reply_to"} <= set(patch["settings"])  # the spec's rule
    assert "recipients" not in patch
    only_campaign(fake, issue)


def test_a_setting_changed_in_mailchimp_is_put_back_by_the_next_push(fake, issue):
    push(fake, issue)
    with fake.lock:
        campaigns(fake)[0].settings["subject_line"] = "edited in Mailchimp"
    fake.clear_requests()
    assert push(fake, issue).changed == ["subject"]
    assert [r.method for r in fake.requests if r.method != "GET"] == ["PATCH"]
    only_campaign(fake, issue)


def test_changed_text_updates_the_content_only(fake, issue):
    push(fake, issue)
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    fake.clear_requests()
    done = push(fake, issue)
    assert (done.action, done.changed) == ("updated", ["HTML", "plain text"])
    assert [r.method for r in fake.requests if r.method != "GET"] == ["PUT"]
    only_campaign(fake, issue)


def test_a_lost_ledger_finds_the_campaign_by_its_title(fake, issue):
    push(fake, issue)
    (issue.parent.parent / ".bulletin" / "ledger.sqlite3").unlink()
    fake.clear_requests()
    assert push(fake, issue).action == "unchanged"
    assert fake.write_calls() == 0
    assert Ledger.at(issue.parent.parent).entries()[0].campaign_id == campaigns(fake)[0].id
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    (issue.parent.parent / ".bulletin" / "ledger.sqlite3").unlink()
    assert push(fake, issue).action == "updated"
    only_campaign(fake, issue)


def test_the_title_is_found_on_a_later_page(fake, issue):
    client = fake.client()
    for n in range(7):
        client.campaigns.create(
            {"type": "regular", "recipients": {"list_id": LIST_ID}, "settings": {"title": f"x{n}"}}
        )
    push(fake, issue, page_size=3)
    (issue.parent.parent / ".bulletin").rename(issue.parent.parent / "lost")
    fake.clear_requests()
    assert push(fake, issue, page_size=3).action == "unchanged"
    assert [r.query["offset"] for r in fake.calls("GET", r"^/campaigns$")] == ["0", "3", "6"]
    assert len(campaigns(fake)) == 8


def test_two_drafts_with_the_issue_title_keep_the_oldest_and_delete_the_other(fake, issue):
    push(fake, issue)
    first = campaigns(fake)[0].id
    fake.client().campaigns.replicate(first)
    with fake.lock:
        for campaign in fake.state.campaigns.values():
            campaign.settings["title"] = "bulletin:wscp:wscp-2020-12"
    (issue.parent.parent / ".bulletin" / "ledger.sqlite3").unlink()
    d = dispatcher(fake, issue)
    d.push(payload(issue))
    assert only_campaign(fake, issue).id == first
    assert len(fake.calls("DELETE", r"^/campaigns/\w+$")) == 1
    assert any("deleted the duplicate draft" in n and first in n for n in d.notes), d.notes


def test_a_scheduled_duplicate_is_never_deleted_only_reported(fake, issue):
    push(fake, issue)
    fake.client().campaigns.replicate(campaigns(fake)[0].id)
    with fake.lock:
        older, newer = sorted(fake.state.campaigns.values(), key=lambda c: c.web_id)
        newer.settings["title"] = older.settings["title"]
        older.status = newer.status = "sent"
    d = dispatcher(fake, issue)
    d.push(payload(issue))
    assert len(campaigns(fake)) == 2
    assert fake.calls("DELETE") == []
    assert any("never deletes a scheduled or sent campaign" in n for n in d.notes), d.notes


def test_a_draft_beside_a_scheduled_campaign_is_the_duplicate(fake, issue):
    push(fake, issue)
    fake.client().campaigns.replicate(campaigns(fake)[0].id)
    with fake.lock:
        older, newer = sorted(fake.state.campaigns.values(), key=lambda c: c.web_id)
        newer.settings["title"] = older.settings["title"]
        newer.status = "schedule"
    dispatcher(fake, issue).find(payload(issue))
    assert [c.id for c in campaigns(fake)] == [newer.id]


def test_a_campaign_deleted_in_mailchimp_is_made_again(fake, issue):
    push(fake, issue)
    fake.client().campaigns.remove(campaigns(fake)[0].id)
    assert push(fake, issue).action == "created"
    only_campaign(fake, issue)


def test_check_errors_stop_the_push_before_any_call(fake, issue):
    edit(issue, "https://www.safeguardingworcestershire.org.uk/", "www.broken link")
    with pytest.raises(ChecksFailed) as info:
        push(fake, issue)
    assert info.value.outcome == "nothing sent to Mailchimp"
    assert fake.requests == []


def test_a_scheduled_campaign_is_not_changed(fake, issue):
    push(fake, issue)
    fake.client().campaigns.schedule(
        campaigns(fake)[0].id, {"schedule_time": "2099-12-04T09:00:00+00:00"}
    )
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    fake.clear_requests()
    with pytest.raises(BulletinError, match=r"scheduled for .*: run bulletin unschedule .* first"):
        push(fake, issue)
    assert fake.write_calls() == 0


def test_a_sent_campaign_is_not_changed(fake, issue):
    push(fake, issue)
    fake.client().campaigns.send(campaigns(fake)[0].id)
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    with pytest.raises(BulletinError, match="has been sent"):
        push(fake, issue)
    assert len(campaigns(fake)) == 1


def test_the_audience_is_chosen_by_name_or_publication(fake, issue):
    assert payload(issue).audience.name == "wscp-partners"
    assert payload(issue, audience="wscp-partners").audience.list_id == LIST_ID
    with pytest.raises(BulletinError, match=r"no such audience .*did you mean 'wscp-partners'"):
        payload(issue, audience="wscp-partner")
    with pytest.raises(BulletinError, match="receives 'herefordshire', not 'wscp'"):
        payload(issue, audience="herefordshire-partners")
    audiences = issue.parent.parent / "audiences.yaml"
    audiences.write_text(audiences.read_text().replace("publication: wscp", "publication: x"))
    with pytest.raises(BulletinError, match=r"no audience in audiences.yaml receives"):
        payload(issue)
    audiences.unlink()
    with pytest.raises(BulletinError, match=r"no audiences.yaml in"):
        payload(issue)


# -- faults --------------------------------------------------------------------------------------

SAFE_STEPS = [
    (r"^/campaigns$", "GET"),  # the look-up by title
    (r"^/campaigns/\w+/content$", "PUT"),
]


@pytest.mark.parametrize("fault", ["429", "500", "503", "drop", "after"])
@pytest.mark.parametrize(("path", "method"), SAFE_STEPS)
def test_safe_steps_of_a_first_push_are_retried(fake, issue, path, method, fault):
    fake.inject(path, method, times=2, fault=fault)
    d = dispatcher(fake, issue)
    assert d.push(payload(issue)).action == "created"
    assert len(d.mc.delays) == 2
    only_campaign(fake, issue)


@pytest.mark.parametrize("fault", ["429", "500", "503", "drop", "after"])
@pytest.mark.parametrize(
    ("path", "method"),
    [
        (r"^/campaigns/\w+$", "GET"),
        (r"^/campaigns/\w+/content$", "GET"),
        (r"^/campaigns/\w+$", "PATCH"),
    ],
)
def test_safe_steps_of_an_update_are_retried(fake, issue, path, method, fault):
    push(fake, issue)
    edit(issue, SUBJECT, "keeping babies safer")
    fake.inject(path, method, times=1, fault=fault)
    assert push(fake, issue).action == "updated"
    only_campaign(fake, issue)


def test_429_on_create_is_waited_out_as_it_asks(fake, issue):
    fake.inject(r"^/campaigns$", "POST", times=2, fault="429", retry_after=3)
    d = dispatcher(fake, issue)
    assert d.push(payload(issue)).action == "created"
    assert d.mc.delays == [3, 3]
    assert len(fake.calls("POST", r"^/campaigns$")) == 3
    only_campaign(fake, issue)


def test_a_create_answered_by_nobody_is_read_back_not_repeated(fake, issue):
    fake.inject(r"^/campaigns$", "POST", fault="after")  # done, then the connection drops
    assert push(fake, issue).action == "created"
    assert len(fake.calls("POST", r"^/campaigns$")) == 1
    only_campaign(fake, issue)


@pytest.mark.parametrize("fault", ["500", "503", "drop"])
def test_a_create_that_failed_says_so_and_the_next_run_makes_it(fake, issue, fault):
    fake.inject(r"^/campaigns$", "POST", fault=fault)
    with pytest.raises(MailchimpError) as info:
        push(fake, issue)
    assert "whether it was made is unknown: check `bulletin status` in a minute" in str(info.value)
    assert len(fake.calls("POST", r"^/campaigns$")) == 1
    assert campaigns(fake) == []
    push(fake, issue)
    only_campaign(fake, issue)


def slow_client(fake, timeout: float = 0.3):
    from bulletin.mailchimp.client import Config, Mailchimp

    return Mailchimp(Config(fake.api_key, "us19", fake.url, timeout=timeout), sleep=lambda s: None)


def test_a_create_slower_than_the_timeout_is_read_back_not_made_twice(fake, issue):
    from bulletin.campaigns.push import Dispatcher

    fake.inject(r"^/campaigns$", "POST", fault="slow", delay=0.6)  # made after we gave up
    done = Dispatcher(slow_client(fake), Ledger.at(issue.parent.parent)).push(payload(issue))
    assert done.action == "created"
    assert len(fake.calls("POST", r"^/campaigns$")) == 1
    only_campaign(fake, issue)


def test_an_immediate_rerun_after_an_unanswered_create_waits_for_it(fake, issue):
    from bulletin.campaigns.push import Dispatcher

    fake.inject(r"^/campaigns$", "POST", fault="slow", delay=1.2)
    ledger = Ledger.at(issue.parent.parent)
    with pytest.raises(MailchimpError, match="whether it was made is unknown"):
        Dispatcher(slow_client(fake), ledger, settle=0.1).push(payload(issue))
    assert ledger.pending("bulletin:wscp:wscp-2020-12", LIST_ID, "create") is not None
    assert campaigns(fake) == []  # not made yet: the answer is still on its way
    rerun = Dispatcher(slow_client(fake), Ledger.at(issue.parent.parent), settle=4)
    rerun.push(payload(issue))
    assert len(fake.calls("POST", r"^/campaigns$")) == 1  # it waited for the first to land
    only_campaign(fake, issue)
    assert ledger.pending("bulletin:wscp:wscp-2020-12", LIST_ID, "create") is None


def test_a_create_that_lands_after_the_rerun_made_one_is_deleted_by_the_next_push(fake, issue):
    from support.waiting import wait_for

    from bulletin.campaigns.push import Dispatcher

    fake.inject(r"^/campaigns$", "POST", fault="slow", delay=1.5)
    with pytest.raises(MailchimpError, match="unknown"):
        Dispatcher(slow_client(fake), Ledger.at(issue.parent.parent), settle=0).push(payload(issue))
    made = push(fake, issue, settle=0).campaign["id"]  # the window is over: it makes its own
    wait_for(lambda: len(campaigns(fake)) == 2, what="the first create to land after all")
    rows = status_rows_of(fake, issue)
    assert any("duplicates of 'bulletin:wscp:wscp-2020-12'" in n for n in rows), rows
    d = dispatcher(fake, issue)
    d.push(payload(issue))
    assert only_campaign(fake, issue).id == made  # the oldest: made first, by Mailchimp's clock
    assert any("deleted the duplicate draft" in n for n in d.notes)


def status_rows_of(fake, issue) -> list[str]:
    from bulletin.campaigns.status import status_rows

    d = dispatcher(fake, issue)
    status_rows(d, issue.parent.parent)
    return d.notes


def test_a_slow_answer_times_out_and_is_retried(fake, issue):
    from bulletin.campaigns.push import Dispatcher
    from bulletin.mailchimp.client import Config, Mailchimp

    fake.inject(r"^/campaigns$", "GET", fault="slow", delay=1.5)
    mc = Mailchimp(Config(fake.api_key, "us19", fake.url, timeout=0.5), sleep=lambda s: None)
    Dispatcher(mc, Ledger.at(issue.parent.parent)).push(payload(issue))
    only_campaign(fake, issue)


# -- a run killed between any two steps ----------------------------------------------------------


def killer(at: str):
    def on_step(step: str) -> None:
        if step == at:
            raise Killed(step)

    return on_step


@pytest.mark.parametrize("step", ["create", "ledger", "content"])
def test_a_first_push_killed_after_any_step_ends_with_one_campaign(fake, issue, step):
    with pytest.raises(Killed):
        push(fake, issue, on_step=killer(step))
    assert len(campaigns(fake)) == 1
    push(fake, issue)
    only_campaign(fake, issue)
    fake.clear_requests()
    assert push(fake, issue).action == "unchanged"
    assert fake.write_calls() == 0


@pytest.mark.parametrize("step", ["update", "content"])
def test_an_update_killed_after_any_step_ends_with_the_new_content(fake, issue, step):
    push(fake, issue)
    edit(issue, SUBJECT, "keeping babies safer")
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    with pytest.raises(Killed):
        push(fake, issue, on_step=killer(step))
    push(fake, issue)
    only_campaign(fake, issue)
    assert len(fake.calls("POST", r"^/campaigns$")) == 1


def test_segment_options_go_with_the_recipients_and_count(fake_mailchimp, issue):
    from dataclasses import replace

    fake = fake_mailchimp
    audience = fake.seed_list(
        "WSCP partners",
        list_id=LIST_ID,
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        tags=["Health", "Police"],
        members=[
            {"email": "nurse@nhs.example", "tags": ["Health"]},
            {"email": "gp@nhs.example", "tags": ["Health"]},
            {"email": "officer@police.example", "tags": ["Police"]},
        ],
    )

    def only(tag: str) -> dict:
        condition = {
            "condition_type": "StaticSegment",
            "field": "static_segment",
            "op": "static_is",
        }
        return {"match": "all", "conditions": [{**condition, "value": audience.tag(tag).id}]}

    health = replace(payload(issue), segment_opts=only("Health"), keep_targeting=False)
    assert push(fake, issue).recipients == 3  # everyone, first
    fake.clear_requests()
    done = dispatcher(fake, issue).push(health)
    assert (done.action, done.changed, done.recipients) == ("updated", ["segment"], 2)
    assert fake.calls("PATCH")[0].body["recipients"] == health.recipients
    fake.clear_requests()
    assert dispatcher(fake, issue).push(health).action == "unchanged"
    assert fake.write_calls() == 0
    police = replace(health, segment_opts=only("Police"))
    assert dispatcher(fake, issue).push(police).recipients == 1
    assert len(campaigns(fake)) == 1


# -- the promises, exactly -----------------------------------------------------------------------

TITLE = "bulletin:wscp:wscp-2020-12"
OTHER_LIST = "9f8e7d6c5b"
FAILED_500 = (
    "Mailchimp said 500: Internal Server Error: An unexpected internal error has occurred. "
    "Please contact Support."
)


def ledger_of(issue: Path) -> Ledger:
    return Ledger.at(issue.parent.parent)


def two_drafts(fake, issue: Path) -> tuple[str, str]:
    """The issue pushed, and a second draft given its title: (the oldest, the duplicate)."""
    push(fake, issue)
    first = campaigns(fake)[0].id
    second = fake.client().campaigns.replicate(first)["id"]
    with fake.lock:
        fake.state.campaigns[second].settings["title"] = TITLE
    return first, second


def deleted_note(first: str, second: str) -> str:
    return (
        f"Mailchimp held 2 campaigns titled '{TITLE}': kept {first} (the oldest) and deleted "
        f"the duplicate draft {second}"
    )


def make_titled(fake, wanted) -> str:
    """A campaign with the issue's title, made by someone else (a create landing late)."""
    body = {"type": "regular", "recipients": wanted.recipients, "settings": wanted.settings}
    return fake.client().campaigns.create(body)["id"]


def test_the_title_is_looked_up_100_campaigns_a_page(fake, issue):
    push(fake, issue)
    assert {r.query["count"] for r in fake.calls("GET", r"^/campaigns$")} == {"100"}


@pytest.mark.parametrize(
    ("settle", "poll"),
    [(0.3, 0.1), (5, 0.5), (25, 2.0), (None, 1.5)],
    ids=["at-least-a-tenth-of-a-second", "a-tenth", "at-most-2-s", "three-timeouts-of-5-s"],
)
def test_an_unanswered_create_is_read_back_every_tenth_of_its_window(fake, issue, settle, poll):
    fake.inject(r"^/campaigns$", "POST", fault="500")
    wanted = payload(issue)
    d = dispatcher(fake, issue, settle=settle)
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        if not campaigns(fake):
            make_titled(fake, wanted)  # the create that got no answer lands

    d.wait = wait
    assert d.push(wanted).action == "created"
    assert waits == [poll]
    only_campaign(fake, issue)


def test_each_note_is_passed_on_as_it_is_made(fake, issue):
    first, second = two_drafts(fake, issue)
    heard: list[str] = []
    d = dispatcher(fake, issue, on_note=heard.append)
    d.push(payload(issue))
    assert heard == d.notes == [deleted_note(first, second)]
    assert only_campaign(fake, issue).id == first


def test_the_commands_dispatcher_passes_its_notes_on(fake, issue, monkeypatch):
    from bulletin.campaigns.push import open_dispatcher

    first, second = two_drafts(fake, issue)
    monkeypatch.setenv("MAILCHIMP_API_KEY", fake.api_key)
    monkeypatch.setenv("MAILCHIMP_BASE_URL", fake.url)
    heard: list[str] = []
    open_dispatcher(issue.parent.parent, on_note=heard.append).push(payload(issue))
    assert heard == [deleted_note(first, second)]


def test_the_commands_dispatcher_stops_on_a_read_only_ledger_before_any_call(
    fake, issue, monkeypatch
):
    import os

    from bulletin.campaigns.push import open_dispatcher
    from bulletin.state import StateError

    push(fake, issue)
    path = ledger_of(issue).path
    monkeypatch.setenv("MAILCHIMP_API_KEY", fake.api_key)
    monkeypatch.setenv("MAILCHIMP_BASE_URL", fake.url)
    fake.clear_requests()
    os.chmod(path, 0o444)
    try:
        with pytest.raises(StateError) as info:
            open_dispatcher(issue.parent.parent)
    finally:
        os.chmod(path, 0o644)
    assert str(info.value) == (
        f"{path} is read-only: make it writable (chmod u+rw) and run this again; nothing done"
    )
    assert fake.requests == []


def test_a_campaign_with_the_title_in_another_audience_is_not_this_audiences(fake, issue):
    fake.seed_list("Elsewhere", list_id=OTHER_LIST, members=["someone@example.org"])
    body = {"type": "regular", "recipients": {"list_id": OTHER_LIST}}
    other = fake.client().campaigns.create({**body, "settings": payload(issue).settings})["id"]
    fake.clear_requests()
    done = push(fake, issue)
    assert done.action == "created" and done.campaign["id"] != other
    assert len(fake.calls("POST", r"^/campaigns$")) == 1
    with fake.lock:
        held = fake.state.campaigns[other]
        assert (held.recipients, held.html) == ({"list_id": OTHER_LIST}, "")  # left alone
    assert len(campaigns(fake)) == 2


def test_status_reports_duplicates_with_the_push_that_sorts_them_out(fake, issue):
    first, second = two_drafts(fake, issue)
    fake.clear_requests()
    d = dispatcher(fake, issue)
    campaign, _ = d.find(payload(issue), tidy=False)
    assert campaign is not None and campaign["id"] == first
    assert d.notes == [
        f"Mailchimp holds duplicates of '{TITLE}' beside {first}: {second} ('save'): "
        f"bulletin push {issue} keeps {first} and deletes the extra drafts"
    ]
    assert fake.write_calls() == 0
    assert len(campaigns(fake)) == 2


def test_a_campaign_renamed_in_mailchimp_is_found_by_the_ledger_and_named_back(fake, issue):
    made = push(fake, issue).campaign["id"]
    with fake.lock:
        fake.state.campaigns[made].settings["title"] = "December bulletin"
    fake.clear_requests()
    done = push(fake, issue)
    assert (done.action, done.changed) == ("updated", ["title"])
    assert [r.method for r in fake.requests if r.method != "GET"] == ["PATCH"]
    assert only_campaign(fake, issue).id == made


def test_a_campaign_deleted_in_mailchimp_loses_its_ledger_row(fake, issue):
    push(fake, issue)
    fake.client().campaigns.remove(campaigns(fake)[0].id)
    assert dispatcher(fake, issue).find(payload(issue)) == (None, None)
    assert ledger_of(issue).get(TITLE, LIST_ID) is None
    assert ledger_of(issue).entries() == []


def test_a_create_killed_before_its_answer_was_kept_is_settled_by_the_next_push(fake, issue):
    with pytest.raises(Killed):
        push(fake, issue, on_step=killer("create"))
    assert ledger_of(issue).pending(TITLE, LIST_ID, "create") is not None
    push(fake, issue)
    assert ledger_of(issue).pending(TITLE, LIST_ID, "create") is None
    assert len(fake.calls("POST", r"^/campaigns$")) == 1
    only_campaign(fake, issue)


def test_an_earlier_create_landing_beside_another_during_the_read_back_keeps_the_oldest(
    fake, issue
):
    fake.inject(r"^/campaigns$", "POST", fault="500")
    wanted = payload(issue)
    with pytest.raises(MailchimpError):
        dispatcher(fake, issue, settle=0).push(wanted)
    landed: list[str] = []

    def wait(seconds: float) -> None:
        if not landed:
            landed.extend([make_titled(fake, wanted), make_titled(fake, wanted)])

    d = dispatcher(fake, issue, settle=5)
    d.wait = wait
    fake.clear_requests()
    assert d.push(wanted).action == "created"
    assert only_campaign(fake, issue).id == landed[0]
    assert [r.path for r in fake.calls("DELETE")] == [f"/campaigns/{landed[1]}"]
    assert len(fake.calls("POST", r"^/campaigns$")) == 2  # the two that landed: none by this run
    assert d.notes == [deleted_note(*landed)]


def test_what_mailchimp_filled_in_after_a_push_is_not_taken_for_a_change(fake, issue):
    from dataclasses import replace

    from bulletin.campaigns.compare import remote_hash
    from bulletin.mailchimp import campaigns as api

    wanted = replace(payload(issue), text="")  # Mailchimp makes the plain text from the HTML
    d = dispatcher(fake, issue)
    made = d.push(wanted).campaign["id"]
    assert campaigns(fake)[0].plain_text != ""
    entry = ledger_of(issue).get(TITLE, LIST_ID)
    assert entry is not None and entry.content_hash == wanted.hash
    assert entry.remote_hash == remote_hash(api.get(d.mc, made), api.content(d.mc, made))
    assert entry.remote_hash != wanted.hash
    fake.clear_requests()
    assert dispatcher(fake, issue).push(wanted).action == "unchanged"
    assert fake.write_calls() == 0


def test_a_campaign_deleted_while_pushing_is_looked_for_again_once(fake, issue):
    push(fake, issue)
    edit(issue, SUBJECT, "keeping babies safer")
    edit(issue, "Over 4600 babies", "Over 4700 babies")

    def another_computer_deletes_it(step: str) -> None:
        if step == "update":
            fake.client().campaigns.remove(campaigns(fake)[0].id)

    d = dispatcher(fake, issue, on_step=another_computer_deletes_it)
    assert d.push(payload(issue)).action == "created"
    assert d.notes == [
        "the campaign went from Mailchimp while pushing (Mailchimp said 404: Resource Not "
        "Found: The requested resource could not be found.): looking again"
    ]
    only_campaign(fake, issue)


def test_an_unchanged_push_answers_the_campaign_and_keeps_the_ledger_row(fake, issue):
    made = push(fake, issue).campaign["id"]
    before = ledger_of(issue).get(TITLE, LIST_ID)
    assert before is not None and before.last_pushed
    done = push(fake, issue)
    assert (done.action, done.changed, done.campaign["id"]) == ("unchanged", [], made)
    assert done.recipients == len(SUBSCRIBED)
    assert ledger_of(issue).get(TITLE, LIST_ID) == before  # the last push is still that one


def test_a_ledger_rebuilt_by_an_unchanged_push_holds_what_it_held(fake, issue):
    push(fake, issue)
    before = ledger_of(issue).get(TITLE, LIST_ID)
    assert before is not None
    (issue.parent.parent / ".bulletin" / "ledger.sqlite3").unlink()
    assert push(fake, issue).action == "unchanged"
    assert ledger_of(issue).get(TITLE, LIST_ID) == before.but(last_pushed=None)


def schedule_it(fake, issue) -> None:
    push(fake, issue)
    fake.client().campaigns.schedule(
        campaigns(fake)[0].id, {"schedule_time": "2099-12-04T09:00:00+00:00"}
    )
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    fake.clear_requests()


def test_a_scheduled_campaign_is_refused_in_one_line_with_its_time_and_the_fix(fake, issue):
    schedule_it(fake, issue)
    with pytest.raises(BulletinError) as info:
        push(fake, issue)
    assert str(info.value) == (
        f"{issue}: its campaign is scheduled for Friday 4 December 2099 09:00 GMT, so Mailchimp "
        f"will not let us change it: run bulletin unschedule {issue} first"
    )
    assert fake.write_calls() == 0


def test_a_scheduled_campaign_with_no_time_shown_is_refused_without_one(fake, issue):
    schedule_it(fake, issue)
    with fake.lock:
        campaigns(fake)[0].schedule_time = None
    with pytest.raises(BulletinError) as info:
        push(fake, issue)
    assert str(info.value) == (
        f"{issue}: its campaign is scheduled, so Mailchimp will not let us change it: "
        f"run bulletin unschedule {issue} first"
    )
    assert fake.write_calls() == 0


def test_a_sent_campaign_is_refused_in_one_line_naming_the_issue_and_the_campaign(fake, issue):
    push(fake, issue)
    made = campaigns(fake)[0].id
    fake.client().campaigns.send(made)
    edit(issue, "Over 4600 babies", "Over 4700 babies")
    fake.clear_requests()
    with pytest.raises(BulletinError) as info:
        push(fake, issue)
    assert str(info.value) == (
        f"{issue}: its campaign {made} has been sent (status 'sent'): cannot change it"
    )
    assert fake.write_calls() == 0


NO_TRACKING = {"opens": False, "html_clicks": False, "text_clicks": False}


def test_the_tracking_goes_with_the_create(fake, issue):
    from dataclasses import replace

    wanted = replace(payload(issue), tracking=NO_TRACKING)
    dispatcher(fake, issue).push(wanted)
    [create] = fake.calls("POST", r"^/campaigns$")
    assert create.body["tracking"] == NO_TRACKING
    assert campaigns(fake)[0].tracking == NO_TRACKING


def test_a_changed_tracking_goes_with_the_update(fake, issue):
    from dataclasses import replace

    push(fake, issue)
    wanted = replace(payload(issue), tracking=NO_TRACKING)
    fake.clear_requests()
    done = dispatcher(fake, issue).push(wanted)
    assert (done.action, done.changed) == ("updated", ["tracking"])
    [patch] = fake.calls("PATCH")
    assert patch.body["tracking"] == NO_TRACKING
    assert campaigns(fake)[0].tracking == NO_TRACKING


def test_a_create_refused_outright_says_why_and_is_not_left_pending(fake, issue):
    from dataclasses import replace

    wanted = payload(issue)
    wanted = replace(wanted, settings={**wanted.settings, "reply_to": "not an address"})
    with pytest.raises(MailchimpError) as info:
        dispatcher(fake, issue).push(wanted)
    fake.take_violations()  # refused on purpose
    assert info.value.status == 400
    assert str(info.value) == (
        "Mailchimp said 400: Invalid Resource: The resource submitted could not be validated. "
        "For field-specific details, see the 'errors' array. "
        "(settings.reply_to: This value should be a valid email.)"
    )
    assert ledger_of(issue).pending(TITLE, LIST_ID, "create") is None
    assert len(fake.calls("POST", r"^/campaigns$")) == 1
    assert campaigns(fake) == []


def test_a_create_left_unknown_says_so_in_one_line_with_mailchimps_status(fake, issue):
    fake.inject(r"^/campaigns$", "POST", fault="500")
    with pytest.raises(MailchimpError) as info:
        push(fake, issue)
    assert info.value.status == 500
    assert str(info.value) == (
        f"{FAILED_500}; after 0.3 s Mailchimp shows no campaign titled '{TITLE}', so whether "
        "it was made is unknown: check `bulletin status` in a minute, then push again (it "
        "looks for that campaign before making one)"
    )


def test_a_campaign_not_yet_listed_after_its_create_is_the_one_made(fake, issue):
    hidden = {}

    def listing_lags(step: str) -> None:
        with fake.lock:
            if step == "create":
                hidden.update(fake.state.campaigns)
                fake.state.campaigns.clear()
            elif step == "ledger":
                fake.state.campaigns.update(hidden)

    done = push(fake, issue, on_step=listing_lags)
    assert (done.action, done.changed) == ("created", [])
    assert done.campaign["id"] == only_campaign(fake, issue).id
    assert len(fake.calls("POST", r"^/campaigns$")) == 1


def test_a_campaign_made_by_another_computer_at_the_same_moment_is_deleted(fake, issue):
    wanted = payload(issue)
    theirs: list[str] = []

    def another_computer_creates(step: str) -> None:
        if step == "create":
            theirs.append(make_titled(fake, wanted))

    d = dispatcher(fake, issue, on_step=another_computer_creates)
    ours = d.push(wanted).campaign["id"]
    assert only_campaign(fake, issue).id == ours
    assert [r.path for r in fake.calls("DELETE")] == [f"/campaigns/{theirs[0]}"]
    assert d.notes == [deleted_note(ours, theirs[0])]


def test_an_earlier_unanswered_create_whose_window_is_over_is_not_waited_for(fake, issue):
    fake.inject(r"^/campaigns$", "POST", fault="500")
    with pytest.raises(MailchimpError):
        push(fake, issue)  # read back for its 0.3 s
    assert ledger_of(issue).pending(TITLE, LIST_ID, "create") is not None
    d = dispatcher(fake, issue)
    waits: list[float] = []
    d.wait = waits.append
    assert d.push(payload(issue)).action == "created"
    assert waits == []
    assert len(fake.calls("POST", r"^/campaigns$")) == 2
    only_campaign(fake, issue)


def test_an_earlier_create_with_no_time_recorded_is_not_waited_for(fake, issue):
    import sqlite3
    from contextlib import closing

    fake.inject(r"^/campaigns$", "POST", fault="500")
    with pytest.raises(MailchimpError):
        push(fake, issue, settle=0)
    with closing(sqlite3.connect(ledger_of(issue).path)) as db, db:
        db.execute("UPDATE pending SET since = ''")
    d = dispatcher(fake, issue, settle=5)
    waits: list[float] = []
    d.wait = waits.append
    assert d.push(payload(issue)).action == "created"
    assert waits == []
    only_campaign(fake, issue)


def send_it(d, campaign_id: str) -> None:
    from bulletin.mailchimp import campaigns as api

    d.act(
        lambda: api.send(d.mc, campaign_id),
        campaign_id,
        done=lambda c: c.get("status") in ("sending", "sent"),
        what="sent",
    )


def test_an_unanswered_send_of_a_campaign_deleted_meanwhile_says_it_is_gone(fake, issue):
    made = push(fake, issue).campaign["id"]
    fake.client().campaigns.remove(made)
    fake.inject(r"^/campaigns/\w+/actions/send$", "POST", fault="500")
    with pytest.raises(MailchimpError) as info:
        send_it(dispatcher(fake, issue), made)
    assert info.value.status == 500
    assert str(info.value) == (
        f"{FAILED_500}; Mailchimp still shows the campaign 'deleted' after 0.3 s, so whether "
        "it was sent is unknown: check `bulletin status` in a minute"
    )


def test_an_unanswered_send_that_cannot_be_read_back_says_so(fake, issue):
    made = push(fake, issue).campaign["id"]
    fake.inject(r"^/campaigns/\w+/actions/send$", "POST", fault="500")
    fake.inject(r"^/campaigns/\w+$", "GET", times=None, fault="503")
    with pytest.raises(MailchimpError) as info:
        send_it(dispatcher(fake, issue), made)
    fake.clear_faults()
    assert info.value.status == 500
    assert str(info.value) == (
        f"{FAILED_500}; nor could the campaign be read back after 0.3 s, so whether it was "
        "sent is unknown: check `bulletin status` in a minute"
    )
    assert campaigns(fake)[0].status == "save"  # not sent: the send was never carried out
