""" "Add to calendar" links: the web edition's `.ics` when the publication has a `site_url`,
otherwise Google Calendar's and Outlook on the web's pre-filled forms.

Times go to Google and Outlook in UTC (`Z`), converted from Europe/London, so a reader in any
time zone, on a date in British Summer Time or in GMT, gets the hour the bulletin says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from bulletin.calendars.entries import Entry, dated_items
from bulletin.document.issue import Bulletin

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.office.com/calendar/0/deeplink/compose"
CALENDAR_FOLDER = "calendar"  # where the web edition keeps one `.ics` per entry


@dataclass(frozen=True)
class Links:
    """Where one entry's "Add to calendar" goes: `ics` alone, or `google` and `outlook`."""

    ics: str | None = None
    google: str | None = None
    outlook: str | None = None


def ics_path(entry: Entry) -> str:
    """The entry's file in the web edition, relative to the publication's folder."""
    return f"{CALENDAR_FOLDER}/{entry.key}.ics"


def links_for(entry: Entry, site_base: str | None) -> Links:
    if site_base:
        return Links(ics=site_base + ics_path(entry))
    return Links(google=google_url(entry), outlook=outlook_url(entry))


def google_url(entry: Entry) -> str:
    if entry.timed:
        start = _utc(entry.start)
        end = _utc(entry.end) if entry.end else start
    else:
        start, end = f"{entry.start:%Y%m%d}", f"{entry.end:%Y%m%d}"
    query = {"action": "TEMPLATE", "text": entry.title, "dates": f"{start}/{end}"}
    if entry.location:
        query["location"] = entry.location
    if entry.url:
        query["details"] = entry.url
    return f"{GOOGLE}?{urlencode(query, safe='/:')}"


def outlook_url(entry: Entry) -> str:
    query = {"subject": entry.title}
    if entry.timed:
        query["startdt"] = _utc_iso(entry.start)
        if entry.end:
            query["enddt"] = _utc_iso(entry.end)
    else:
        query.update(startdt=f"{entry.start:%Y-%m-%d}", enddt=f"{entry.end:%Y-%m-%d}")
        query["allday"] = "true"
    if entry.location:
        query["location"] = entry.location
    if entry.url:
        query["body"] = entry.url
    return f"{OUTLOOK}?{urlencode(query, safe='/:')}"


def _as_utc(moment: dt.datetime | dt.date | None) -> dt.datetime:
    assert isinstance(moment, dt.datetime)  # a timed entry's start and end are datetimes
    return moment.astimezone(dt.UTC)


def _utc(moment: dt.datetime | dt.date | None) -> str:
    return f"{_as_utc(moment):%Y%m%dT%H%M%SZ}"


def _utc_iso(moment: dt.datetime | dt.date | None) -> str:
    return f"{_as_utc(moment):%Y-%m-%dT%H:%M:%SZ}"


class CalendarLinks:
    """What the section templates call: `calendar_links(event)` is the links of each of its
    sessions, in `all_sessions` order (an empty list for an item it does not know)."""

    def __init__(self, bulletin: Bulletin) -> None:
        self._bulletin = bulletin

    @cached_property
    def _by_item(self) -> dict[int, list[Links]]:
        """Gathered when a template first asks: a page with no dated item, or a context
        that renders no section, never walks the issue for them."""
        base = self._bulletin.publication.site_base
        return {
            id(found.item): [links_for(e, base) for e in found.entries]
            for found in dated_items(self._bulletin)
        }

    def __call__(self, item: object) -> list[Links]:
        return self._by_item.get(id(item), [])
