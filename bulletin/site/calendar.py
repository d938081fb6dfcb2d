"""Calendar files (RFC 5545, through icalendar): one `.ics` per entry and `calendar.ics`, the
subscribable feed of everything upcoming across the issues.

Times are Europe/London with its VTIMEZONE; an entry all day (or with no time) is a date. Each
entry's UID follows the rule in `calendars/entries.py`, and DTSTAMP is the issue's date, so an
unchanged issue gives the same bytes on every build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event

from bulletin.calendars.entries import Entry
from bulletin.compose.markdown import to_text

PRODID = "-//bulletin//web edition//EN"
_ABOUT_CHARACTERS = 300


@dataclass(frozen=True)
class Dated:
    """An entry with what its calendar file says beyond it: the issue's date and page."""

    entry: Entry
    issued: dt.date
    page: str | None  # the web page, when the publication has a site_url


def calendar_bytes(items: Iterable[Dated], name: str) -> bytes:
    """A VCALENDAR of `items` in start order, with the time zones they use."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    ordered = sorted(items, key=lambda d: (_sort_key(d.entry), d.entry.uid))
    for item in ordered:
        cal.add_component(_event(item))
    if ordered:  # the clock changes of the years the entries fall in, not of 1970 to 2038
        years = [d.entry.first_day.year for d in ordered]
        cal.add_missing_timezones(dt.date(min(years), 1, 1), dt.date(max(years) + 2, 1, 1))
    data: bytes = cal.to_ical()
    return data


def _event(item: Dated) -> Event:
    entry = item.entry
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", dt.datetime.combine(item.issued, dt.time(0), dt.UTC))
    event.add("summary", entry.title)
    event.add("dtstart", entry.start)
    if entry.end is not None:
        event.add("dtend", entry.end)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    event.add("description", description(item))
    return event


def description(item: Dated) -> str:
    """A line on the entry, where to book, and the issue it is from."""
    entry = item.entry
    lines = []
    if entry.about:
        about = " ".join(to_text(entry.about).split())
        if len(about) > _ABOUT_CHARACTERS:
            about = about[: _ABOUT_CHARACTERS - 3].rsplit(" ", 1)[0] + "..."
        lines.append(about)
    if entry.url:
        lines.append(f"Book or find out more: {entry.url}")
    lines.append(f"From {entry.issue_title}" + (f": {item.page}" if item.page else ""))
    return "\n".join(lines)


def _sort_key(entry: Entry) -> dt.datetime:
    start = entry.start
    if isinstance(start, dt.datetime):
        return start.astimezone(dt.UTC)
    return dt.datetime.combine(start, dt.time(0), dt.UTC)


def upcoming(items: Iterable[Dated], since: dt.date) -> list[Dated]:
    """The entries that end on or after `since`."""
    kept = []
    for item in items:
        end = item.entry.end or item.entry.start
        last = end.date() if isinstance(end, dt.datetime) else end - dt.timedelta(days=1)
        if max(last, item.entry.first_day) >= since:
            kept.append(item)
    return kept
