"""Checks: content. What a reader would trip over: past dates, no way to book, empty or twice."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from bulletin.calendars.entries import entries
from bulletin.checks.context import CheckContext, quoted
from bulletin.checks.rules import Hit, rule
from bulletin.compose.filters import long_date
from bulletin.compose.templating import PART
from bulletin.document.source import Loc, dotted

# Dates that are in the past by nature: when a forum was held, when a procedure took effect.
_PAST_BY_NATURE = frozenset({"held_on", "effective"})
# Fields that say what a section is, not what it holds.
_NOT_CONTENT = frozenset({"type", "anchor"})
_BOOKING_WORDS = re.compile(
    r"\b(?:booking|to book|book (?:a|your|now|online|on|via|here|through|early)"
    r"|register|registration)\b",
    re.IGNORECASE,
)
# An e-mail address or a phone number is a way to book too, though no link.
# Each match starts where a word does (the look-behind), so a long run of letters with no @ in
# it is read once, not once for every letter.
_CONTACT = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+|(?:\+44|\b0)\d[\d ]{8,}\d")


@rule(
    "event-in-past",
    "warning",
    "an event, session, webinar, course or diary date before the issue's `date`",
    "correct the date (or the year), or the issue's `date`; take out what has happened",
)
def event_in_past(ctx: CheckContext) -> Iterator[Hit]:
    """A reader cannot go to what has happened: a past date is a typo or stale content."""
    issued = ctx.bulletin.issue.date
    for loc, model, title in _models(ctx.bulletin.issue.sections, ("sections",)):
        for date_loc, day in _dates(model, loc):
            if date_loc[-1] == "end_date" and date_loc not in ctx.bulletin.source.values:
                date_loc = (*date_loc[:-1], "date")  # the span was written in `date`
            if day < issued:
                what = quoted(title) if title else dotted(date_loc)
                yield Hit(
                    f"{what} is on {long_date(day)}, before the issue's date, {long_date(issued)}",
                    date_loc,
                )


def _dates(model: BaseModel, loc: Loc) -> Iterator[tuple[Loc, dt.date]]:
    """The dates a model holds itself (a date field or a list of them), with their paths."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in _PAST_BY_NATURE or (name == "date" and getattr(model, "end_date", None)):
            continue  # a span of days is over only after its last day
        if isinstance(value, dt.date):
            yield (*loc, name), value
        elif isinstance(value, list):
            yield from (((*loc, name, i), d) for i, d in enumerate(value) if isinstance(d, dt.date))


@rule(
    "booking-without-link",
    "error",
    "an event, course or webinar whose text says to book or register but gives no booking "
    "link, e-mail address or phone number",
    "add its `booking` link (text and url), or a link in its text",
)
def booking_without_link(ctx: CheckContext) -> Iterator[Hit]:
    """Telling readers to book without saying where sends them searching, or away."""
    for loc, item, title in _models(ctx.bulletin.issue.sections, ("sections",)):
        if "booking" not in type(item).model_fields or getattr(item, "booking", None):
            continue  # not bookable (events, sessions, courses, webinars are), or has its link
        if any(_under(link.loc, loc) for link in ctx.links):
            continue
        texts = [field for field in ctx.texts if _under(field.loc, loc)]
        if any(_CONTACT.search(field.value) for field in texts):
            continue
        for field in texts:
            if field.kind != "url" and (match := _BOOKING_WORDS.search(field.value)):
                where = dotted(field.loc[len(loc) :])
                what = quoted(title or dotted(loc))
                yield Hit(
                    f"{what} says {quoted(match[0])} ({where}) but gives no booking link", loc
                )
                break


def _models(
    value: Any, loc: Loc, title: str | None = None
) -> Iterator[tuple[Loc, BaseModel, str | None]]:
    """Every model under `value`, with its path and its title or heading, else its parent's."""
    if isinstance(value, BaseModel):
        title = getattr(value, "title", None) or getattr(value, "heading", None) or title
        yield loc, value, title
        for name in type(value).model_fields:
            yield from _models(getattr(value, name), (*loc, name), title)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _models(item, (*loc, i), title)


def _under(loc: Loc, parent: Loc) -> bool:
    return loc[: len(parent)] == parent


@rule(
    "section-empty",
    "error",
    "a section with nothing in it but its heading (`events: []`, `resources: []`, "
    "training with no courses and no intro), or a part with no sections after it",
    "fill the section in, or delete it",
)
def section_empty(ctx: CheckContext) -> Iterator[Hit]:
    """A heading over nothing looks like a mistake, and readers wonder what they missed."""
    sections = ctx.bulletin.issue.sections
    for i, section in enumerate(sections):
        if section.type == PART:  # its content is the sections after it
            following = next((s for s in sections[i + 1 :]), None)
            heading = getattr(section, "heading", None)
            if heading and (following is None or following.type == PART):
                yield Hit(f"the part {quoted(heading)} has no sections under it", ("sections", i))
            continue
        fields = type(section).model_fields
        if not any(_has_content(getattr(section, name)) for name in fields if _is_content(name)):
            heading = getattr(section, "heading", None)
            what = (
                f"{quoted(heading)} has nothing under its heading" if heading else "nothing in it"
            )
            yield Hit(f"this {section.type} section: {what}", ("sections", i))


def _is_content(name: str) -> bool:
    return name not in _NOT_CONTENT and not name.endswith("heading")


def _has_content(value: Any) -> bool:
    """Something a reader sees. A nested object counts: the ICON rows, even left blank,
    show the publication's wording. A yes/no setting (`boxed`) is not content."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return any(_has_content(item) for item in value)
    return True


@rule(
    "section-duplicate",
    "warning",
    "a section that repeats an earlier one word for word",
    "delete the repeat, or change what was meant to change",
)
def section_duplicate(ctx: CheckContext) -> Iterator[Hit]:
    """A block pasted twice makes a bulletin look careless and wastes the reader's time."""
    seen: dict[str, int] = {}
    for i, section in enumerate(ctx.bulletin.issue.sections):
        key = section.model_dump_json(exclude={"anchor"})
        if key in seen:
            first = seen[key]
            heading = getattr(section, "heading", None)
            what = quoted(heading) if heading else f"this {section.type} section"
            yield Hit(f"{what} repeats sections[{first}] word for word", ("sections", i))
        else:
            seen[key] = i


@rule(
    "calendar-time",
    "warning",
    "a dated item (event, session, course, webinar, diary date) with no time, which calendars "
    "show as all day, or whose end comes before its start",
    "give its `time` (`time: 10am to 12 noon`), or `all_day: true` if it is; put the end after "
    "the start",
)
def calendar_time(ctx: CheckContext) -> Iterator[Hit]:
    """Each dated item becomes a calendar entry: one with no time fills a whole day of a
    practitioner's calendar, and one that ends before it starts is refused or shown wrongly."""
    for entry in entries(ctx.bulletin):
        day = long_date(entry.first_day)
        if not entry.timed and not entry.all_day:
            yield Hit(
                f"{quoted(entry.title)} on {day} has no time: calendars will show it all day",
                entry.loc,
            )
        elif entry.end is not None and entry.end <= entry.start:
            yield Hit(f"{quoted(entry.title)} on {day} ends before it starts", entry.loc)


RULES = [event_in_past, booking_without_link, section_empty, section_duplicate, calendar_time]
