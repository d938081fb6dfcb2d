"""A recap of a practitioner forum: what happened, who came, and the dates of the next ones."""

import datetime as dt
from typing import Literal

from bulletin.document.fields import Date, Link, Markdown, StrictModel, Text
from bulletin.document.models import SectionBase


class DiaryDate(StrictModel):
    title: Text
    date: Date
    show_year: bool = True


class Section(SectionBase):
    type: Literal["forum_recap"]
    heading: Text
    held_on: dt.date | None = None
    attendees: int | None = None
    body: Markdown
    slides: Link | None = None
    diary_heading: Text = "Future dates for your diary"
    diary: list[DiaryDate] = []
    links: list[Link] = []
