"""One issue loaded: validated, with its publication and the audiences that receive it.

Everything a command needs to render, check or send an issue is read here, once: the issue,
its publication and the project's audiences.yaml. Every problem in the issue and its
publication is reported at once; audiences.yaml's own are reported after those are fixed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from bulletin.document import source
from bulletin.document.audiences import Audience, Audiences, load_audiences, merge_tags_for
from bulletin.document.dates import parse_date
from bulletin.document.fields import NEAR
from bulletin.document.limits import MAX_SECTIONS
from bulletin.document.local_files import folders_for
from bulletin.document.models import PUBLICATION_ID, IssueBase, Publication
from bulletin.document.project import PUBLICATIONS, Project, find_root, load_project
from bulletin.document.source import Source
from bulletin.document.validation import validated
from bulletin.errors import ContentError, Problem, did_you_mean

T = TypeVar("T")


class ReadThem:
    """`load_bulletin`'s audiences when the caller has none to give: read audiences.yaml."""


READ = ReadThem()


@dataclass(frozen=True)
class Bulletin:
    """A validated issue with everything needed to render it."""

    path: Path
    issue: IssueBase
    publication: Publication
    project: Project
    source: Source  # where each value of the issue came from, for the checks
    publication_source: Source
    audiences: Audiences | None = None  # the project's audiences.yaml; None if it has none

    @cached_property
    def readers(self) -> list[Audience]:
        """The audiences that receive this issue's publication."""
        return self.audiences.for_publication(self.issue.publication) if self.audiences else []

    @property
    def merge_fields(self) -> frozenset[str]:
        """The merge fields every audience of the publication has (content may use them)."""
        return merge_tags_for(self.audiences, self.issue.publication)


def load_bulletin(path: Path, *, audiences: Audiences | ReadThem | None = READ) -> Bulletin:
    """Load and validate an issue and its publication; every problem at once, or none.

    `audiences` is the project's audiences.yaml when the caller has read it already (a
    command over many issues reads it once); otherwise it is read here.
    """
    src = source.load(path)
    _refuse_too_many_sections(src)
    project = load_project(find_root(path))
    problems: list[Problem] = []
    # Dates written without a year are read near the issue's; file paths from its folder.
    context = {NEAR: _issue_date(src.data), **folders_for(path, project.root)}
    issue = _collect(problems, lambda: validated(src, project.issue_model, context))
    loaded = None
    name = src.data.get("publication") if isinstance(src.data, dict) else None
    if isinstance(name, int) and not isinstance(name, bool):
        name = str(name)  # `publication: 2020` names publications/2020.yaml
    if isinstance(name, str) and PUBLICATION_ID.fullmatch(name):
        loaded = _collect(problems, lambda: _load_publication(project, name, src))
    if problems:
        raise ContentError(problems)
    if issue is None or loaded is None:  # the model took a publication the loader did not
        raise ContentError([src.problem(("publication",), "not a publication id")])
    publication, pub_src = loaded
    if isinstance(audiences, ReadThem):
        audiences = load_audiences(project.root)
    return Bulletin(path, issue, publication, project, src, pub_src, audiences)


def load_valid_sections(path: Path, problems: list[Problem]) -> tuple[Bulletin, list[int]] | None:
    """The issue with only its sections that `problems` (its validation errors) leave
    untouched, and each kept section's place in the file; None if anything outside the
    sections is wrong too. The checks read it to show what they find in the valid sections
    while another one is still invalid."""
    broken = {int(m[1]) for p in problems if (m := re.match(r"sections\[(\d+)\]", p.field))}
    if not broken or any(not p.field.startswith("sections[") for p in problems):
        return None
    try:
        src = source.load(path)
        project = load_project(find_root(path))
    except ContentError:
        return None
    if not isinstance(src.data, dict) or not isinstance(src.data.get("sections"), list):
        return None
    kept = [i for i in range(len(src.data["sections"])) if i not in broken]
    trial = Source(path, {**src.data, "sections": [src.data["sections"][i] for i in kept]})
    try:
        context = {NEAR: _issue_date(src.data), **folders_for(path, project.root)}
        issue = validated(trial, project.issue_model, context)
        publication, pub_src = _load_publication(project, str(src.data["publication"]), src)
    except (ContentError, KeyError):
        return None
    audiences = load_audiences(project.root)
    return Bulletin(path, issue, publication, project, src, pub_src, audiences), kept


def _issue_date(data: object) -> dt.date | None:
    written = data.get("date") if isinstance(data, dict) else None
    if isinstance(written, dt.date):
        return written
    try:
        return parse_date(written) if isinstance(written, str) else None
    except ValueError:
        return None


def _refuse_too_many_sections(src: Source) -> None:
    """Before building anything: ten thousand sections cost seconds and hundreds of MB."""
    sections = src.data.get("sections") if isinstance(src.data, dict) else None
    if isinstance(sections, list) and len(sections) > MAX_SECTIONS:
        raise ContentError(
            [
                src.problem(
                    ("sections",),
                    f"{len(sections):,} sections: at most {MAX_SECTIONS} fit in one email "
                    "(Gmail clips it at 102 KB): split the issue",
                )
            ]
        )


def _collect(problems: list[Problem], load: Callable[[], T]) -> T | None:
    try:
        return load()
    except ContentError as err:
        problems.extend(err.problems)
        return None


def _load_publication(project: Project, name: str, issue_src: Source) -> tuple[Publication, Source]:
    path = project.root / PUBLICATIONS / f"{name}.yaml"
    if not path.is_file():
        known = project.publications()
        hint = did_you_mean(name, known) or f" (known: {', '.join(known) or 'none'})"
        raise ContentError(
            [issue_src.problem(("publication",), f"unknown publication '{name}'{hint}")]
        )
    pub_src = source.load(path)
    return validated(pub_src, Publication, folders_for(path, project.root)), pub_src
