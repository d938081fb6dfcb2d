"""The project's `.bulletin/` folder: what this computer remembers between runs.

Everything kept here is a cache of what Mailchimp knows (which campaign holds which issue, what
an import last sent, who unsubscribed, which id each audiences.yaml entry has): losing it makes
a run slower, never causes a second campaign or a mail to someone who said no. Some of it is
personal data, so each file is readable by its owner alone, and the folder stays out of git.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

FOLDER = ".bulletin"


def state_path(root: Path, name: str) -> Path:
    """Where the project at `root` keeps the file `name`."""
    return root / FOLDER / name


def private(path: Path) -> None:
    """Readable by the owner alone: these files hold people's addresses."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def connect(
    path: Path,
    schema: str,
    *,
    timeout: float = 30,
    autocommit: bool = False,
    shared: bool = False,
) -> sqlite3.Connection:
    """Open (creating it if need be) one of the project's SQLite files, with its tables.

    WAL lets a reader go on while another process writes; `shared` lets the webhook server's
    threads use one connection; `autocommit` leaves each transaction to the caller.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(
        path,
        timeout=timeout,
        check_same_thread=not shared,
        isolation_level=None if autocommit else "DEFERRED",
    )
    private(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(schema)
    if not autocommit:
        db.commit()
    return db


def utc_now() -> str:
    """Now, as every state file writes a time: ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")
