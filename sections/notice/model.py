"""A callout: a reminder, a thank-you, a closing notice; boxed when it must stand out."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import Link, Markdown, Text
from bulletin.document.models import SectionBase


class Section(SectionBase):
    """A callout, thank-you or closing notice; boxed when it must stand out"""

    type: Literal["notice"]
    heading: Text | None = None
    body: Annotated[Markdown, Field(description="What the notice says")]
    links: list[Link] = []
    boxed: bool = False
