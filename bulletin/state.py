"""The project's `.bulletin/` folder: what this computer remembers between runs.

Everything kept here is a cache of what Mailchimp knows (which campaign holds which issue, what
an import last sent, who unsubscribed, which id each audiences.yaml entry has): losing it makes
a run slower, never causes a second campaign or a mail to someone who said no. So a damaged
file (garbage, cut short, of another shape, a folder) is moved aside with a one-line note and
made anew, and the commands rebuild what they need from Mailchimp. A file that cannot be
written (read-only, locked by another program) stops a command before it acts in Mailchimp.
Some of it is personal data, so each file is readable by its owner alone, and the folder
stays out of git. Commands that write to Mailchimp take the project's lock (`mailchimp_lock`),
so two of them never interleave.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from bulletin.errors import BulletinError

FOLDER = ".bulletin"
LOCK_FILE = "mailchimp.lock"
HOLDER_FILE = "mailchimp.lock.holder"  # who holds the lock: said when another command waits
LOCK_WAIT_ENV = "BULLETIN_LOCK_WAIT"
LOCK_WAIT = 60.0  # seconds a command waits for another to finish with Mailchimp


class StateError(BulletinError):
    """A file of `.bulletin/` cannot be used (read-only, locked): nothing was done."""


def state_path(root: Path, name: str) -> Path:
    """Where the project at `root` keeps the file `name`."""
    return root / FOLDER / name


def private(path: Path) -> None:
    """Readable by the owner alone: these files hold people's addresses."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def note(message: str) -> None:
    """A one-line notice on stderr: what was done to the state, never a traceback."""
    print(f"note: {message}", file=sys.stderr)


