"""An article: a heading, its text, and an image, buttons, tables, steps or a contact in the
order they were written (`content`)."""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bulletin.document.blocks import Blocks
from bulletin.document.fields import Image, Link, Markdown, Person, Text, field_error
from bulletin.document.models import SectionBase


class Section(SectionBase):
    """A story or update: its text, and what goes with it, in the order written"""

    type: Literal["article"]
    heading: Text | None = None
    byline: Annotated[str | None, Field(description="Who wrote it, shown in italics")] = None
    image: Annotated[Image | None, Field(description="An image above the text")] = None
    body: Annotated[Markdown | None, Field(description="The article's text")] = None
    content: Annotated[
        Blocks,
        Field(
            description="The article's parts in the order written, after the body: text, "
            "image, button, table, steps, contact"
        ),
    ] = []
    links: Annotated[list[Link], Field(description="Buttons at the end")] = []
    contact: Annotated[Person | None, Field(description="Who to contact, at the end")] = None

    @model_validator(mode="after")
    def _has_text(self) -> "Section":
        if self.body is None and not self.content:
            raise field_error(
                "body", "missing: the article's text (Markdown), or its parts in `content`"
            )
        return self
