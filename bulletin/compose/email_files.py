"""The email-ready copy of each file an issue names, and the address it is shown at.

An image wider than 1,200 px or over 1 MB is scaled to 1,200 px wide and recompressed: mail
apps show it no larger, and readers on phones pay for every byte. The original is never
touched. A copy is named by its content (`flyer-3f2a9c1d0b7e.jpg`), so the same bytes are
always the same file, here and in Mailchimp's File Manager. The same input gives the same
bytes, so the names stay stable.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bulletin.document.issue import Bulletin
from bulletin.document.local_files import LocalFile

MAX_WIDTH = 1200  # pixels: twice the email's 600 px column, for sharp phone screens
MAX_IMAGE_BYTES = 1024 * 1024
JPEG_QUALITY = 82


@dataclass(frozen=True)
class EmailFile:
    """One file as the email carries it: its content-named copy."""

    key: str  # the file as the project names it: issues/flyer.jpg
    name: str  # flyer-3f2a9c1d0b7e.jpg
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def local_files(bulletin: Bulletin) -> list[LocalFile]:
    """Every file the issue and its publication name, each once, in the order they appear."""
    found: dict[str, LocalFile] = {}
    for model in (bulletin.publication, bulletin.issue):
        for value in _walk(model):
            found.setdefault(value.key, value)
    return list(found.values())


def _walk(value: Any) -> Iterator[LocalFile]:
    if isinstance(value, LocalFile):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk(item)


def email_copy(file: LocalFile) -> EmailFile:
    stat = file.path.stat()
    return _copy(file.path, file.key, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _copy(path: Path, key: str, mtime: int, size: int) -> EmailFile:
    data = path.read_bytes()
    if path.suffix.lower() in (".jpg", ".jpeg", ".png"):
        data = _for_email(data, path.suffix.lower())
    digest = hashlib.sha256(data).hexdigest()[:12]
    return EmailFile(key, f"{_safe_stem(path.stem)}-{digest}{path.suffix.lower()}", data)


def _safe_stem(stem: str) -> str:
    kept = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-")
    return kept[:60] or "file"


def _for_email(data: bytes, suffix: str) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        if opened.width <= MAX_WIDTH and len(data) <= MAX_IMAGE_BYTES:
            return data
        image: Image.Image = ImageOps.exif_transpose(opened)
        if image.width > MAX_WIDTH:
            height = max(1, round(image.height * MAX_WIDTH / image.width))
            image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if suffix == ".png":
            image.save(out, "PNG", optimize=True)
        else:
            image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        return out.getvalue()


_URLS: contextvars.ContextVar[Mapping[str, str] | None] = contextvars.ContextVar(
    "file_urls", default=None
)


@contextlib.contextmanager
def shown_at(urls: Mapping[str, str]) -> Iterator[None]:
    """While rendering: each file (by key) is shown at its address in `urls`."""
    token = _URLS.set(urls)
    try:
        yield
    finally:
        _URLS.reset(token)


def address(value: Any) -> Any:
    """A file's address in the email being rendered (as written, when it has none yet)."""
    if isinstance(value, LocalFile):
        return (_URLS.get() or {}).get(value.key, str(value))
    return value


def relative_urls(files: list[LocalFile], folder: str) -> dict[str, str]:
    """Each file at `folder/<its copy's name>`, as `bulletin build` writes them."""
    return {f.key: f"{folder}/{email_copy(f).name}" for f in files}
