"""Key points "at a glance": headings, each with a short bullet list."""

from typing import Literal

from bulletin.document.fields import Link, Markdown, StrictModel, Text
from bulletin.document.models import SectionBase


class Group(StrictModel):
    heading: Text
    points: list[Markdown]


class Section(SectionBase):
    type: Literal["key_points"]
    heading: Text
    intro: Markdown | None = None
    groups: list[Group]
    outro: Markdown | None = None
    document: Link | None = None
