"""Training and workshop bookings: courses with dates, times, how to book and a contact."""

from typing import Literal

from bulletin.document.fields import Date, Link, Markdown, Person, StrictModel, Text, Time
from bulletin.document.models import SectionBase


class Course(StrictModel):
    title: Text
    description: Markdown | None = None
    dates: list[Date] = []
    start: Time | None = None
    end: Time | None = None
    venue: str | None = None
    audience: str | None = None
    how_to_book: Markdown | None = None
    booking: Link | None = None
    contact: Person | None = None


class Section(SectionBase):
    type: Literal["training"]
    heading: Text = "Training"
    intro: Markdown | None = None
    courses: list[Course] = []
    outro: Markdown | None = None
