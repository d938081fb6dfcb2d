"""What every command shares: the issue argument, and errors turned into one-line messages."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from bulletin.errors import BulletinError, ContentError

F = TypeVar("F", bound=Callable[..., Any])

ISSUE = click.Path(exists=False, dir_okay=False, path_type=Path)


def reports_errors(func: F) -> F:
    """Turn our errors into `FILE:LINE:COL: error: ...` lines and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ContentError as err:
            from bulletin.checks.findings import as_text

            outcome = getattr(err, "outcome", "nothing written")
            click.echo(f"{as_text(err.problems)}, {outcome}", err=True)
            sys.exit(1)
        except BulletinError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)
        except OSError as err:  # an unwritable output folder, a full disk
            where = f"{err.filename}: " if err.filename else ""
            click.echo(f"error: {where}{err.strerror or err}", err=True)
            sys.exit(1)
        except Exception as err:
            if not _is_sqlite_error(err):
                raise
            click.echo(  # a state file damaged while the command ran
                f"error: a file in .bulletin/ could not be used ({err}): run it again", err=True
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _is_sqlite_error(err: Exception) -> bool:
    """Told without importing sqlite3: a command that never opened a state file has none."""
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(err, sqlite3.Error)
