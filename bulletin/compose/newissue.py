"""`bulletin new`: the next issue, copied from the last one (comments and all) or a skeleton."""

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


def create(path: Path, previous: Path | None, today: dt.date | None = None) -> None:
    if path.exists():
        raise BulletinError(f"{path} already exists; choose another name")
    path.parent.mkdir(parents=True, exist_ok=True)
    if previous:
        text = _from_previous(previous)
    else:
        root = find_root(path)
        text = skeleton(root, load_project(root).publications(), today or dt.date.today())
    write_atomically({path: text}, shared=True)


def _from_previous(previous: Path) -> str:
    """The previous issue a month on: same sections and comments, new date and month names,
    and the next edition number."""
    source = load(previous)
    old = source.data.get("date") if isinstance(source.data, dict) else None
    if isinstance(old, str):
        try:
            old = parse_date(old)
        except ValueError:
            old = None
    if not isinstance(old, dt.date):
        raise BulletinError(f"{previous}: has no `date: YYYY-MM-DD` to move on from")
    new = next_month(old)
    text = previous.read_text(encoding="utf-8")
    text = _DATE_LINE.sub(lambda m: f"date: {new.isoformat()}" + _comment(m[2]), text, count=1)
    text = _EDITION_LINE.sub(lambda m: f"edition: {int(m[1]) + 1}{m[2] or ''}", text, count=1)
    return text.replace(month_year(old), month_year(new))


def _comment(comment: str | None) -> str:
    return f"  {comment}" if comment else ""


def next_month(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, 28))


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
