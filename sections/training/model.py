"""Training and workshop bookings: courses on one or more dates or in sessions, with times,
venue, who it is for, how to book (in the order written) and a contact."""

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from bulletin.document.blocks import Blocks
from bulletin.document.fields import Date, Link, Markdown, Person, Text
from bulletin.document.models import SectionBase
from bulletin.document.sessions import Scheduled, Session


class Course(Scheduled):
    """A course: on `dates` at the same times, or in `sessions`, each with its own"""

    needs_a_date: ClassVar[bool] = False  # "dates to follow" is a course too
    title: Annotated[Text, Field(description="The course's name")]
    description: Markdown | None = None
    dates: Annotated[list[Date], Field(description="The days it runs, at the same times")] = []
    venue: str | None = None
    online: Annotated[str | None, Field(description="The platform, if online")] = None
    audience: Annotated[str | None, Field(description="Who it is for")] = None
    how_to_book: Annotated[
        Blocks | None,
        Field(description="How to book: Markdown, or blocks in the order written"),
    ] = None
    booking: Annotated[Link | None, Field(description="The booking button")] = None
    contact: Person | None = None

    @property
    def all_sessions(self) -> list[Session]:
        """Each of `dates` at the course's times, then its own date and `sessions`."""
        days: list[dt.date] = list(self.dates)
        return [self._session(day) for day in days] + super().all_sessions


class Section(SectionBase):
    """Training and workshop bookings: courses, their dates or sessions, how to book"""

    type: Literal["training"]
    heading: Text = "Training"
    intro: Markdown | None = None
    courses: list[Course] = []
    outro: Markdown | None = None
