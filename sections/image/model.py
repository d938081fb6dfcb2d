"""A single image (a flyer, a poster) with required alt text and an optional link."""

from typing import Annotated, Literal

from pydantic import Field

from bulletin.document.fields import Image
from bulletin.document.models import SectionBase


class Section(SectionBase):
    """A flyer or poster: an image with its alt text, a caption and a link"""

    type: Literal["image"]
    image: Annotated[Image, Field(description="The image: src, alt (what it shows), width")]
