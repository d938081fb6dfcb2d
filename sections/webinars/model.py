"""A series of webinars: an introduction, then sessions with speakers, their bios, booking."""

from typing import Literal

from bulletin.document.fields import Date, Link, Markdown, Person, StrictModel, Text, Time
from bulletin.document.models import SectionBase


class Webinar(StrictModel):
    title: Text
    date: Date
    start: Time | None = None
    end: Time | None = None
    platform: str | None = None
    platform_note: str | None = None
    description: Markdown | None = None
    topics_intro: Markdown | None = None
    topics: list[Markdown] = []
    audience: Markdown | None = None
    speakers: list[Person] = []
    booking: Link | None = None
    booking_note: str | None = None


class Section(SectionBase):
    type: Literal["webinars"]
    heading: Text
    intro: Markdown | None = None
    links: list[Link] = []
    webinars: list[Webinar]
