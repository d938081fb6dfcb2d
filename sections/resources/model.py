"""Resource links: titled links, each with a line on what it is; files show their type."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import LinkUrl, Markdown, StrictModel, Text
from bulletin.document.models import SectionBase


class Resource(StrictModel):
    """A titled link to a page or file, with a line on what it is"""

    title: Annotated[Text, Field(description="What the resource is called")]
    url: Annotated[LinkUrl, Field(description="Where it is")]
    description: Markdown | None = None


class Section(SectionBase):
    """Titled resource links; links to files say their type (PDF, Word)"""

    type: Literal["resources"]
    heading: Text | None = None
    intro: Markdown | None = None
    resources: Annotated[list[Resource], Field(description="The links, in order")]
