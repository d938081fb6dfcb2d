"""News from partner organisations: one item each, with the partner named and a link."""

from typing import Literal

from bulletin.document.fields import Link, Markdown, StrictModel, Text
from bulletin.document.models import SectionBase


class Item(StrictModel):
    partner: Text
    title: Text | None = None
    text: Markdown
    links: list[Link] = []


class Section(SectionBase):
    type: Literal["partner_news"]
    heading: Text = "News from our partners"
    intro: Markdown | None = None
    items: list[Item]
