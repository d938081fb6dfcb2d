"""What each import last sent Mailchimp for each address, so importing the same file again
sends nothing.

A row is summed up as a fingerprint of what we would send (merge fields, groups, consent, tag).
If the last import of that address into that audience sent the same, the row is unchanged
and skipped without a call: Mailchimp is not asked, and a reader's own later changes (a new
name, other preferences) are not overwritten by an old spreadsheet. Kept in
`.bulletin/imported.sqlite3`; without it (another computer) an import sends every row again,
which changes nothing that matters: statuses are guarded whatever this file says.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bulletin.state import connect, state_path, utc_now

FILE_NAME = "imported.sqlite3"
MEMBER, ABSENT = "member", "absent"  # the address is in the audience / was left out (no consent)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imported (
    list_id TEXT NOT NULL,
    email TEXT NOT NULL,        -- lower case
    fingerprint TEXT NOT NULL,
    outcome TEXT NOT NULL,      -- member or absent
    at TEXT NOT NULL,
    PRIMARY KEY (list_id, email)
) WITHOUT ROWID
"""


def fingerprint(parts: Any) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


class LastImported:
    """The record for one audience, plus the addresses seen in this run (to find repeats)."""

    def __init__(self, path: Path, list_id: str) -> None:
        self.list_id = list_id
        self._db = connect(path, _SCHEMA)
        with self._db:
            self._db.execute("CREATE TEMP TABLE seen (email TEXT PRIMARY KEY, line INTEGER)")

    @classmethod
    def open(cls, root: Path, list_id: str) -> LastImported:
        return cls(state_path(root, FILE_NAME), list_id)

    def first_seen(self, email: str, line: int) -> int | None:
        """None the first time an address comes up in this run; then the line it came on."""
        key = email.lower()
        cursor = self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (key, line))
        if cursor.rowcount:
            return None
        row = self._db.execute("SELECT line FROM seen WHERE email = ?", (key,)).fetchone()
        return int(row[0])

    def last(self, email: str) -> tuple[str, str] | None:
        """(fingerprint, outcome) of the last import of this address, if any."""
        row = self._db.execute(
            "SELECT fingerprint, outcome FROM imported WHERE list_id = ? AND email = ?",
            (self.list_id, email.lower()),
        ).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def record(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """(email, fingerprint, outcome) for rows Mailchimp has taken (or that were left out)."""
        now = utc_now()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO imported VALUES (?, ?, ?, ?, ?)",
                [(self.list_id, e.lower(), f, o, now) for e, f, o in rows],
            )

    def close(self) -> None:
        self._db.commit()
        self._db.close()
