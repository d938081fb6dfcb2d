"""`bulletin new`: the next issue, copied from the last one (comments and all) or a skeleton.

A file named for its month (`2027-02.yaml`, `wscp-2027-02.yaml`) is dated in that month, since
that is the issue its name promises; otherwise a copy moves on a month and a skeleton is dated
today.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bulletin.compose import templating
from bulletin.compose.filters import month_year
from bulletin.document.dates import parse_date
from bulletin.document.project import find_root, load_project
from bulletin.document.source import load
from bulletin.errors import BulletinError
from bulletin.files import write_atomically

_DATE_LINE = re.compile(r"^date:[ \t]*([^#\n]*?)[ \t]*(#.*)?$", re.MULTILINE)
_EDITION_LINE = re.compile(r"^edition:[ \t]*(\d+)([ \t]*#.*)?$", re.MULTILINE)
_MONTH_NAME = re.compile(r"(?:^|[-_ .])(\d{4})-(\d{2})$")


def create(path: Path, previous: Path | None, today: dt.date | None = None) -> None:
    if path.suffix != ".yaml":
        raise BulletinError(
            f"{path}: an issue is a .yaml file (bulletin site looks for those): "
            f"name it {path.with_suffix('.yaml')}"
        )
    if path.exists():
        raise BulletinError(f"{path} already exists; choose another name")
    today = today or dt.date.today()
    month = _named_month(path)
    if previous:
        text = _from_previous(previous, month)
    else:
        root = find_root(path)
        day = today
        if month is not None and month != (today.year, today.month):
            day = _in_month(month, today.day)
        text = skeleton(root, load_project(root).publications(), day)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically({path: text}, shared=True)


def _named_month(path: Path) -> tuple[int, int] | None:
    """The (year, month) a file's name ends in, `2027-02` or `wscp-2027-02`; None if none."""
    found = _MONTH_NAME.search(path.stem)
    if found is None or not 1 <= int(found[2]) <= 12:
        return None
    return int(found[1]), int(found[2])


def _in_month(month: tuple[int, int], day: int) -> dt.date:
    """The same day in `month`, the 28th at most, so that every month has it."""
    return dt.date(*month, min(day, 28))


def _from_previous(previous: Path, month: tuple[int, int] | None = None) -> str:
    """The previous issue a month on (or in `month`): same sections and comments, new date
    and month names, and the next edition number."""
    source = load(previous)
    old = source.data.get("date") if isinstance(source.data, dict) else None
    if isinstance(old, str):
        try:
            old = parse_date(old)
        except ValueError:
            old = None
    if not isinstance(old, dt.date):
        raise BulletinError(f"{previous}: has no `date: YYYY-MM-DD` to move on from")
    new = _in_month(month, old.day) if month else next_month(old)
    text = previous.read_text(encoding="utf-8")
    text = _DATE_LINE.sub(lambda m: f"date: {new.isoformat()}" + _comment(m[2]), text, count=1)
    text = _EDITION_LINE.sub(lambda m: f"edition: {int(m[1]) + 1}{m[2] or ''}", text, count=1)
    return text.replace(month_year(old), month_year(new))


def _comment(comment: str | None) -> str:
    return f"  {comment}" if comment else ""


def next_month(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return _in_month((year, month), day.day)


def skeleton(root: Path, publications: list[str], today: dt.date) -> str:
    """A first issue of the project at `root` (its own template, if it has one), dated `today`,
    for the first of `publications`."""
    project = load_project(root)
    env = templating.environment(project.search_path, "txt")
    return (
        env.get_template("templates/new-issue.yaml.j2").render(
            publication=publications[0] if publications else "my-partnership",
            publications=publications,
            date=today,
            month=month_year(today),
        )
        + "\n"
    )
