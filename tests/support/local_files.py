"""An issue naming its own files: a photo and a PDF beside it, made small and fresh per test."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image

SECTIONS = """
  - type: image
    image:
      src: {image}
      alt: The December flyer
  - type: notice
    heading: The strategy
    body: Read the strategy.
    links:
      - text: The GET SAFE strategy
        url: {document}
"""


def photo(path: Path, width: int, height: int, seed: int = 1) -> Path:
    """A photo-like JPEG (noise over a gradient, so it compresses as photos do)."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    blended = Image.blend(image, noise, 0.3)
    if path.suffix == ".png":
        blended.save(path, "PNG")
    else:
        blended.save(path, "JPEG", quality=95)
    return path


def pdf(path: Path, size: int = 2_200_000) -> Path:
    path.write_bytes(b"%PDF-1.4\n" + random.Random(2).randbytes(size))
    return path


def with_files(issue: Path, image: str = "flyer.jpg", document: str = "strategy.pdf") -> Path:
    """The issue with an image section and a notice linking a document, named by path."""
    text = issue.read_text(encoding="utf-8").rstrip("\n") + "\n"
    issue.write_text(text + SECTIONS.format(image=image, document=document).lstrip("\n"))
    return issue


def png_bytes(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 80, 160)).save(out, "PNG")
    return out.getvalue()
