"""`bulletin audiences import` against the fake Mailchimp: nobody who said no is subscribed again,
invalid rows are reported by line, and the same file twice writes nothing the second time."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.audiences import (
    LIST_ID,
    OTHER_LIST_ID,
    client,
    run_import,
    seed_synced,
    write_csv,
)

from bulletin.audiences.suppression import Suppressions
from bulletin.cli import main
from bulletin.mailchimp.audiences import create_segment

SEEDED = [
    {"email": "gone@example.org", "status": "unsubscribed", "unsubscribed_by": "user"},
    {"email": "removed@example.org", "status": "unsubscribed", "unsubscribed_by": "api"},
    {"email": "bounced@example.org", "status": "cleaned"},
    {"email": "waiting@example.org", "status": "pending"},
    {"email": "reader@example.org", "merge_fields": {"FNAME": "Old"}},
]


def status(fake, email: str, list_id: str = LIST_ID) -> str | None:
    member = fake.member(list_id, email)
    return member.status if member else None


def test_nobody_who_said_no_is_subscribed_again(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp, members=SEEDED)
    rows = [
        [m["email"], "Sam", "Jones", "School", "", "yes"]  # every one of them "consents"
        for m in SEEDED
    ]
    summary = run_import(fake_mailchimp, root, rows)
    assert status(fake_mailchimp, "gone@example.org") == "unsubscribed"
    # An address unsubscribed by an admin: Mailchimp itself would let the API subscribe it.
    assert status(fake_mailchimp, "removed@example.org") == "unsubscribed"
    assert status(fake_mailchimp, "bounced@example.org") == "cleaned"
    assert status(fake_mailchimp, "waiting@example.org") == "pending"
    assert status(fake_mailchimp, "reader@example.org") == "subscribed"
    assert fake_mailchimp.member(LIST_ID, "reader@example.org").merge_fields["FNAME"] == "Sam"
    assert (summary.unsubscribed, summary.updated, summary.added) == (3, 2, 0)
    # The pending member's fields were updated without a status.
    batches = fake_mailchimp.calls("POST", rf"^/lists/{LIST_ID}$")
    for batch in batches:
        for item in batch.body["members"]:
            if item["email_address"] == "waiting@example.org":
                assert "status" not in item and batch.body["update_existing"] is True


def test_new_contacts_follow_consent_and_the_audience(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp, members=["dsl@school.example"])
    fake_mailchimp.seed_list(
        "Health", list_id=OTHER_LIST_ID, merge_fields=[{"tag": "ORG", "name": "Organisation"}]
    )
    rows = [
        ["yes@example.org", "Ann", "Yes", "", "Adult safeguarding; Role:Manager", "yes"],
        ["dated@example.org", "Dee", "Date", "", "", "2024-03-01"],
        ["no@example.org", "Noel", "No", "", "", ""],
        ["dsl@school.example", "Dana", "Lead", "Oak School", "", "no"],
    ]
    summary = run_import(fake_mailchimp, root, rows)
    assert status(fake_mailchimp, "yes@example.org") == "subscribed"
    assert status(fake_mailchimp, "dated@example.org") == "subscribed"
    assert status(fake_mailchimp, "no@example.org") == "pending"  # double opt-in: confirm first
    assert status(fake_mailchimp, "dsl@school.example") == "subscribed"  # kept, fields updated
    assert fake_mailchimp.member(LIST_ID, "dsl@school.example").merge_fields["ORG"] == "Oak School"
    chosen = fake_mailchimp.member(LIST_ID, "yes@example.org").interests
    assert chosen == {
        fake_mailchimp.interest_id(LIST_ID, "Topics", "Adult safeguarding"): True,
        fake_mailchimp.interest_id(LIST_ID, "Role", "Manager"): True,
    }
    assert (summary.added, summary.invited, summary.updated) == (2, 1, 1)

    # A single opt-in audience: no consent, no new contact; members are still updated.
    rows = [["no@example.org", "Noel", "No", "", "", "no"]]
    summary = run_import(fake_mailchimp, root, rows, name="health")
    assert status(fake_mailchimp, "no@example.org", OTHER_LIST_ID) is None
    assert summary.no_consent == 1
    before = fake_mailchimp.write_calls()
    again = run_import(fake_mailchimp, root, rows, name="health")
    assert (again.no_consent, fake_mailchimp.write_calls()) == (1, before)


def test_a_suppressed_address_is_not_added_to_another_audience(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp)
    fake_mailchimp.seed_list(
        "Health",
        list_id=OTHER_LIST_ID,
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        members=[{"email": "left@example.org", "status": "unsubscribed"}],
    )
    with Suppressions.open(root) as store:  # learnt from a webhook, say
        store.add("Hooked@Example.org", "", "unsubscribed", "webhook")
    # Importing into `health` records its unsubscribes; then `partners` skips them.
    run_import(fake_mailchimp, root, [["new@example.org", "", "", "", "", "yes"]], name="health")
    rows = [
        ["left@example.org", "L", "Eft", "", "", "yes"],
        ["hooked@example.org", "H", "Ook", "", "", "yes"],
        ["fresh@example.org", "F", "Resh", "", "", "yes"],
    ]
    summary = run_import(fake_mailchimp, root, rows)
    assert status(fake_mailchimp, "left@example.org") is None
    assert status(fake_mailchimp, "hooked@example.org") is None
    assert status(fake_mailchimp, "fresh@example.org") == "subscribed"
    assert (summary.suppressed, summary.added) == (2, 1)


def test_invalid_rows_are_reported_by_line_and_the_rest_imported(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp)
    rows = [
        ["good@example.org", "G", "Ood", "", "", "yes"],
        ["not-an-address", "N", "A", "", "", "yes"],
        ["pref@example.org", "P", "Ref", "", "Knitting", "yes"],
        ["consent@example.org", "C", "On", "", "", "perhaps"],
        ["good@example.org", "G", "Again", "", "", "yes"],
        ["", "", "", "", "", ""],  # a blank row is no row
        ["", "No", "Address", "", "", "yes"],
    ]
    summary = run_import(fake_mailchimp, root, rows)
    path = root / "members.csv"
    assert summary.problems == [
        f"{path}:3: not a valid e-mail address ('not-an-address')",
        f"{path}:4: preferences: audience partners has no interest group 'Knitting' "
        "(its groups: Topics:Children's safeguarding, Topics:Adult safeguarding, "
        "Topics:Training and events, Role:Designated safeguarding lead, Role:Manager)",
        f"{path}:5: consent: write yes, no or the date it was given ('perhaps')",
        f"{path}:6: good@example.org is on line 2 already",
        f"{path}:8: no e-mail address",
    ]
    assert (summary.invalid, summary.added) == (5, 1)


def test_the_same_file_twice_writes_nothing_the_second_time(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp, members=SEEDED)
    rows = [
        [f"r{n}@example.org", "R", str(n), "Org", "Adult safeguarding", "yes"] for n in range(7)
    ]
    rows += [[m["email"], "S", "J", "", "", "yes"] for m in SEEDED]
    first = run_import(fake_mailchimp, root, rows, tag="Schools DSLs")
    assert (first.added, first.tagged) == (7, 9)  # the new ones, the subscribed and pending
    before = fake_mailchimp.write_calls()
    second = run_import(fake_mailchimp, root, rows, tag="Schools DSLs")
    assert fake_mailchimp.write_calls() == before
    assert (second.unchanged, second.unsubscribed, second.calls) == (9, 3, 4)  # reads only
    # A changed row is sent again, and only it.
    rows[0][1] = "Rita"
    third = run_import(fake_mailchimp, root, rows, tag="Schools DSLs")
    assert (third.updated, third.unchanged) == (1, 8)
    assert fake_mailchimp.member(LIST_ID, "r0@example.org").merge_fields["FNAME"] == "Rita"
    with fake_mailchimp.lock:
        tagged = fake_mailchimp.state.lists[LIST_ID].tag("Schools DSLs").members
    assert len(tagged) == 9


@pytest.mark.parametrize("members", [50_000])
def test_fifty_thousand_members_take_at_most_110_calls(members: int, root: Path):
    """The issue's budget, against the fake (answers unchecked, to keep it quick)."""
    from fake_mailchimp import running

    rows = [
        [
            f"reader{n}@school{n % 97}.example.org",
            "Alex",
            f"R{n}",
            "School",
            "",
            "no" if n % 10 == 0 else "yes",
        ]
        for n in range(members)
    ]
    with running(check_responses=False) as fake:
        seed_synced(fake, members=SEEDED)
        summary = run_import(fake, root, rows)
        invited = math.ceil(members / 10)
        assert (summary.added, summary.invited) == (members - invited, invited)
        reads = 3  # unsubscribed, cleaned, pending
        batches = math.ceil((members - invited) / 500) + math.ceil(invited / 500)
        assert summary.calls == len(fake.requests) == reads + batches
        assert summary.calls <= 110

        fake.clear_requests()
        again = run_import(fake, root, rows)
        assert fake.write_calls() == 0
        assert again.unchanged == members
        assert again.calls == len(fake.requests) == 2 + math.ceil((invited + 1) / 1000)


