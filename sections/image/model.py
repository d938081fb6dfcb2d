"""A single image (a flyer, a poster) with required alt text and an optional link."""

from typing import Literal

from bulletin.document.fields import Image
from bulletin.document.models import SectionBase


class Section(SectionBase):
    type: Literal["image"]
    image: Image
