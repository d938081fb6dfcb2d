"""`bulletin audiences import` at its edges, against the fake Mailchimp: what each refusal tells
the user (file, line, address, Mailchimp's reason), how members move between the three batch
calls when Mailchimp's answer surprises (and that they stop moving), how the tag operations are
cut, and what the counts and the suppression list say afterwards.

Where the fake can be brought to answer as Mailchimp would (a member archived or restored by
someone else between two calls, a merge field Mailchimp refuses), the state is changed just
before the call; answers the fake never gives (an address left out, a reason missing) are
made by changing the real answer on its way back to the import.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fake_mailchimp.state import subscriber_hash
from support.audiences import (
    HEADER,
    LIST_ID,
    OTHER_LIST_ID,
    audience,
    client,
    run_import,
    seed_synced,
    write_csv,
)

from bulletin.audiences.member_import import import_members
from bulletin.audiences.suppression import Suppressions
from bulletin.errors import BulletinError, ContentError
from bulletin.mailchimp import audiences as lists
from bulletin.mailchimp import batches
from bulletin.mailchimp.batches import Result

TAG = "Schools DSLs"
EXISTS = (
    "flap@example.org is already a list member, do you want to update? please provide "
    "update_existing:true in the request body"
)
NEEDS_STATUS = (
    "The status field is required for a new member. (status: This value should not be blank.)"
)


def row(email: str, consent: str = "yes", first: str = "Sam", org: str = "") -> list[str]:
    return [email, first, "Jones", org, "", consent]


def writes(fake: Any, list_id: str = LIST_ID) -> list[tuple[bool, list[str]]]:
    """Each batch subscribe call: (update_existing, the addresses in it)."""
    return [
        (r.body["update_existing"], [m["email_address"] for m in r.body["members"]])
        for r in fake.calls("POST", rf"^/lists/{list_id}$")
    ]


def set_status(fake: Any, email: str, status: str) -> None:
    with fake.lock:
        fake.state.lists[LIST_ID].members[subscriber_hash(email)].status = status


def before_each_call(monkeypatch: Any, module: Any, name: str, steps: list[Callable[[], None]]):
    """Run steps[n] just before the n+1-th call of module.name goes to the fake; a call beyond
    the steps plus two fails the test (an import that would chase a member for ever)."""
    real, count = getattr(module, name), [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        assert count[0] <= len(steps) + 2, f"{name} called {count[0]} times"
        if count[0] <= len(steps):
            steps[count[0] - 1]()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)


def change_answers(monkeypatch: Any, module: Any, name: str, change: Callable[[Any], Any]):
    """Mailchimp's answer to module.name, as the fake gave it, changed by `change`."""
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args, **kwargs: change(real(*args, **kwargs)))


def damaged(root: Path, good_rows: int) -> Path:
    path = root / "members.csv"
    body = b"".join(f"r{n}@example.org,Sam,Jones,,,yes\r\n".encode() for n in range(good_rows))
    path.write_bytes(
        ",".join(HEADER).encode() + b"\r\n" + body + b"bad\xff@example.org,,,,,yes\r\n"
    )
    return path


# -- the file, the counts, the suppression list --------------------------------------------------


def test_damage_in_the_first_row_stops_the_import_before_any_write(fake_mailchimp, root):
    """Nothing read, nothing sent: a file unreadable from its first row is an error, not a stop."""
    seed_synced(fake_mailchimp)
    path = damaged(root, 0)
    with pytest.raises(ContentError) as caught:
        import_members(client(fake_mailchimp), audience(root), path, root)
    assert str(caught.value) == f"{path}:2:1: error: not UTF-8 text: save it as 'CSV UTF-8'"
    assert fake_mailchimp.write_calls() == 0


def test_damage_after_one_row_imports_that_row_and_says_what_to_do(fake_mailchimp, root):
    """The stop note names the line, what was imported, and that a re-run skips it."""
    seed_synced(fake_mailchimp)
    path = damaged(root, 1)
    summary = import_members(client(fake_mailchimp), audience(root), path, root)
    assert summary.added == 1
    assert summary.stopped_note() == (
        f"{path}:3:1: error: not UTF-8 text: save it as 'CSV UTF-8': the import stopped at this "
        "line; the rows before it were imported (counted below), the rest were not read: fix the "
        "file and import it again (the rows already imported are skipped)"
    )


