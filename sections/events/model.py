"""Event listings: title, date, times, venue or online platform, who it is for, booking."""

from typing import Literal

from pydantic import model_validator

from bulletin.document.fields import Date, Link, Markdown, Person, StrictModel, Text, Time
from bulletin.document.models import SectionBase


class Session(StrictModel):
    """One sitting of an event; an event may run more than once."""

    date: Date
    start: Time | None = None
    end: Time | None = None
    booking: Link | None = None


class Event(StrictModel):
    title: Text
    tagline: str | None = None
    date: Date | None = None
    start: Time | None = None
    end: Time | None = None
    sessions: list[Session] = []
    venue: str | None = None
    online: str | None = None
    audience: str | None = None
    description: Markdown | None = None
    programme_heading: str | None = None
    programme: list[Markdown] = []
    speakers: list[Person] = []
    booking: Link | None = None
    booking_note: Markdown | None = None
    more: Markdown | None = None

    @model_validator(mode="after")
    def _has_a_date(self) -> "Event":
        if self.date is None and not self.sessions:
            raise ValueError("an event needs a date or a list of sessions")
        return self


class Section(SectionBase):
    type: Literal["events"]
    heading: Text | None = None
    intro: Markdown | None = None
    events: list[Event]
    outro: Markdown | None = None
