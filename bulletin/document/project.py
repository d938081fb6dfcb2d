"""Finding a project, where the built-in blocks are, and a project's section types.

A project is the nearest folder at or above an issue that holds `publications/`. Its own
`sections/` and `templates/` folders, if any, extend or override the built-in ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bulletin.document.models import IssueBase, issue_model
from bulletin.document.registry import SectionType, discover
from bulletin.errors import ContentError, SetupError, problem_at

PUBLICATIONS = "publications"
NO_PROJECT = (
    "no publications/ folder here or in any folder above: "
    "run `bulletin init` to make a project here"
)


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


def nearest_root(folder: Path, holding: str = PUBLICATIONS) -> Path | None:
    """The nearest folder at or above `folder` that holds `holding`, or None."""
    here = folder.resolve()
    return next((f for f in (here, *here.parents) if (f / holding).exists()), None)


def find_root(issue_path: Path) -> Path:
    """The project of an issue: the nearest folder at or above it with `publications/`."""
    root = nearest_root(issue_path.resolve().parent)
    if root is None:
        raise ContentError([problem_at(issue_path, NO_PROJECT)])
    return root


def relative_path(path: Path, root: Path) -> str:
    """`path` as the project names it (`issues/2020-12.yaml`), or as given if outside it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


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
        return sorted(p.stem for p in (self.root / PUBLICATIONS).glob("*.yaml"))


@cache
def load_project(root: Path) -> Project:
    roots = tuple(dict.fromkeys((root / "sections", BUILTIN_ROOT / "sections")))
    return Project(root, discover(roots))