def test_progress_hears_of_every_byte_of_the_file(fake_mailchimp, root):
    """The progress bar is moved by the bytes read, up to the file's size."""
    seed_synced(fake_mailchimp)
    path = write_csv(root / "members.csv", [row(f"p{n}@example.org") for n in range(3)])
    read: list[int] = []
    import_members(client(fake_mailchimp), audience(root), path, root, progress=read.append)
    assert read and sum(read) == path.stat().st_size


def test_the_calls_counted_are_this_imports_own(fake_mailchimp, root):
    """On a client that made calls before, the summary counts only the import's calls."""
    seed_synced(fake_mailchimp)
    mc = client(fake_mailchimp)
    path = write_csv(root / "members.csv", [row("c@example.org")])
    first = import_members(mc, audience(root), path, root)
    again = import_members(mc, audience(root), path, root)
    assert (first.calls, again.calls, again.unchanged) == (4, 3, 1)  # 3 reads (+ 1 batch)


def test_the_reads_of_an_import_are_recorded_as_its_own(fake_mailchimp, root):
    """The suppression list says each address it learnt from an import came from `import`."""
    seed_synced(
        fake_mailchimp,
        members=[
            {"email": "gone@example.org", "status": "unsubscribed", "unsubscribed_by": "user"}
        ],
    )
    run_import(fake_mailchimp, root, [row("new@example.org")])
    with Suppressions.open(root) as store:
        found = store.lookup("gone@example.org")
    assert [(e.list_id, e.reason, e.source) for e in found] == [(LIST_ID, "unsubscribed", "import")]


def test_an_audience_mailchimp_does_not_have_is_named(fake_mailchimp, root):
    """No list for the audience imported into: an error naming it and its list id, no write."""
    with pytest.raises(BulletinError) as caught:
        run_import(fake_mailchimp, root, [row("new@example.org")])
    assert str(caught.value) == f"audience partners: Mailchimp has no list {LIST_ID}"
    assert fake_mailchimp.write_calls() == 0


def test_another_audience_missing_from_mailchimp_does_not_skip_this_ones_reads(
    fake_mailchimp, root
):
    """A list of audiences.yaml missing from Mailchimp is passed over, and the audience's own
    unsubscribes and pending members are still read (and respected) after it."""
    seed_synced(
        fake_mailchimp,
        members=[
            {"email": "gone@example.org", "status": "unsubscribed", "unsubscribed_by": "user"},
            {"email": "waiting@example.org", "status": "pending"},
        ],
    )
    rows = [row("gone@example.org"), row("waiting@example.org", consent="no")]
    summary = run_import(fake_mailchimp, root, rows, every=[audience(root, "health")])
    assert (summary.unsubscribed, summary.updated, summary.failed) == (1, 1, 0)
    assert writes(fake_mailchimp) == [(True, ["waiting@example.org"])]


def test_rows_left_out_for_want_of_consent_are_counted_each_time(fake_mailchimp, root):
    """A single opt-in audience: every new row without consent is counted, on each import."""
    seed_synced(fake_mailchimp)
    fake_mailchimp.seed_list("Health", list_id=OTHER_LIST_ID, merge_fields=["ORG"])
    rows = [row("a@example.org", consent="no"), row("b@example.org", consent="")]
    first = run_import(fake_mailchimp, root, rows, name="health")
    before = fake_mailchimp.write_calls()
    again = run_import(fake_mailchimp, root, rows, name="health")
    assert (first.no_consent, first.failed, again.no_consent) == (2, 0, 2)
    assert fake_mailchimp.write_calls() == before


def test_a_changed_row_of_a_member_is_one_update_without_a_status(fake_mailchimp, root):
    """A member imported before is updated in one call, never sent a status again."""
    seed_synced(fake_mailchimp)
    run_import(fake_mailchimp, root, [row("m@example.org")])
    fake_mailchimp.clear_requests()
    summary = run_import(fake_mailchimp, root, [row("m@example.org", first="Sue")])
    assert (summary.updated, summary.added) == (1, 0)
    assert writes(fake_mailchimp) == [(True, ["m@example.org"])]
    (call,) = fake_mailchimp.calls("POST", rf"^/lists/{LIST_ID}$")
    assert "status" not in call.body["members"][0]


