"""News from partner organisations: one item each, with the partner named and a link."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import Link, Markdown, StrictModel, Text
from bulletin.document.models import SectionBase


class Item(StrictModel):
    """One partner's news: who it is from, a title, the text and links"""

    partner: Annotated[Text, Field(description="The partner organisation it is from")]
    title: Text | None = None
    text: Annotated[Markdown, Field(description="The news itself")]
    links: list[Link] = []


class Section(SectionBase):
    """News from partner organisations, one item each"""

    type: Literal["partner_news"]
    heading: Text = "News from our partners"
    intro: Markdown | None = None
    items: Annotated[list[Item], Field(description="Each partner's news")]
