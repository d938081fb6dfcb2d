"""`bulletin check`: every rule run over an issue and its rendered HTML, findings located.

The rules live in one module per concern; `all_rules` is the only place that gathers them.
`check_file` is the whole job (load, render, check) that build, preview and push share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bulletin.checks.context import CheckContext
from bulletin.checks.rules import Rule
from bulletin.compose.render import Rendered, render
from bulletin.document.issue import Bulletin, load_bulletin, load_valid_sections
from bulletin.document.source import Loc, dotted
from bulletin.errors import ContentError, Problem


def all_rules() -> list[Rule]:
    """Every rule, in the order the README's table lists them."""
    from bulletin.checks import (
        accessibility,
        audience,
        compliance,
        content,
        images,
        links,
        mergetags,
        size,
    )

    modules = (links, images, size, compliance, mergetags, accessibility, content, audience)
    return [rule for module in modules for rule in module.RULES]


def run_rules(
    bulletin: Bulletin,
    rendered: Rendered,
    *,
    online: bool = False,
    merge_fields: frozenset[str] | None = None,
    relocate: Callable[[Loc], Loc | None] | None = None,
) -> list[Problem]:
    """All findings, sorted by file and line; online rules run only when asked.

    `merge_fields` are those the audience has (default: what audiences.yaml says).
    `relocate` maps where a finding is in `bulletin` to where it is in the file (None: leave
    it out), for an issue checked without its invalid sections.
    """
    fields = bulletin.merge_fields if merge_fields is None else merge_fields
    context = CheckContext(bulletin, rendered, fields)
    problems = []
    for rule in all_rules():
        if rule.online and not online:
            continue
        for hit in rule.check(context):
            loc = relocate(hit.loc) if relocate and not hit.source else hit.loc
            if loc is None or (relocate and hit.source):
                continue
            src = hit.source or bulletin.source
            line, column = src.position(loc, line=hit.line, column=hit.column)
            problems.append(
                Problem(
                    str(src.path),
                    line,
                    column,
                    dotted(loc),
                    hit.message,
                    rule.severity,
                    rule.id,
                )
            )
    return sorted(set(problems))


@dataclass(frozen=True)
class Checked:
    """A valid issue, rendered, with what the checks found in it."""

    bulletin: Bulletin
    rendered: Rendered
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def stop_on_errors(self, error: type[ContentError] = ContentError) -> None:
        """Raise `error` with every finding if any is an error: what stops a build or a push."""
        if self.errors:
            raise error(self.problems)


def check(bulletin: Bulletin, *, online: bool = False) -> Checked:
    """Render a loaded issue and run every rule over it."""
    rendered = render(bulletin)
    return Checked(bulletin, rendered, run_rules(bulletin, rendered, online=online))


def check_file(path: Path, *, online: bool = False) -> Checked:
    """Validate, render and check an issue; an invalid one raises ContentError, with what
    the checks find in its valid sections after its validation errors."""
    return check(load_to_check(path), online=online)


def load_to_check(path: Path) -> Bulletin:
    """Load an issue; an invalid one raises ContentError with its validation errors, then
    what the checks find in its valid sections."""
    try:
        return load_bulletin(path)
    except ContentError as err:
        raise ContentError([*err.problems, *_in_valid_sections(path, err.problems)]) from None


def _in_valid_sections(path: Path, problems: list[Problem]) -> list[Problem]:
    """The findings in the sections that are valid, while others are not (never online)."""
    found = load_valid_sections(path, problems)
    if found is None:
        return []
    bulletin, kept = found

    def relocate(loc: Loc) -> Loc | None:
        if len(loc) > 1 and loc[0] == "sections" and isinstance(loc[1], int):
            return ("sections", kept[loc[1]], *loc[2:])
        return None  # about the whole issue, which is not all here

    return run_rules(bulletin, render(bulletin), relocate=relocate)
