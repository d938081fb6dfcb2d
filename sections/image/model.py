"""A single image (a flyer, a poster) with required alt text and an optional link."""

from typing import Literal

from bulletin.fields import Image
from bulletin.model import SectionBase


class Section(SectionBase):
    type: Literal["image"]
    image: Image
