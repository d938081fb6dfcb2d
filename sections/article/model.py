"""An article: a heading, Markdown body, an optional image, contact and call-to-action links."""

from typing import Literal

from bulletin.document.fields import Image, Link, Markdown, Person, Text
from bulletin.document.models import SectionBase


class Section(SectionBase):
    type: Literal["article"]
    heading: Text | None = None
    byline: str | None = None
    image: Image | None = None
    body: Markdown
    links: list[Link] = []
    contact: Person | None = None
