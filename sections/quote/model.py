"""A launch or announcement carried by a quote: the quote, who said it, the document."""

from typing import Literal

from bulletin.document.fields import Link, Markdown, Person, Text
from bulletin.document.models import SectionBase


class Section(SectionBase):
    type: Literal["quote"]
    heading: Text
    intro: Markdown | None = None
    quote: Markdown
    attribution: Person
    document_intro: Markdown | None = None
    document: Link | None = None
