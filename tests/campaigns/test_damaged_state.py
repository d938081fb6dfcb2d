"""`.bulletin/` is a cache, never a trap: a ledger that is garbage, cut short, of another shape
or a folder is moved aside (said in one line) and rebuilt from Mailchimp; one that is read-only
or locked stops a command before it does anything in Mailchimp; never a traceback."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.campaigns import campaigns, dispatcher, env, only_campaign, payload

from bulletin.cli import main

AT = "2099-12-04 09:00"


def run(fake, *args: str, **extra: str):
    result = CliRunner().invoke(main, list(args), env={**env(fake), **extra})
    assert "Traceback" not in result.output, result.output
    assert not any(f"sqlite3.{e}" in result.output for e in ("Error", "Database", "Operational"))
    assert not isinstance(result.exception, sqlite3.Error), result.exception
    return result


def ledger(issue: Path) -> Path:
    return issue.parent.parent / ".bulletin" / "ledger.sqlite3"


def garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database\x00\xff" * 100)


def truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: 4096 + 100])


def wrong_schema(path: Path) -> None:
    path.unlink()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE campaigns (issue TEXT, something_else INTEGER)")
    db.execute("INSERT INTO campaigns VALUES ('x', 1)")
    db.commit()
    db.close()


def a_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")


DAMAGE = {
    "garbage": garbage,
    "truncated": truncated,
    "wrong-schema": wrong_schema,
    "folder": a_folder,
}


def grow(path: Path) -> None:
    """More than one page of rows, so that cutting the file short loses some."""
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO campaigns (issue, list_id, path, campaign_id, status) VALUES (?, ?, ?, ?, ?)",
        [(f"bulletin:x:{n}", "l", f"issues/{n}.yaml", "c", "save") for n in range(300)],
    )
    db.commit()
    db.close()


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("command", ["push", "status", "send"])
def test_a_damaged_ledger_is_moved_aside_and_rebuilt(fake, issue, damage, command, monkeypatch):
    monkeypatch.chdir(issue.parent.parent)
    assert run(fake, "push", str(issue)).exit_code == 0
    os.environ.pop("BULLETIN_LOCK_WAIT", None)
    path = ledger(issue)
    if damage == "truncated":
        grow(path)
        sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    DAMAGE[damage](path)
    args = {
        "push": ["push", str(issue)],
        "status": ["status"],
        "test-send": ["test-send", str(issue)],
        "schedule": ["schedule", str(issue), "--at", AT],
        "send": ["send", str(issue), "--yes"],
    }[command]
    result = run(fake, *args)
    assert result.exit_code == 0, result.output
    moved = [line for line in result.output.splitlines() if "was damaged" in line]
    assert len(moved) == 1, result.output
    assert (
        "ledger.sqlite3 was damaged" in moved[0]
        and "moved it to ledger.sqlite3.damaged-" in (moved[0])
    )
    assert any(p.name.startswith("ledger.sqlite3.damaged-") for p in path.parent.iterdir())
    assert "rebuilt the ledger from Mailchimp: 1 campaign found" in result.output
    only_campaign(fake, issue)
    rows = run(fake, "status").output
    assert "issues/wscp-2020-12.yaml" in rows and campaigns(fake)[0].id in rows


@pytest.mark.parametrize("command", ["schedule", "unschedule", "send", "push", "test-send"])
def test_a_read_only_ledger_stops_the_command_before_it_acts(fake, issue, command):
    assert run(fake, "push", str(issue)).exit_code == 0
    if command == "unschedule":
        assert run(fake, "schedule", str(issue), "--at", AT).exit_code == 0
    os.chmod(ledger(issue), 0o444)
    fake.clear_requests()
    args = {
        "schedule": ["schedule", str(issue), "--at", AT],
        "unschedule": ["unschedule", str(issue)],
        "send": ["send", str(issue), "--yes"],
        "push": ["push", str(issue)],
        "test-send": ["test-send", str(issue)],
    }[command]
    try:
        result = run(fake, *args)
    finally:
        os.chmod(ledger(issue), 0o644)
    assert result.exit_code == 1
    assert "ledger.sqlite3 is read-only: make it writable" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert fake.requests == []  # nothing asked of Mailchimp, so nothing done there


def test_a_read_only_state_folder_stops_a_send_before_it_acts(fake, issue):
    assert run(fake, "push", str(issue)).exit_code == 0
    folder = ledger(issue).parent
    os.chmod(folder, 0o555)
    fake.clear_requests()
    try:
        result = run(fake, "send", str(issue), "--yes")
    finally:
        os.chmod(folder, 0o755)
    assert result.exit_code == 1
    assert ".bulletin is read-only" in result.output
    assert fake.requests == []


def test_a_ledger_locked_by_another_program_waits_then_says_so(fake, issue):
    assert run(fake, "push", str(issue)).exit_code == 0
    other = sqlite3.connect(ledger(issue), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    fake.clear_requests()
    try:
        result = run(fake, "send", str(issue), "--yes", BULLETIN_LOCK_WAIT="0.5")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 1
    assert "ledger.sqlite3 is locked by another process" in result.output
    assert "stayed locked for 0.5 s" in result.output
    assert fake.calls("POST") == []


def test_damaged_import_and_suppression_files_are_moved_aside_too(fake_mailchimp, tmp_path):
    from support.audiences import audience, client, make_project, seed_synced, write_csv

    from bulletin.audiences.member_import import import_members

    root = make_project(tmp_path / "project")
    seed_synced(fake_mailchimp)
    (root / ".bulletin").mkdir()
    garbage(root / ".bulletin" / "suppression.sqlite3")
    (root / ".bulletin" / "imported.sqlite3").mkdir()
    path = write_csv(root / "members.csv", [["a@example.org", "", "", "", "", "yes"]])
    summary = import_members(client(fake_mailchimp), audience(root), path, root)
    assert summary.added == 1
    names = sorted(p.name for p in (root / ".bulletin").iterdir())
    assert any(n.startswith("suppression.sqlite3.damaged-") for n in names), names
    assert any(n.startswith("imported.sqlite3.damaged-") for n in names), names


def test_the_rebuilt_ledger_knows_the_campaign_and_the_next_push_writes_nothing(fake, issue):
    dispatcher(fake, issue).push(payload(issue))
    garbage(ledger(issue))
    fake.clear_requests()
    result = run(fake, "push", str(issue))
    assert result.exit_code == 0, result.output
    assert "is up to date" in result.output
    assert fake.write_calls() == 0
