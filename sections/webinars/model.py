"""A series of webinars: an introduction, then each webinar with its sessions, speakers or
host, their bios, and booking."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import Link, Markdown, Person, Text
from bulletin.document.models import SectionBase
from bulletin.document.sessions import Scheduled


class Webinar(Scheduled):
    """One webinar: held once (`date`) or in `sessions`, online"""

    title: Annotated[Text, Field(description="The webinar's name")]
    platform: Annotated[str | None, Field(description="Where it is held: 'Microsoft Teams'")] = None
    platform_note: str | None = None
    description: Markdown | None = None
    topics_intro: Markdown | None = None
    topics: list[Markdown] = []
    audience: Markdown | None = None
    speakers: Annotated[list[Person], Field(description="People or organisations")] = []
    host: Annotated[Person | None, Field(description="Who runs it: a person or organisation")] = (
        None
    )
    booking: Link | None = None
    booking_note: str | None = None


class Section(SectionBase):
    """A webinar series: each webinar with its sessions, speakers and booking"""

    type: Literal["webinars"]
    heading: Text | None = None
    intro: Markdown | None = None
    links: list[Link] = []
    webinars: Annotated[list[Webinar], Field(description="The webinars, in order")]
