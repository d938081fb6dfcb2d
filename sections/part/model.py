"""A part of an issue: a heading over the sections after it, up to the next part.

"Children" and "Adults" halves, a two-part strategy: the part's heading is a level above the
headings of its sections. A part with no heading ends the part before it.
"""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bulletin.document.fields import Markdown, Text, field_error
from bulletin.document.models import SectionBase


class Section(SectionBase):
    """A heading over the sections after it, up to the next part; without one, it ends a part"""

    type: Literal["part"]
    heading: Annotated[
        Text | None, Field(description="The part's heading; leave it out to end a part")
    ] = None
    intro: Markdown | None = None

    @model_validator(mode="after")
    def _intro_needs_heading(self) -> "Section":
        if self.intro and not self.heading:
            raise field_error("intro", "a part without a heading only ends a part: give it one")
        return self
