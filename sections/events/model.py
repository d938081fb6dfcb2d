"""Event listings: title, when (once or in sessions), venue or online platform, who it is for,
speakers or host, and how to book."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.blocks import Blocks
from bulletin.document.fields import Link, Markdown, Person, Text
from bulletin.document.models import SectionBase
from bulletin.document.sessions import Scheduled


class Event(Scheduled):
    """An event: held once (`date`) or in `sessions`, each with its own times and booking"""

    title: Annotated[Text, Field(description="The event's name")]
    tagline: str | None = None
    venue: str | None = None
    online: Annotated[str | None, Field(description="The platform, if online: 'Zoom'")] = None
    audience: Annotated[str | None, Field(description="Who it is for")] = None
    description: Markdown | None = None
    programme_heading: str | None = None
    programme: list[Markdown] = []
    speakers: Annotated[list[Person], Field(description="People or organisations")] = []
    host: Annotated[Person | None, Field(description="Who runs it: a person or organisation")] = (
        None
    )
    booking: Annotated[Link | None, Field(description="The booking button")] = None
    booking_note: Annotated[
        Blocks | None,
        Field(description="How to book: Markdown, or blocks in the order written"),
    ] = None
    more: Markdown | None = None


class Section(SectionBase):
    """Event listings, each held once or in several sessions"""

    type: Literal["events"]
    heading: Text | None = None
    intro: Markdown | None = None
    events: Annotated[list[Event], Field(description="The events, in order")]
    outro: Markdown | None = None