def test_fifty_thousand_members_with_a_tag_take_at_most_110_calls(root: Path):
    """The tags travel in one call to the batch endpoint, not one call per 500 members."""
    from fake_mailchimp import running

    members = 50_000
    rows = [
        [f"reader{n}@example.org", "Alex", f"R{n}", "School", "", "yes"] for n in range(members)
    ]
    with running(check_responses=False) as fake:
        seed_synced(fake, members=SEEDED)
        summary = run_import(fake, root, rows, tag="Schools DSLs")
        assert (summary.added, summary.tagged, summary.failed) == (members, members, 0)
        with fake.lock:
            assert len(fake.state.lists[LIST_ID].tag("Schools DSLs").members) == members
        assert len(fake.calls("POST", r"^/batches$")) == 1
        assert not fake.calls("POST", r"/segments/")  # no tag call of its own
        # 3 reads, the tag's id, 100 subscribe batches, the batch, its status twice; and the
        # results archive, fetched from storage rather than the API.
        assert summary.calls == len(fake.requests) + 1 == 3 + 1 + 100 + 1 + 2 + 1
        assert summary.calls <= 110


def test_a_tag_mailchimp_refuses_is_reported_and_tried_again(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp, members=SEEDED)
    rows = [[f"r{n}@example.org", "R", str(n), "Org", "", "yes"] for n in range(3)]

    def tag_removed_meanwhile(record) -> None:
        if record.path == "/batches" and record.method == "POST":
            with fake_mailchimp.lock:
                audience = fake_mailchimp.state.lists[LIST_ID]
                audience.segments.pop(audience.tag("Schools DSLs").id)

    fake_mailchimp.on_request = tag_removed_meanwhile
    first = run_import(fake_mailchimp, root, rows, tag="Schools DSLs")
    fake_mailchimp.on_request = None
    assert (first.added, first.tagged, first.failed) == (3, 0, 3)
    assert all("not tagged Schools DSLs" in p for p in first.problems)
    assert first.problems[0].endswith(":2: r0@example.org: not tagged Schools DSLs: "
                                      "The requested resource could not be found.")  # fmt: skip
    # The tag is back (as a sync makes it): the next import sends the rows again and tags them.
    create_segment(client(fake_mailchimp), LIST_ID, {"name": "Schools DSLs", "static_segment": []})
    with fake_mailchimp.lock:
        audience = fake_mailchimp.state.lists[LIST_ID]
    second = run_import(fake_mailchimp, root, rows, tag="Schools DSLs")
    assert (second.updated, second.tagged, second.failed) == (3, 3, 0)
    with fake_mailchimp.lock:
        assert len(audience.tag("Schools DSLs").members) == 3


