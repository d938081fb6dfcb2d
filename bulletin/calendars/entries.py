"""The calendar entries of an issue: one for each session of every dated item.

A dated item is anything built on `Scheduled` (events, courses, webinars, diary entries of
every section type, a project's own types too), found wherever it stands in a section.

The UID rule. Calendar apps update an entry whose UID they know and add one they do not, so
the UID is made only of what an edit leaves alone: the publication, the issue's file name,
the section (its `anchor` if it has one, else its place in the issue), the item's place among
the section's dated items and the session's place among the item's sessions. Title, text,
times, venue and links may all change: the entry is updated, never doubled. Moving a section
without an `anchor` moves its entries to new UIDs; give it an `anchor` to pin them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bulletin.document.issue import Bulletin
from bulletin.document.sessions import Scheduled, Session
from bulletin.document.source import Loc

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Entry:
    """One calendar entry. `start` and `end` are aware datetimes in Europe/London for a timed
    entry, dates for one all day (`end` then the day after the last, as calendars count);
    `end` is None for a timed entry with a start and no end."""

    uid: str
    key: str  # the entry's name in the web edition: `<issue>-<section>-<item>-<session>`
    title: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None
    location: str | None
    url: str | None  # where to book or find out more
    about: str | None  # a line on it, as written (Markdown)
    loc: Loc  # the item's path in the issue, for the checks
    issue_title: str
    timed: bool
    all_day: bool  # written as all day (an entry with no time at all is untimed, not all day)

    @property
    def first_day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start


def entries(bulletin: Bulletin) -> list[Entry]:
    """Every entry of the issue, in the order the issue shows them."""
    return [entry for item in dated_items(bulletin) for entry in item.entries]


@dataclass(frozen=True)
class DatedItem:
    """A dated item of a section, and its entries (one per session, in `all_sessions` order)."""

    item: Scheduled
    entries: list[Entry]


def dated_items(bulletin: Bulletin) -> list[DatedItem]:
    issue, pub = bulletin.issue, bulletin.publication
    host = urlsplit(pub.website).hostname or "bulletin"
    stem = bulletin.path.stem
    issue_title = f"{issue.title}, {issue.subtitle or f'{issue.date:%B %Y}'}"
    found = []
    for index, section in enumerate(issue.sections):
        section_key = section.anchor or f"s{index}"
        for number, (loc, item) in enumerate(_scheduled(section, ("sections", index))):
            made = []
            for place, session in enumerate(item.all_sessions):
                key = f"{stem}-{section_key}-{number}-{place}"
                made.append(
                    _entry(
                        item,
                        session,
                        uid=f"{issue.publication}-{key}@{host}",
                        key=key,
                        loc=loc,
                        issue_title=issue_title,
                    )
                )
            found.append(DatedItem(item, made))
    return found


def _scheduled(value: Any, loc: Loc) -> Iterator[tuple[Loc, Scheduled]]:
    """Every `Scheduled` under `value`, with its path, in field order."""
    if isinstance(value, Scheduled):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _scheduled(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _scheduled(item, (*loc, i))


def _entry(item: Scheduled, session: Session, **named: Any) -> Entry:
    first, last = session.date, session.last_date or session.date
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None
    if session.start and not session.all_day:
        start = dt.datetime.combine(first, session.start, LONDON)
        end = dt.datetime.combine(last, session.end, LONDON) if session.end else None
        timed = True
    else:
        start, end, timed = first, last + dt.timedelta(days=1), False
    return Entry(
        title=str(getattr(item, "title", None) or "Event"),
        start=start,
        end=end,
        location=_location(item, session),
        url=_link(item, session),
        about=_about(item),
        timed=timed,
        all_day=session.all_day,
        **named,
    )


def _location(item: Scheduled, session: Session) -> str | None:
    """The venue, or the online platform: the session's own, else the item's."""
    venue = session.venue or getattr(item, "venue", None)
    online = session.online or getattr(item, "online", None) or getattr(item, "platform", None)
    if venue and online:
        return f"{venue}, or online: {online}"
    if online:
        return f"Online: {online}"
    return venue or None


def _link(item: Scheduled, session: Session) -> str | None:
    booking = session.booking or getattr(item, "booking", None)
    if booking is not None:
        return str(booking.url)
    url = getattr(item, "url", None)
    return str(url) if url else None


def _about(item: Scheduled) -> str | None:
    for name in ("tagline", "description", "note"):
        value = getattr(item, name, None)
        if isinstance(value, str) and value.strip():
            return value
    return None