def test_more_than_a_thousand_problems_are_counted_and_the_first_thousand_listed(
    fake_mailchimp, root
):
    """Rows beyond the 1,000th problem are counted, not listed one by one."""
    seed_synced(fake_mailchimp)
    summary = run_import(fake_mailchimp, root, [row(f"bad{n}") for n in range(1001)])
    assert (summary.invalid, len(summary.problems)) == (1001, 1000)
    assert (
        summary.problems[-1]
        == f"{root / 'members.csv'}:1001: not a valid e-mail address ('bad999')"
    )


def test_a_group_mailchimp_does_not_have_says_to_sync(fake_mailchimp, root):
    """A group of audiences.yaml missing from Mailchimp: the error says which, and what to do."""
    fake_mailchimp.seed_list("Partners", list_id=LIST_ID, merge_fields=["ORG"], tags=[TAG])
    rows = [["g@example.org", "G", "R", "", "Role:Manager", "yes"]]
    with pytest.raises(BulletinError) as caught:
        run_import(fake_mailchimp, root, rows)
    assert str(caught.value) == (
        "Mailchimp's audience partners has no group 'Manager' in 'Role': "
        "run `bulletin audiences sync` first"
    )
    assert fake_mailchimp.write_calls() == 0


def test_a_tag_mailchimp_does_not_have_says_to_sync(fake_mailchimp, root):
    """A tag of audiences.yaml missing from Mailchimp: the error says which, and what to do."""
    fake_mailchimp.seed_list("Partners", list_id=LIST_ID, merge_fields=["ORG"])
    with pytest.raises(BulletinError) as caught:
        run_import(fake_mailchimp, root, [row("t@example.org")], tag="Health")
    assert str(caught.value) == (
        "Mailchimp's audience partners has no tag 'Health': run `bulletin audiences sync` first"
    )
    assert fake_mailchimp.write_calls() == 0


# -- Mailchimp's answers to the batch subscribe calls --------------------------------------------


def test_a_field_mailchimp_refuses_is_reported_with_its_reason_at_once(fake_mailchimp, root):
    """A new address or a member whose field Mailchimp refuses is reported on its line with
    Mailchimp's words and the field, in one call per queue: not moved on to the others."""
    fake_mailchimp.seed_list(
        "Partners",
        list_id=LIST_ID,
        merge_fields=[{"tag": "ORG", "name": "Organisation", "type": "number"}],
        members=[{"email": "waiting@example.org", "status": "pending"}],
        double_optin=True,
    )
    rows = [row("new@example.org", org="School"), row("waiting@example.org", org="School")]
    summary = run_import(fake_mailchimp, root, rows)
    path = root / "members.csv"
    assert summary.problems == [
        f"{path}:2: new@example.org: Your merge fields were invalid. (ORG: Please enter a number.)",
        f"{path}:3: waiting@example.org: Your merge fields were invalid. "
        "(ORG: Please enter a number.)",
    ]
    assert (summary.failed, summary.invalid, summary.added, summary.updated) == (2, 0, 0, 0)
    assert writes(fake_mailchimp) == [(False, ["new@example.org"]), (True, ["waiting@example.org"])]
    assert len(fake_mailchimp.take_violations()) == 2  # what we sent was refused, on purpose


def test_a_member_who_comes_and_goes_between_the_calls_is_reported_not_chased(
    fake_mailchimp, root, monkeypatch
):
    """A new row for an address that is a member (SUBSCRIBE refuses it), then is not (UPDATE asks
    for a status), then is again: after that third call, it is reported, not sent once more."""
    seed_synced(fake_mailchimp, members=["flap@example.org"])
    before_each_call(
        monkeypatch,
        lists,
        "batch_members",
        [
            lambda: None,
            lambda: set_status(fake_mailchimp, "flap@example.org", "archived"),
            lambda: set_status(fake_mailchimp, "flap@example.org", "subscribed"),
        ],
    )
    summary = run_import(fake_mailchimp, root, [row("flap@example.org")])
    assert writes(fake_mailchimp) == [
        (False, ["flap@example.org"]),
        (True, ["flap@example.org"]),
        (False, ["flap@example.org"]),
    ]
    assert summary.problems == [f"{root / 'members.csv'}:2: flap@example.org: {EXISTS}"]
    assert (summary.failed, summary.invalid, summary.added, summary.updated) == (1, 0, 0, 0)


