"""A recap of a forum or board meeting: what happened, who came, and what is coming up."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import Date, Link, Markdown, Text
from bulletin.document.models import SectionBase
from bulletin.document.sessions import DiaryEntry


class Section(SectionBase):
    """A forum or board meeting that happened, with the dates and events coming up"""

    type: Literal["forum_recap"]
    heading: Text | None = None
    held_on: Annotated[Date | None, Field(description="When it was held")] = None
    attendees: Annotated[int | None, Field(ge=0, description="How many came")] = None
    body: Annotated[Markdown, Field(description="What happened")]
    slides: Annotated[Link | None, Field(description="A link to the slides")] = None
    diary_heading: Text = "Future dates for your diary"
    diary: Annotated[
        list[DiaryEntry],
        Field(description="Dates and events coming up: each once or in sessions"),
    ] = []
    links: list[Link] = []
