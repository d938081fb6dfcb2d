"""A short "dates for your diary" list: what, when (every session), and a link if there is one."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import Markdown, Text
from bulletin.document.models import SectionBase
from bulletin.document.sessions import DiaryEntry


class Section(SectionBase):
    """Dates for your diary: what, when, every session, and where to find out more"""

    type: Literal["diary"]
    heading: Text = "Dates for your diary"
    intro: Markdown | None = None
    entries: Annotated[list[DiaryEntry], Field(description="The dates, in order")]
