"""A launch or announcement carried by a quote: the quote, who said it, the document."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import Link, Markdown, Person, Text
from bulletin.document.models import SectionBase


class Section(SectionBase):
    """A strategy launch or announcement carried by a quote, and the document"""

    type: Literal["quote"]
    heading: Text | None = None
    intro: Markdown | None = None
    quote: Annotated[Markdown, Field(description="The words quoted")]
    attribution: Annotated[Person, Field(description="Who said it: a person or organisation")]
    document_intro: Markdown | None = None
    document: Link | None = None