def test_a_member_who_leaves_twice_during_an_update_is_reported_not_chased(
    fake_mailchimp, root, monkeypatch
):
    """A member's changed row: not a member at the UPDATE, a member again at the SUBSCRIBE that
    follows (so back to UPDATE), gone again there: reported with Mailchimp's reason and field."""
    seed_synced(fake_mailchimp)
    run_import(fake_mailchimp, root, [row("flap@example.org")])
    fake_mailchimp.clear_requests()
    before_each_call(
        monkeypatch,
        lists,
        "batch_members",
        [
            lambda: set_status(fake_mailchimp, "flap@example.org", "archived"),
            lambda: set_status(fake_mailchimp, "flap@example.org", "subscribed"),
            lambda: set_status(fake_mailchimp, "flap@example.org", "archived"),
        ],
    )
    summary = run_import(fake_mailchimp, root, [row("flap@example.org", first="Sue")])
    assert writes(fake_mailchimp) == [
        (True, ["flap@example.org"]),
        (False, ["flap@example.org"]),
        (True, ["flap@example.org"]),
    ]
    assert summary.problems == [f"{root / 'members.csv'}:2: flap@example.org: {NEEDS_STATUS}"]
    assert (summary.failed, summary.updated) == (1, 0)


def test_a_member_archived_since_the_last_import_is_invited_again(fake_mailchimp, root):
    """No consent, double opt-in: a member archived since is not a member to UPDATE, so is
    invited again (pending), never subscribed, never left out."""
    seed_synced(fake_mailchimp)
    run_import(fake_mailchimp, root, [row("inv@example.org", consent="no")])
    set_status(fake_mailchimp, "inv@example.org", "archived")
    fake_mailchimp.clear_requests()
    summary = run_import(fake_mailchimp, root, [row("inv@example.org", consent="no", first="Sue")])
    assert writes(fake_mailchimp) == [(True, ["inv@example.org"]), (False, ["inv@example.org"])]
    (_, invite) = fake_mailchimp.calls("POST", rf"^/lists/{LIST_ID}$")
    assert invite.body["members"][0]["status"] == "pending"
    assert fake_mailchimp.member(LIST_ID, "inv@example.org").status == "pending"
    assert (summary.no_consent, summary.failed) == (0, 0)


@pytest.mark.parametrize(
    "error",
    [
        {"field": "status", "error": "This value should not be blank."},
        {"field": "", "error": "The status field is required for a new member."},
    ],
    ids=["by-field", "in-words"],
)
def test_mailchimp_may_ask_for_a_status_by_field_or_in_words(
    fake_mailchimp, root, monkeypatch, error
):
    """UPDATE's answer for an address that is not a member names the `status` field, or says
    `status` in its message: either way the row is a new address (here: left out, no consent)."""
    seed_synced(fake_mailchimp)
    fake_mailchimp.seed_list("Health", list_id=OTHER_LIST_ID, merge_fields=["ORG"])

    def reworded(answer: dict[str, Any]) -> dict[str, Any]:
        for each in answer["errors"]:
            each.update(error, field_message="")
        return answer

    change_answers(monkeypatch, lists, "batch_members", reworded)
    summary = run_import(
        fake_mailchimp, root, [row("new@example.org", consent="no")], name="health"
    )
    assert (summary.no_consent, summary.failed, summary.problems) == (1, 0, [])


def test_an_answer_naming_strangers_or_leaving_a_member_out_is_read_safely(
    fake_mailchimp, root, monkeypatch
):
    """Addresses Mailchimp's answer names that were not sent are passed over; a member it does
    not mention at all is reported as such, on its line, as refused (not invalid)."""
    seed_synced(fake_mailchimp)

    def garbled(answer: dict[str, Any]) -> dict[str, Any]:
        kept = [m for m in answer["new_members"] if m["email_address"] != "b@example.org"]
        answer["new_members"] = [{"email_address": "stranger@example.org"}, *kept, kept[0]]
        answer["errors"] = [{"email_address": "other@example.org", "error": "?"}, {"error": "?"}]
        return answer

    change_answers(monkeypatch, lists, "batch_members", garbled)
    summary = run_import(fake_mailchimp, root, [row(f"{x}@example.org") for x in "abc"])
    assert summary.problems == [f"{root / 'members.csv'}:3: b@example.org: Mailchimp did not say"]
    assert (summary.added, summary.failed, summary.invalid) == (2, 1, 0)


