"""Resource links: titled links, each with a line on what it is; files show their type."""

from typing import Literal

from bulletin.document.fields import LinkUrl, Markdown, StrictModel, Text
from bulletin.document.models import SectionBase


class Resource(StrictModel):
    title: Text
    url: LinkUrl
    description: Markdown | None = None


class Section(SectionBase):
    type: Literal["resources"]
    heading: Text | None = None
    intro: Markdown | None = None
    resources: list[Resource]
