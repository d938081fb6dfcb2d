"""A data table: who to call for what, a timetable, "a label with a list" rows; each cell
takes Markdown, a bullet list too."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.blocks import Row, Table
from bulletin.document.fields import Markdown, Text
from bulletin.document.models import SectionBase


class Section(SectionBase, Table):
    """A data table: a caption, column headings, rows whose cells take Markdown"""

    type: Literal["table"]
    heading: Text | None = None
    intro: Markdown | None = None
    caption: Annotated[Text | None, Field(description="What the table shows")] = None
    columns: Annotated[
        list[Text], Field(description="The column headings, the label column's first")
    ] = []
    rows: Annotated[list[Row], Field(min_length=1, description="The rows, in order")]
    outro: Markdown | None = None
