"""ICON guidance on infant crying: the I / C / O / N rows, advice and resource links."""

from typing import Literal

from bulletin.document.fields import Link, Markdown, StrictModel, Text
from bulletin.document.models import SectionBase


class Rows(StrictModel):
    """The ICON rows in this issue's own words, each in place of the publication's"""

    i: Text | None = None
    c: Text | None = None
    o: Text | None = None
    n: Text | None = None


class Section(SectionBase):
    """ICON guidance on infant crying: the I, C, O and N rows, advice and resources"""

    type: Literal["icon"]
    heading: Text = "ICON: babies cry, you can cope"
    intro: Markdown | None = None
    rows: Rows = Rows()
    advice_intro: Markdown | None = None
    advice: list[Markdown] = []
    body: Markdown | None = None
    resources: list[Link] = []
    outro: Markdown | None = None
