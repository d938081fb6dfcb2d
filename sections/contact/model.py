"""A contact card: who to ask, with e-mail and phone."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import Markdown, Person, Text
from bulletin.document.models import SectionBase


class Section(SectionBase):
    """A contact card: people or teams, with e-mail and phone"""

    type: Literal["contact"]
    heading: Text = "Contact"
    intro: Markdown | None = None
    people: Annotated[
        list[Person], Field(min_length=1, description="Who to contact: people or organisations")
    ]
