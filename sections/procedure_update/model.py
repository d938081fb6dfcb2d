"""A new or changed procedure, framework or guidance document: what changed and where it is."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import Date, Link, Markdown, StrictModel, Text
from bulletin.document.models import SectionBase


class Change(StrictModel):
    """One thing that changed, with a line on it and a link"""

    title: Annotated[Text, Field(description="What changed")]
    text: Markdown | None = None
    link: Link | None = None


class Section(SectionBase):
    """A new or changed procedure or framework: what it is, what changed, from when"""

    type: Literal["procedure_update"]
    heading: Text | None = None
    body: Annotated[Markdown, Field(description="What the procedure or framework is")]
    points_intro: Markdown | None = None
    points: list[Markdown] = []
    changes: list[Change] = []
    after: Markdown | None = None
    effective: Annotated[Date | None, Field(description="When it takes effect")] = None
    document: Link | None = None
