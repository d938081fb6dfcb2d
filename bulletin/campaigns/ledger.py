"""The local ledger: which Mailchimp campaign holds which issue, and what was last pushed to it.

It is a cache, never the only record: each campaign also carries a unique title
(`bulletin:<publication>:<issue>`) so a lost, stale or damaged ledger is rebuilt from Mailchimp
rather than ever causing a second campaign. It lives in SQLite beside the project
(`.bulletin/`), so a run killed half-way leaves either the old row or the new one, never half
of one. Before a step whose outcome a lost answer would leave unknown (creating the campaign,
a test send) the intent is written down (`pending`), so the next run knows to look before it
does that step again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from bulletin.mailchimp.campaigns import recipient_count
from bulletin.state import begin, connect, lock_wait, state_path, utc_now

FILE_NAME = "ledger.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS campaigns (
    issue TEXT NOT NULL,          -- the campaign title: bulletin:<publication>:<issue file stem>
    list_id TEXT NOT NULL,        -- the audience it goes to
    path TEXT NOT NULL,           -- the issue file, relative to the project
    campaign_id TEXT NOT NULL,
    content_hash TEXT,            -- of what we last pushed; NULL until the content is in
    remote_hash TEXT,             -- of what Mailchimp held just after that push
    status TEXT NOT NULL,         -- Mailchimp's: save, schedule, sending, sent, ...
    schedule_time TEXT,           -- UTC, ISO 8601
    last_pushed TEXT,             -- UTC, ISO 8601
    recipients INTEGER,
    PRIMARY KEY (issue, list_id)
);
CREATE TABLE IF NOT EXISTS pending (
    issue TEXT NOT NULL,
    list_id TEXT NOT NULL,
    action TEXT NOT NULL,         -- create, test
    detail TEXT NOT NULL,         -- for a test: the campaign and the addresses
    since TEXT NOT NULL,          -- UTC, ISO 8601
    PRIMARY KEY (issue, list_id, action)
);
"""


@dataclass(frozen=True)
class Entry:
    issue: str
    list_id: str
    path: str
    campaign_id: str
    status: str = "save"
    content_hash: str | None = None
    remote_hash: str | None = None
    schedule_time: str | None = None
    last_pushed: str | None = None
    recipients: int | None = None

    def but(self, **changes: Any) -> Entry:
        return replace(self, **changes)

    def seen(self, campaign: dict[str, Any]) -> Entry:
        """This row brought in line with the campaign as Mailchimp answered it just now:
        its status, its booking (if scheduled) and its recipients."""
        status = str(campaign.get("status") or self.status)
        return self.but(
            campaign_id=str(campaign.get("id") or self.campaign_id),
            status=status,
            schedule_time=(campaign.get("send_time") or None) if status == "schedule" else None,
            recipients=recipient_count(campaign),
        )


_COLUMNS = [f.name for f in fields(Entry)]


class Ledger:
    """Rows keyed by (issue, list_id); each write is one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.damaged = False  # set aside this run: to be rebuilt from Mailchimp

    @classmethod
    def at(cls, root: Path) -> Ledger:
        """The ledger of the project at `root`."""
        return cls(state_path(root, FILE_NAME))

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection | None]:
        if not write and not self.path.is_file():
            yield None  # reading an absent ledger creates nothing
            return
        with closing(
            connect(
                self.path, _SCHEMA, timeout=lock_wait(), autocommit=True, on_damaged=self._damaged
            )
        ) as conn:
            begin(conn, self.path, "BEGIN IMMEDIATE" if write else "BEGIN", lock_wait())
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _damaged(self, path: Path) -> None:
        self.damaged = True

    def check_writable(self) -> None:
        """Stop (StateError) before anything is done in Mailchimp if no row could be written."""
        with self._connect(write=True):
            pass

    def get(self, issue: str, list_id: str) -> Entry | None:
        with self._connect(write=False) as conn:
            if conn is None:
                return None
            row = conn.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM campaigns WHERE issue = ? AND list_id = ?",
                (issue, list_id),
            ).fetchone()
        return Entry(*row) if row else None

    def entries(self) -> list[Entry]:
        with self._connect(write=False) as conn:
            if conn is None:
                return []
            rows = conn.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM campaigns ORDER BY path, list_id"
            ).fetchall()
        return [Entry(*row) for row in rows]

    def for_issue(self, issue: str) -> list[Entry]:
        return [e for e in self.entries() if e.issue == issue]

    def put(self, entry: Entry) -> None:
        """Insert or replace the row for the entry's issue and list."""
        values = asdict(entry)
        with self._connect(write=True) as conn:
            assert conn is not None
            conn.execute(
                f"INSERT OR REPLACE INTO campaigns ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in _COLUMNS)})",
                [values[c] for c in _COLUMNS],
            )

    def record_status(
        self, issue: str, list_id: str, status: str, schedule_time: str | None
    ) -> None:
        """What a step just did to the campaign (booked it, sent it); no row, no change."""
        entry = self.get(issue, list_id)
        if entry is not None:
            self.put(entry.but(status=status, schedule_time=schedule_time))

    def intend(self, issue: str, list_id: str, action: str, detail: str = "") -> None:
        """Write down a step about to be tried whose answer may be lost."""
        with self._connect(write=True) as conn:
            assert conn is not None
            conn.execute(
                "INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?, ?)",
                (issue, list_id, action, detail, utc_now()),
            )

    def pending(self, issue: str, list_id: str, action: str) -> tuple[str, str] | None:
        """(detail, since) of a step tried and not known to be done, or None."""
        with self._connect(write=False) as conn:
            if conn is None:
                return None
            row = conn.execute(
                "SELECT detail, since FROM pending WHERE issue = ? AND list_id = ? AND action = ?",
                (issue, list_id, action),
            ).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def settle(self, issue: str, list_id: str, action: str) -> None:
        """The step is known to be done (or not to be): forget the intent."""
        if self.pending(issue, list_id, action) is None:
            return
        with self._connect(write=True) as conn:
            assert conn is not None
            conn.execute(
                "DELETE FROM pending WHERE issue = ? AND list_id = ? AND action = ?",
                (issue, list_id, action),
            )

    def forget(self, issue: str, list_id: str) -> None:
        with self._connect(write=True) as conn:
            assert conn is not None
            conn.execute("DELETE FROM campaigns WHERE issue = ? AND list_id = ?", (issue, list_id))
