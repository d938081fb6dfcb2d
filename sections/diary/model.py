"""A short "dates for your diary" list: what, when, and a link if there is one."""

from typing import Literal

from bulletin.document.fields import Date, LinkUrl, Markdown, StrictModel, Text, Time
from bulletin.document.models import SectionBase


class Entry(StrictModel):
    title: Text
    date: Date
    start: Time | None = None
    end: Time | None = None
    url: LinkUrl | None = None


class Section(SectionBase):
    type: Literal["diary"]
    heading: Text = "Dates for your diary"
    intro: Markdown | None = None
    entries: list[Entry]
