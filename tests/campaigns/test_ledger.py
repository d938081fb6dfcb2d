"""The ledger: a small SQLite table whose every write is all or nothing."""

from pathlib import Path

import pytest

from bulletin.campaigns.ledger import Entry, Ledger

ENTRY = Entry("bulletin:wscp:2020-12", "0a1b2c3d4e", "issues/2020-12.yaml", "abc123")


def test_reading_an_absent_ledger_creates_nothing(tmp_path: Path):
    ledger = Ledger.at(tmp_path)
    assert ledger.get("x", "y") is None
    assert ledger.entries() == []
    assert not (tmp_path / ".bulletin").exists()


def test_the_first_write_makes_the_folder_and_the_table(tmp_path: Path):
    ledger = Ledger.at(tmp_path)
    ledger.put(ENTRY)
    assert (tmp_path / ".bulletin" / "ledger.sqlite3").is_file()
    assert ledger.get(ENTRY.issue, ENTRY.list_id) == ENTRY
    assert Ledger.at(tmp_path).entries() == [ENTRY]  # a new run reads it back


def test_put_replaces_the_row_for_the_same_issue_and_list(tmp_path: Path):
    ledger = Ledger.at(tmp_path)
    ledger.put(ENTRY)
    pushed = ENTRY.but(content_hash="h1", remote_hash="r1", recipients=3, last_pushed="t")
    ledger.put(pushed)
    other_list = ENTRY.but(list_id="5f6a7b8c9d", campaign_id="def456")
    ledger.put(other_list)
    assert ledger.entries() == [pushed, other_list]
    assert ledger.for_issue(ENTRY.issue) == [pushed, other_list]
    ledger.forget(ENTRY.issue, "5f6a7b8c9d")
    assert ledger.entries() == [pushed]


def test_a_write_that_fails_half_way_leaves_the_old_row(tmp_path: Path):
    ledger = Ledger.at(tmp_path)
    ledger.put(ENTRY)
    with pytest.raises(KeyboardInterrupt), ledger._connect(write=True) as conn:
        conn.execute("DELETE FROM campaigns")
        conn.execute(
            "INSERT INTO campaigns (issue, list_id, path, campaign_id, status) "
            "VALUES ('a', 'b', 'c', 'd', 'save')"
        )
        raise KeyboardInterrupt  # the process interrupted between two statements
    assert ledger.entries() == [ENTRY]
