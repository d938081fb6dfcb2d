"""Finding a project, its publications and section types, and loading one issue into models.

A project is the nearest folder at or above an issue that holds `publications/`. Its own
`sections/` and `templates/` folders, if any, extend or override the built-in ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bulletin.document import source
from bulletin.document.models import IssueBase, Publication, issue_model
from bulletin.document.registry import SectionType, discover
from bulletin.document.source import Source
from bulletin.errors import ContentError, Problem, SetupError, problem_at


def builtin_root() -> Path:
    """The folder holding the built-in `sections/` and `templates/`.

    The wheel carries them inside the package, as `bulletin/builtin/`; a checkout (and an
    editable install of it) has them at the top level, beside `bulletin/`.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "builtin", package.parent):
        if (candidate / "sections").is_dir() and (candidate / "templates").is_dir():
            return candidate
    raise SetupError(f"the built-in sections/ and templates/ are missing from {package}")


BUILTIN_ROOT = builtin_root()


@dataclass(frozen=True)
class Project:
    root: Path
    section_types: dict[str, SectionType]

    @property
    def search_path(self) -> tuple[Path, ...]:
        """Where templates are looked up, the project's own first."""
        return tuple(dict.fromkeys((self.root, BUILTIN_ROOT)))

    @property
    def issue_model(self) -> type[IssueBase]:
        return issue_model(tuple(t.model for t in self.section_types.values()))

    def publications(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "publications").glob("*.yaml"))


@dataclass(frozen=True)
class Bulletin:
    """A validated issue with everything needed to render it."""

    path: Path
    issue: IssueBase
    publication: Publication
    project: Project
    source: Source  # where each value of the issue came from, for the checks
    publication_source: Source


def find_root(issue_path: Path) -> Path:
    """The nearest folder at or above the issue that has a `publications/` folder."""
    start = issue_path.resolve().parent
    for folder in (start, *start.parents):
        if (folder / "publications").is_dir():
            return folder
    raise ContentError(
        [problem_at(issue_path, "no publications/ folder here or in any folder above")]
    )


@cache
def load_project(root: Path) -> Project:
    roots = tuple(dict.fromkeys((root / "sections", BUILTIN_ROOT / "sections")))
    return Project(root, discover(roots))


def load_bulletin(path: Path) -> Bulletin:
    """Load and validate an issue and its publication; every problem at once, or none."""
    src = source.load(path)
    project = load_project(find_root(path))
    problems: list[Problem] = []
    issue = _validate(src, project.issue_model, problems)
    loaded = None
    name = src.data.get("publication") if isinstance(src.data, dict) else None
    if isinstance(name, str):
        loaded = _load_publication(project, name, src, problems)
    if problems:
        raise ContentError(problems)
    assert issue is not None and loaded is not None
    publication, pub_src = loaded
    return Bulletin(path, issue, publication, project, src, pub_src)


def _validate(src: source.Source, model: type[Any], problems: list[Problem]) -> Any:
    if not isinstance(src.data, dict):
        problems.append(src.problem((), "expected a mapping of fields at the top of the file"))
        return None
    try:
        return model.model_validate(src.data)
    except ValidationError as err:
        problems.extend(source.validation_problems(src, err, model))
        return None


def _load_publication(
    project: Project, name: str, issue_src: source.Source, problems: list[Problem]
) -> tuple[Publication, source.Source] | None:
    path = project.root / "publications" / f"{name}.yaml"
    if not path.is_file():
        known = project.publications()
        hint = source.did_you_mean(name, known) or f" (known: {', '.join(known) or 'none'})"
        problems.append(issue_src.problem(("publication",), f"unknown publication '{name}'{hint}"))
        return None
    try:
        pub_src = source.load(path)
    except ContentError as err:
        problems.extend(err.problems)
        return None
    publication: Publication | None = _validate(pub_src, Publication, problems)
    return (publication, pub_src) if publication else None