def shown(path: Path) -> str:
    """`.bulletin/ledger.sqlite3` rather than the whole absolute path, where it can."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def set_aside(path: Path, why: str) -> Path:
    """Move a damaged state file (and SQLite's -wal and -shm beside it) out of the way."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            os.replace(extra, aside.with_name(aside.name + suffix))
    note(f"{shown(path)} was damaged ({why}): moved it to {aside.name} and started it afresh")
    return aside


def writable(path: Path) -> None:
    """Stop now, before anything is done in Mailchimp, if `path` (or its folder) is read-only."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StateError(f"cannot make {shown(folder)}: {err.strerror}: nothing done") from None
    if not (os.access(folder, os.W_OK | os.X_OK) and _owner_may_write(folder)):
        raise StateError(
            f"{shown(folder)} is read-only: make it writable (chmod u+w) and run this again; "
            "nothing done"
        )
    if path.is_file() and not (os.access(path, os.R_OK | os.W_OK) and _owner_may_write(path)):
        raise StateError(
            f"{shown(path)} is read-only: make it writable (chmod u+rw) and run this again; "
            "nothing done"
        )


def _owner_may_write(path: Path) -> bool:
    """The owner's write bit: a file made read-only is read-only, even to root."""
    try:
        return bool(path.stat().st_mode & stat.S_IWUSR)
    except OSError:
        return False


def begin(db: sqlite3.Connection, path: Path, statement: str, waited: float) -> None:
    """Start a transaction; a lock another program keeps too long is a StateError."""
    try:
        db.execute(statement)
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            raise StateError(_locked(path, waited)) from None
        raise StateError(f"cannot use {shown(path)}: {err}") from None


def connect(
    path: Path,
    schema: str,
    *,
    timeout: float = 30,
    autocommit: bool = False,
    shared: bool = False,
    on_damaged: Callable[[Path], None] | None = None,
) -> sqlite3.Connection:
    """Open (creating it if need be) one of the project's SQLite files, with its tables.

    WAL lets a reader go on while another process writes; `shared` lets the webhook server's
    threads use one connection; `autocommit` leaves each transaction to the caller. A file
    that is no database, is cut short or holds tables of another shape is set aside and made
    anew (`on_damaged` hears of it); one that is read-only or locked is a StateError.
    """
    writable(path)
    for attempt in (1, 2):
        why = "a folder, not a file" if path.is_dir() else None
        if why is None:
            try:
                return _open(path, schema, timeout, autocommit, shared)
            except sqlite3.OperationalError as err:
                if "locked" in str(err) or "busy" in str(err):
                    raise StateError(_locked(path, timeout)) from None
                if "readonly" in str(err) or "read-only" in str(err):
                    raise StateError(f"{shown(path)} is read-only: nothing done") from None
                if "unable to open" in str(err) and (attempt == 2 or not path.exists()):
                    raise StateError(f"cannot open {shown(path)}: {err}") from None
                why = str(err)
            except (sqlite3.DatabaseError, _WrongShape) as err:
                why = str(err)
        if attempt == 2:
            break
        set_aside(path, why)
        if on_damaged is not None:
            on_damaged(path)
    raise StateError(f"cannot use {shown(path)}: {why}")


class _WrongShape(Exception):
    """The file holds a table of ours with other columns: written by something else."""


def _open(
    path: Path, schema: str, timeout: float, autocommit: bool, shared: bool
) -> sqlite3.Connection:
    db = sqlite3.connect(
        path,
        timeout=timeout,
        check_same_thread=not shared,
        isolation_level=None if autocommit else "DEFERRED",
    )
    try:
        private(path)
        db.execute("PRAGMA journal_mode=WAL")
        problems = db.execute("PRAGMA quick_check").fetchall()
        if problems != [("ok",)]:
            raise sqlite3.DatabaseError(f"damaged: {problems[0][0]}")
        _same_shape(db, schema)
        db.executescript(schema)
    except BaseException:
        db.close()
        raise
    return db


def _same_shape(db: sqlite3.Connection, schema: str) -> None:
    wanted = sqlite3.connect(":memory:")
    try:
        wanted.executescript(schema)
        for table, columns in _tables(wanted).items():
            held = _tables(db).get(table)
            if held is not None and held != columns:
                raise _WrongShape(f"its table '{table}' has other columns")
    finally:
        wanted.close()


def _tables(db: sqlite3.Connection) -> dict[str, list[tuple[str, str, int, int]]]:
    names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {
        name: [(r[1], r[2].upper(), r[3], r[5]) for r in db.execute(f"PRAGMA table_info('{name}')")]
        for name in names
    }


def _locked(path: Path, waited: float) -> str:
    holder = lock_holder(path.parent.parent)
    who = f" ({holder})" if holder else " (another program: a database browser, a backup?)"
    return (
        f"{shown(path)} is locked by another process{who} and stayed locked for {waited:g} s: "
        "close it, then run this again; nothing done"
    )


def lock_holder(root: Path) -> str:
    """Who holds the project's lock, as it wrote itself down: pid, host, command, since when."""
    try:
        return state_path(root, HOLDER_FILE).read_text(encoding="utf-8").strip()[:300]
    except (OSError, UnicodeDecodeError):
        return ""


def lock_wait(environ: dict[str, str] | None = None) -> float:
    text = (os.environ if environ is None else environ).get(LOCK_WAIT_ENV, "").strip()
    if not text:
        return LOCK_WAIT
    try:
        wait = float(text)
    except ValueError:
        wait = -1
    if not 0 <= wait <= 86400:
        raise BulletinError(f"{LOCK_WAIT_ENV} must be a number of seconds ({text!r})")
    return wait


@contextlib.contextmanager
def mailchimp_lock(root: Path, doing: str, wait: float | None = None) -> Iterator[None]:
    """Hold the project's lock while a command writes to Mailchimp; wait `wait` seconds at most
    (default: $BULLETIN_LOCK_WAIT, else 60) for another command to finish with it.

    An OS lock (flock): it goes with the process that held it, however that process ended.
    """
    from filelock import FileLock, Timeout

    wait = lock_wait() if wait is None else wait
    path = state_path(root, LOCK_FILE)
    writable(path)
    lock = FileLock(path, timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        holder = lock_holder(root) or "another bulletin command"
        raise StateError(
            f"another command is working with Mailchimp for this project ({holder}); "
            f"waited {wait:g} s: run this again when it has finished (nothing done)"
        ) from None
    except OSError as err:
        raise StateError(f"cannot lock {shown(path)}: {err.strerror}: nothing done") from None
    holder_file = state_path(root, HOLDER_FILE)
    try:
        with contextlib.suppress(OSError):
            holder_file.write_text(
                f"pid {os.getpid()} on {socket.gethostname()}: bulletin {doing}, "
                f"since {utc_now()}\n",
                encoding="utf-8",
            )
        yield
    finally:
        with contextlib.suppress(OSError):
            holder_file.unlink()
        lock.release()


def utc_now() -> str:
    """Now, as every state file writes a time: ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")
