"""Key points "at a glance": groups, each a heading, a bold lead, a body and a bullet list;
as a list, or two side by side on a desktop (`layout: columns`)."""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bulletin.document.fields import Link, Markdown, StrictModel, Text, field_error
from bulletin.document.models import SectionBase


class Group(StrictModel):
    """One group of points: a heading, a bold first sentence, a paragraph, the points"""

    heading: Annotated[Text, Field(description="What the group is about")]
    lead: Annotated[Text | None, Field(description="A bold first sentence")] = None
    body: Annotated[Markdown | None, Field(description="Text before the points")] = None
    points: Annotated[list[Markdown], Field(description="The bullet points")] = []

    @model_validator(mode="after")
    def _has_content(self) -> "Group":
        if not (self.lead or self.body or self.points):
            raise field_error("points", "missing: the group's points (or its lead or body)")
        return self


class Section(SectionBase):
    """A strategy or plan "at a glance": groups of points, as a list or in two columns"""

    type: Literal["key_points"]
    heading: Text | None = None
    intro: Markdown | None = None
    layout: Annotated[
        Literal["list", "columns"],
        Field(description="list: one group after another; columns: two side by side on a desktop"),
    ] = "list"
    groups: Annotated[list[Group], Field(min_length=1, description="The groups, in order")]
    outro: Markdown | None = None
    document: Annotated[Link | None, Field(description="A button to the full document")] = None