def test_a_member_refused_without_a_reason_is_reported_as_refused(
    fake_mailchimp, root, monkeypatch
):
    """An error for a member that gives no message still names the member and its line."""
    seed_synced(fake_mailchimp)

    def unexplained(answer: dict[str, Any]) -> dict[str, Any]:
        answer["errors"] = [
            {"email_address": m["email_address"], "error_code": "ERROR_GENERIC"}
            for m in answer["new_members"]
        ]
        answer["new_members"] = []
        return answer

    change_answers(monkeypatch, lists, "batch_members", unexplained)
    summary = run_import(fake_mailchimp, root, [row("r@example.org")])
    assert summary.problems == [f"{root / 'members.csv'}:2: r@example.org: refused"]
    assert (summary.failed, summary.added) == (1, 0)


# -- the tags --------------------------------------------------------------------------------------


def test_tags_travel_in_operations_of_at_most_500_members(fake_mailchimp, root):
    """The members the three queues took are tagged in one batch call, in as few operations of
    up to 500 members as the order allows: 250 subscribed and 250 invited fill one, the pending
    member updated after them starts the next."""
    seed_synced(fake_mailchimp, members=[{"email": "waiting@example.org", "status": "pending"}])
    rows = [row(f"s{n}@example.org") for n in range(250)]
    rows += [row(f"i{n}@example.org", consent="no") for n in range(250)]
    rows.append(row("waiting@example.org", consent="no"))
    summary = run_import(fake_mailchimp, root, rows, tag=TAG)
    assert (summary.added, summary.invited, summary.updated) == (250, 250, 1)
    assert (summary.tagged, summary.failed) == (501, 0)
    (call,) = fake_mailchimp.calls("POST", r"^/batches$")
    operations = call.body["operations"]
    sizes = [
        (op["operation_id"], len(json.loads(op["body"])["members_to_add"])) for op in operations
    ]
    assert sizes == [("tag-0", 500), ("tag-1", 1)]
    assert json.loads(operations[1]["body"])["members_to_add"] == ["waiting@example.org"]
    with fake_mailchimp.lock:
        assert len(fake_mailchimp.state.lists[LIST_ID].tag(TAG).members) == 501


def test_members_the_tag_operation_refuses_are_reported_and_the_rest_tagged(
    fake_mailchimp, root, monkeypatch
):
    """A member who left the list before the tags ran: Mailchimp's reason on the member's line;
    the others are tagged and counted."""
    seed_synced(fake_mailchimp)

    def leaves() -> None:
        with fake_mailchimp.lock:
            del fake_mailchimp.state.lists[LIST_ID].members[subscriber_hash("b@example.org")]

    before_each_call(monkeypatch, batches, "run", [leaves])
    rows = [row("a@example.org"), row("B@Example.org"), row("c@example.org")]
    summary = run_import(fake_mailchimp, root, rows, tag=TAG)
    assert summary.problems == [
        f"{root / 'members.csv'}:3: B@Example.org: not tagged {TAG}: "
        "Email addresses are not subscribed to the list"
    ]
    assert (summary.added, summary.tagged, summary.failed) == (3, 2, 1)


@pytest.mark.parametrize(
    ("result", "reason"),
    [
        (None, "Mailchimp did not say"),
        (Result("tag-0", 404, {"title": "Resource Not Found"}), "Resource Not Found"),
        (Result("tag-0", 400, {"title": "Bad Request", "detail": "No."}), "No."),
        (Result("tag-0", 200, {"errors": [{"email_addresses": ["t@example.org"]}]}), "refused"),
    ],
    ids=["no-result", "title-only", "400", "no-error-text"],
)
def test_a_tag_operation_answered_tersely_is_reported_on_the_members_line(
    fake_mailchimp, root, monkeypatch, result, reason
):
    """Whatever the tag operation's answer lacks (the result, a detail, the error's text), each
    member it did not tag is reported with the best reason there is, and is not counted."""
    seed_synced(fake_mailchimp)

    def answered(results: dict[str, Result]) -> dict[str, Result]:
        return {} if result is None else {"tag-0": result}

    change_answers(monkeypatch, batches, "run", answered)
    summary = run_import(fake_mailchimp, root, [row("t@example.org")], tag=TAG)
    assert summary.problems == [
        f"{root / 'members.csv'}:2: t@example.org: not tagged {TAG}: {reason}"
    ]
    assert (summary.added, summary.tagged, summary.failed, summary.invalid) == (1, 0, 1, 0)
