"""The errors a user can cause, each turned by the CLI into one-line messages and an exit code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, located so an editor can jump to it."""

    file: str
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"
    rule: str = ""  # the id of the check that found it; empty for a validation error

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {where}{self.message}"


class BulletinError(Exception):
    """Base of every error the CLI reports without a traceback."""


class ContentError(BulletinError):
    """A YAML file the user wrote is invalid; holds every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SetupError(BulletinError):
    """The installation or project layout is broken (a section folder missing a part, say)."""


def problem_at(path: Path | str, message: str, line: int = 1, column: int = 1) -> Problem:
    """A problem with a whole file rather than one field (missing file, unreadable text)."""
    return Problem(str(path), line, column, "", message)


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """` (did you mean 'article'?)` for a near miss among `choices`, else nothing."""
    import difflib  # only when something is wrong: not every run needs it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
