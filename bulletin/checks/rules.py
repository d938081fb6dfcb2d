"""What a check rule is: an id, a severity, a line for the README, and a function.

A rule's function reads a CheckContext and yields Hits; the runner turns each Hit into a
Problem at the YAML line the value came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bulletin.document.source import Loc, Source

if TYPE_CHECKING:
    from bulletin.checks.context import CheckContext

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Hit:
    """One finding of a rule: what is wrong, and where: a path in the file it is in."""

    message: str
    loc: Loc = ()
    source: Source | None = None  # the file `loc` is in (the publication's, say); None: the issue
    line: int | None = None  # the line (from 0) within the text at `loc`, when known
    column: int = 0  # the column (from 0) on that line


CheckFunction = Callable[["CheckContext"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    catches: str
    fix: str
    check: CheckFunction
    online: bool = False  # needs the network; runs only with `bulletin check --online`


def rule(
    id: str, severity: Severity, catches: str, fix: str, *, online: bool = False
) -> Callable[[CheckFunction], Rule]:
    """Make a function a Rule; each checks module lists its rules in `RULES`."""

    def wrap(func: CheckFunction) -> Rule:
        return Rule(id, severity, catches, fix, func, online)

    return wrap
