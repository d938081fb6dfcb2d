"""The local suppression list: every address that unsubscribed or bounced, in any audience.

Mailchimp keeps an unsubscribe in the one audience where it happened; a partner's
spreadsheet imported into another audience would mail that person again, which UK GDPR and
PECR forbid. So each unsubscribed or cleaned address we learn of (`bulletin unsubscribes
pull`, the webhook receiver, and the reads every import makes) is recorded here, and imports
skip these addresses in every audience. It lives in `.bulletin/suppression.sqlite3` in the
project folder: personal data, kept out of git, never sent anywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from bulletin.document.audiences import Audience
from bulletin.mailchimp import audiences as lists
from bulletin.mailchimp.client import PAGE, Mailchimp
from bulletin.state import connect, state_path, utc_now

FILE_NAME = "suppression.sqlite3"
REASONS = ("unsubscribed", "cleaned")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS suppressed (
    email TEXT NOT NULL,      -- lower case
    list_id TEXT NOT NULL,    -- the audience it happened in ('' when not known)
    reason TEXT NOT NULL,     -- unsubscribed or cleaned
    source TEXT NOT NULL,     -- pull, webhook, import
    since TEXT NOT NULL,      -- when we first learnt of it (UTC)
    PRIMARY KEY (email, list_id)
) WITHOUT ROWID
"""


@dataclass(frozen=True)
class Entry:
    email: str
    list_id: str
    reason: str
    source: str
    since: str


class Suppressions:
    """The list in its SQLite file; safe to share between threads (the webhook server's)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = connect(path, _SCHEMA, shared=True)

    @classmethod
    def open(cls, root: Path) -> Suppressions:
        return cls(state_path(root, FILE_NAME))

    def add(self, email: str, list_id: str, reason: str, source: str) -> bool:
        """Record an address; true if it was not yet suppressed for that audience."""
        return self.add_many([email], list_id, reason, source) == 1

    def add_many(self, emails: Iterable[str], list_id: str, reason: str, source: str) -> int:
        """Record addresses of one audience; how many were new. A cleaned address that had
        unsubscribed becomes cleaned (it bounces, whatever it chose)."""
        if reason not in REASONS:
            raise ValueError(f"reason must be one of {REASONS}")
        now = utc_now()
        rows = [(e.strip().lower(), list_id, reason, source, now) for e in emails if e.strip()]
        with self._lock, self._db:
            before = self._db.total_changes
            self._db.executemany("INSERT OR IGNORE INTO suppressed VALUES (?, ?, ?, ?, ?)", rows)
            new = self._db.total_changes - before
            if reason == "cleaned":
                self._db.executemany(
                    "UPDATE suppressed SET reason = 'cleaned' WHERE email = ? AND list_id = ?",
                    [(r[0], r[1]) for r in rows],
                )
        return new

    def lookup(self, email: str) -> list[Entry]:
        """Why an address is suppressed, audience by audience (empty: it is not)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT email, list_id, reason, source, since FROM suppressed WHERE email = ?",
                (email.strip().lower(),),
            ).fetchall()
        return [Entry(*row) for row in rows]

    def carry(self, old: str, new: str, source: str) -> int:
        """An address changed: whatever held for the old one holds for the new one."""
        moved = 0
        for entry in self.lookup(old):
            moved += self.add(new, entry.list_id, entry.reason, source)
        return moved

    def __len__(self) -> int:
        with self._lock:
            return int(
                self._db.execute("SELECT count(DISTINCT email) FROM suppressed").fetchone()[0]
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Suppressions:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def record_audience(
    mc: Mailchimp, audience: Audience, store: Suppressions, source: str
) -> dict[str, tuple[int, int]]:
    """Read the audience's unsubscribed and cleaned members into the list.

    {reason: (addresses read, new to the list)}; one read per 1,000 addresses of each kind.
    """
    counts = {}
    for reason in REASONS:
        read = new = 0
        batch: list[str] = []
        for email in lists.emails_with_status(mc, audience.list_id, reason):
            batch.append(email)
            if len(batch) == PAGE:
                new += store.add_many(batch, audience.list_id, reason, source)
                read, batch = read + len(batch), []
        new += store.add_many(batch, audience.list_id, reason, source)
        counts[reason] = (read + len(batch), new)
    return counts


def pull(mc: Mailchimp, audiences: Sequence[Audience], store: Suppressions) -> list[str]:
    """`bulletin unsubscribes pull`: one line per audience."""
    lines = []
    for audience in audiences:
        counts = record_audience(mc, audience, store, "pull")
        (unsubscribed, new_u), (cleaned, new_c) = counts["unsubscribed"], counts["cleaned"]
        lines.append(
            f"{audience.name}: {unsubscribed:,} unsubscribed and {cleaned:,} cleaned in "
            f"Mailchimp, {new_u + new_c:,} new to the suppression list"
        )
    lines.append(f"{len(store):,} addresses on the suppression list ({store.path})")
    return lines
