"""A callout: a reminder, a thank-you, a closing notice; boxed when it must stand out."""

from typing import Literal

from bulletin.document.fields import Link, Markdown, Text
from bulletin.document.models import SectionBase


class Section(SectionBase):
    type: Literal["notice"]
    heading: Text | None = None
    body: Markdown
    links: list[Link] = []
    boxed: bool = False
