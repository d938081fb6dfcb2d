"""Helpers for the tests of the check rules: run them over an issue, or over changed HTML."""

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bulletin.checks import check_file, run_rules
from bulletin.compose.render import Rendered, render
from bulletin.document.issue import load_bulletin
from bulletin.errors import ContentError, Problem
from support.issues import write_issue


def findings(path: Path, *, online: bool = False) -> tuple[list[Problem], Rendered | None]:
    """Every finding of `bulletin check` for the issue at `path`: its validation errors (and no
    render) when it is invalid, else what the rules found in it and its render."""
    try:
        checked = check_file(path, online=online)
    except ContentError as err:
        return list(err.problems), None
    return checked.problems, checked.rendered


def found(problems: list[Problem], rule: str) -> list[Problem]:
    return [p for p in problems if p.rule == rule]


def where(problems: list[Problem]) -> list[tuple[str, int, str, str]]:
    """What a test compares: the file's name, the line, the field and the message."""
    return [(Path(p.file).name, p.line, p.field, p.message) for p in problems]


def checked(project: Path, sections: str, **meta: str) -> list[Problem]:
    problems, rendered = findings(write_issue(project, sections, **meta))
    assert rendered is not None, problems
    return problems


def checked_rendered(
    project: Path, sections: str, edit: Callable[[Rendered], Rendered], **meta: str
) -> list[Problem]:
    """The checks over the issue rendered and then changed by `edit`, as a project's
    templates might change it."""
    bulletin = load_bulletin(write_issue(project, sections, **meta))
    return run_rules(bulletin, edit(render(bulletin)))


def html_edit(old: str, new: str) -> Callable[[Rendered], Rendered]:
    """An `edit` that replaces `old` (which must be there) with `new` in the HTML."""

    def edit(rendered: Rendered) -> Rendered:
        assert old in rendered.html, old
        return replace(rendered, html=rendered.html.replace(old, new))

    return edit