def test_the_command_shows_problems_and_the_summary(fake_mailchimp, root: Path, monkeypatch):
    seed_synced(fake_mailchimp, members=SEEDED)
    write_csv(
        root / "members.csv",
        [["gone@example.org", "", "", "", "", "yes"], ["new@example.org", "", "", "", "", "yes"]],
        header=[*HEADER_WITH_EXTRA],
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("MAILCHIMP_API_KEY", fake_mailchimp.api_key)
    monkeypatch.setenv("MAILCHIMP_BASE_URL", fake_mailchimp.url)
    result = CliRunner().invoke(main, ["audiences", "import", "partners", "members.csv"])
    assert result.exit_code == 0, result.output
    assert "note: columns not used: Phone" in result.output
    assert (
        "1 added, 0 invited (pending their confirmation), 0 updated, 0 unchanged, 1 skipped "
        in (result.output)
    )
    result = CliRunner().invoke(
        main, ["audiences", "import", "partners", "members.csv", "--tag", "Social care"]
    )
    assert result.exit_code == 1
    assert "error: 'Social care' is a saved segment, not a tag" in result.output


HEADER_WITH_EXTRA = ["Email", "First name", "Last name", "Phone", "Preferences", "Consent"]


def test_empty_cells_never_blank_and_preferences_are_only_added(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp)
    first = [["kim@example.org", "Kim", "Lee", "Oak School", "Adult safeguarding", "yes"]]
    run_import(fake_mailchimp, root, first)
    later = [["kim@example.org", "", "Lee-Hart", "", "Role:Manager", "yes"]]
    summary = run_import(fake_mailchimp, root, later)
    member = fake_mailchimp.member(LIST_ID, "kim@example.org")
    assert summary.updated == 1
    assert (member.merge_fields["FNAME"], member.merge_fields["ORG"]) == ("Kim", "Oak School")
    assert member.merge_fields["LNAME"] == "Lee-Hart"
    assert {i for i, chosen in member.interests.items() if chosen} == {
        fake_mailchimp.interest_id(LIST_ID, "Topics", "Adult safeguarding"),
        fake_mailchimp.interest_id(LIST_ID, "Role", "Manager"),
    }
    sent = [
        item
        for batch in fake_mailchimp.calls("POST", rf"^/lists/{LIST_ID}$")
        for item in batch.body["members"]
    ]
    assert all(value for item in sent for value in item.get("merge_fields", {}).values())
    assert all(chosen for item in sent for chosen in item.get("interests", {}).values())
