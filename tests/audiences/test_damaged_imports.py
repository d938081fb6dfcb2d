"""Imports that lose nothing and say exactly what happened: damaged CSV files (a quote never
closed, cells shifted, bytes that are not UTF-8, a huge cell half-way), spreadsheet formulas,
a reader who unsubscribes while the import runs, and a computer that knows no unsubscribes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.audiences import HEADER, LIST_ID, OTHER_LIST_ID, audience, client, seed_synced

from bulletin.audiences.member_import import import_members
from bulletin.cli import main


def write_raw(root: Path, body: bytes) -> Path:
    path = root / "members.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\r\n" + body)
    return path


def rows(count: int, start: int = 0) -> bytes:
    return b"".join(
        f"reader{n}@example.org,Sam,Jones,School,,yes\r\n".encode()
        for n in range(start, start + count)
    )


def run(fake, root: Path, path: Path, **options):
    return import_members(client(fake), audience(root), path, root, **options)


def invoke(fake, root: Path, monkeypatch, *args: str):
    monkeypatch.chdir(root)
    monkeypatch.setenv("MAILCHIMP_API_KEY", fake.api_key)
    monkeypatch.setenv("MAILCHIMP_BASE_URL", fake.url)
    return CliRunner().invoke(main, ["audiences", "import", "partners", "members.csv", *args])


def test_an_unterminated_quote_is_reported_at_its_line_and_swallows_nobody(
    fake_mailchimp, root, monkeypatch
):
    seed_synced(fake_mailchimp)
    write_raw(
        root,
        b'first@example.org,"Sam,Jones,School,,yes\r\n'
        b"second@example.org,Jo,Smith,School,,yes\r\n"
        b"third@example.org,Al,Brown,School,,yes\r\n",
    )
    result = invoke(fake_mailchimp, root, monkeypatch)
    assert result.exit_code == 1, result.output
    assert 'members.csv:2: a quote (") in this row is never closed, so lines 2 to 4' in (
        result.output
    )
    with fake_mailchimp.lock:
        members = list(fake_mailchimp.state.lists[LIST_ID].members.values())
    assert members == []  # nothing half-read reached Mailchimp, no address in a first name


def test_a_multi_line_cell_without_commas_or_addresses_is_kept(fake_mailchimp, root):
    seed_synced(fake_mailchimp)
    path = write_raw(root, b'first@example.org,Sam,Jones,"County Hall\nWorcester",,yes\r\n')
    summary = run(fake_mailchimp, root, path)
    assert (summary.added, summary.invalid) == (1, 0)
    member = fake_mailchimp.member(LIST_ID, "first@example.org")
    assert member.merge_fields["ORG"] == "County Hall\nWorcester"


def test_a_row_with_another_number_of_cells_is_refused_at_its_line(fake_mailchimp, root):
    seed_synced(fake_mailchimp)
    path = write_raw(
        root,
        b"first@example.org,Jones, Sam,Jones,School,,yes\r\nsecond@example.org,Jo\r\n" + rows(1),
    )
    summary = run(fake_mailchimp, root, path)
    assert summary.added == 1 and summary.invalid == 2
    assert summary.problems[0].endswith(
        "members.csv:2: 7 cells where the header names 6: a comma inside a name needs quotes "
        "around the cell; not imported"
    )
    assert "members.csv:3: 2 cells where the header names 6" in summary.problems[1]
    assert fake_mailchimp.member(LIST_ID, "first@example.org") is None


@pytest.mark.parametrize(
    "damage",
    [
        b"bad\xff\xfe@example.org,Sam,,,,yes\r\n",
        b"big@example.org," + b"x" * 300_000 + b",,,,yes\r\n",
    ],
    ids=["invalid-utf8", "huge-cell"],
)
def test_damage_part_way_says_what_was_imported_and_a_rerun_skips_it(
    fake_mailchimp, root, monkeypatch, damage
):
    seed_synced(fake_mailchimp)
    write_raw(root, rows(1199) + damage + rows(50, start=5000))
    result = invoke(fake_mailchimp, root, monkeypatch)
    assert result.exit_code == 1, result.output
    assert "members.csv:1201:1: error: " in result.output
    assert "the import stopped at this line; the rows before it were imported" in result.output
    assert "nothing written" not in result.output
    assert "1,199 added" in result.output
    with fake_mailchimp.lock:
        assert len(fake_mailchimp.state.lists[LIST_ID].members) == 1199
    fake_mailchimp.clear_requests()
    again = invoke(fake_mailchimp, root, monkeypatch)
    assert "1,199 unchanged" in again.output  # a re-run skips what is in already
    assert fake_mailchimp.write_calls() == 0


@pytest.mark.parametrize(
    ("cell", "column", "first"),
    [
        ('=HYPERLINK("https://evil.example")', "first name", "="),
        ("+44 SUM(A1)", "first name", "+"),
        ("-2+3", "last name", "-"),
        ("@SUM(1)", "organisation", "@"),
    ],
)
def test_a_formula_cell_is_refused_and_named(fake_mailchimp, root, cell, column, first):
    seed_synced(fake_mailchimp)
    cells = ["f@example.org", "Sam", "Jones", "School", "", "yes"]
    cells[{"first name": 1, "last name": 2, "organisation": 3}[column]] = cell
    line = ",".join(f'"{c}"' for c in [c.replace('"', '""') for c in cells]).encode()
    summary = run(fake_mailchimp, root, write_raw(root, line + b"\r\n" + rows(1)))
    assert (summary.added, summary.invalid) == (1, 1)
    assert (
        f"members.csv:2: {column}: starts with '{first}', which a spreadsheet runs as a "
        in (summary.problems[0])
    )
    assert fake_mailchimp.member(LIST_ID, "f@example.org") is None


def test_a_nul_byte_is_refused_and_named(fake_mailchimp, root):
    seed_synced(fake_mailchimp)
    summary = run(fake_mailchimp, root, write_raw(root, b"n@example.org,Sa\x00m,,,,yes\r\n"))
    assert summary.invalid == 1 and summary.added == 0
    assert "members.csv:2: first name: holds a NUL byte" in summary.problems[0]


def test_a_member_who_unsubscribes_during_the_import_is_never_given_a_status(fake_mailchimp, root):
    """The reads say subscribed; by the time of the write the reader has left (through an
    admin, which the real API would let a status put back): no status is sent for them."""
    seed_synced(fake_mailchimp, members=["left@example.org"])

    def unsubscribe_before_the_writes(record) -> None:
        if record.method == "GET" and record.query.get("status") == "pending":
            with fake_mailchimp.lock:
                member = fake_mailchimp.state.lists[LIST_ID].members
                left = next(m for m in member.values() if m.email == "left@example.org")
                left.status, left.unsubscribed_by = "unsubscribed", "api"

    fake_mailchimp.on_request = unsubscribe_before_the_writes
    path = write_raw(root, b"left@example.org,Sam,Jones,School,,yes\r\n" + rows(3))
    summary = run(fake_mailchimp, root, path)
    fake_mailchimp.on_request = None
    assert fake_mailchimp.member(LIST_ID, "left@example.org").status == "unsubscribed"
    assert summary.added == 3
    for batch in fake_mailchimp.calls("POST", rf"^/lists/{LIST_ID}$"):
        for item in batch.body["members"]:
            if "status" in item:
                assert batch.body["update_existing"] is False, batch.body


def test_a_lost_state_folder_never_imports_an_address_suppressed_elsewhere(fake_mailchimp, root):
    seed_synced(fake_mailchimp)
    fake_mailchimp.seed_list(
        "Health",
        list_id=OTHER_LIST_ID,
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        interest_categories={"Topics": ["Children's safeguarding"]},
        members=[
            {"email": "left@example.org", "status": "unsubscribed", "unsubscribed_by": "user"},
            {"email": "bounced@example.org", "status": "cleaned"},
        ],
    )
    shutil.rmtree(root / ".bulletin", ignore_errors=True)  # a second computer: nothing known
    from bulletin.document.audiences import load_audiences

    every = load_audiences(root).audiences  # type: ignore[union-attr]
    path = write_raw(root, b"left@example.org,,,,,yes\r\nbounced@example.org,,,,,yes\r\n" + rows(1))
    summary = run(fake_mailchimp, root, path, every=every)
    assert summary.suppressed == 2 and summary.added == 1
    assert fake_mailchimp.member(LIST_ID, "left@example.org") is None
    assert fake_mailchimp.member(LIST_ID, "bounced@example.org") is None
