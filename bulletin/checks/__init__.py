"""`bulletin check`: every rule run over an issue and its rendered HTML, findings located.

The rules live in one module per concern; this list is the only place that gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bulletin.checks.context import CheckContext
from bulletin.checks.rules import Rule
from bulletin.compose.render import Rendered, render
from bulletin.document.audiences import merge_tags_for
from bulletin.document.project import Bulletin, load_bulletin
from bulletin.document.source import dotted
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


def run_checks(
    bulletin: Bulletin,
    rendered: Rendered,
    *,
    online: bool = False,
    merge_fields: frozenset[str] = frozenset(),
) -> list[Problem]:
    """All findings, sorted by file and line; online rules run only when asked."""
    context = CheckContext(bulletin, rendered, merge_fields)
    problems = []
    for rule in all_rules():
        if rule.online and not online:
            continue
        for hit in rule.check(context):
            src = bulletin.publication_source if hit.in_publication else bulletin.source
            line, column = src.position(hit.loc, line=hit.line)
            problems.append(
                Problem(
                    str(src.path),
                    line,
                    column,
                    dotted(hit.loc),
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


def check_bulletin(path: Path, *, online: bool = False) -> Checked:
    """Validate, render and check an issue; an invalid one raises ContentError."""
    bulletin = load_bulletin(path)
    merge_fields = merge_tags_for(bulletin.project.root, bulletin.issue.publication)
    rendered = render(bulletin)
    problems = run_checks(bulletin, rendered, online=online, merge_fields=merge_fields)
    return Checked(bulletin, rendered, problems)


def check_issue(path: Path, *, online: bool = False) -> tuple[list[Problem], Rendered | None]:
    """Validate, render and check an issue: validation errors first, as they stop the rest."""
    try:
        checked = check_bulletin(path, online=online)
    except ContentError as err:
        return list(err.problems), None
    return checked.problems, checked.rendered
