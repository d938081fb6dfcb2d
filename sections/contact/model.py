"""A contact card: who to ask, with e-mail and phone."""

from typing import Literal

from bulletin.document.fields import Markdown, Person, Text
from bulletin.document.models import SectionBase


class Section(SectionBase):
    type: Literal["contact"]
    heading: Text = "Contact"
    intro: Markdown | None = None
    people: list[Person]
