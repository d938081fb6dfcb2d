"""A new or changed procedure, framework or guidance document: what changed and where it is."""

import datetime as dt
from typing import Literal

from bulletin.document.fields import Link, Markdown, StrictModel, Text
from bulletin.document.models import SectionBase


class Change(StrictModel):
    title: Text
    text: Markdown | None = None
    link: Link | None = None


class Section(SectionBase):
    type: Literal["procedure_update"]
    heading: Text
    body: Markdown
    points_intro: Markdown | None = None
    points: list[Markdown] = []
    changes: list[Change] = []
    after: Markdown | None = None
    effective: dt.date | None = None
    document: Link | None = None
