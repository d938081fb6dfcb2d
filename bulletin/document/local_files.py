"""An image or document on this computer, named in an issue by its path.

A path is read against the issue's folder, then the project's; it must stay inside the
project, since whatever it names is uploaded to Mailchimp. What Mailchimp's File Manager
or the mail apps cannot take (a missing file, an SVG, over 10 MB, a type it refuses, an image
that is damaged or is not what its name says) is an error at the line that names it.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationInfo

FOLDERS = "folders"  # the validation context's key: the folders a path is read against
MAX_BYTES = 10 * 1024 * 1024  # Mailchimp's File Manager takes files of 10 MB at most
# An image is decoded to be checked and scaled: 50 megapixels is 150 MB of memory, more than
# any camera's photo needs and far more than the email's 1,200 px copy shows.
MAX_PIXELS = 50_000_000
IMAGE_TYPES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF"}
DOCUMENT_TYPES = {
    ".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel",
    ".ppt": "PowerPoint", ".pptx": "PowerPoint", ".odt": "OpenDocument text",
    ".ods": "OpenDocument spreadsheet", ".odp": "OpenDocument presentation", ".rtf": "RTF",
    ".txt": "text", ".csv": "CSV", ".epub": "EPUB",
}  # fmt: skip
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class LocalFile(str):
    """A path as the issue wrote it, that knows the file it names (`path`)."""

    path: Path
    root: Path

    def __new__(cls, written: str, path: Path, root: Path) -> LocalFile:
        made = super().__new__(cls, written)
        made.path, made.root = path, root
        return made

    @property
    def key(self) -> str:
        """The file as the project names it: `issues/flyer.jpg`."""
        return self.path.relative_to(self.root).as_posix()

    @property
    def is_image(self) -> bool:
        return self.path.suffix.lower() in IMAGE_TYPES

    @property
    def pixel_width(self) -> int:
        """The image's width in pixels."""
        stat = self.path.stat()
        return _image_size(self.path, str(self), stat.st_mtime_ns, stat.st_size)[0]

    @property
    def label(self) -> str:
        """`PDF, 2.1 MB`: what a reader downloads by following the link."""
        kind = {**IMAGE_TYPES, **DOCUMENT_TYPES}[self.path.suffix.lower()]
        return f"{kind}, {file_size(self.path.stat().st_size)}"


def file_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def is_path(value: str, info: ValidationInfo) -> bool:
    """Whether a value names a file: it has no scheme (`https:`, `mailto:`), and it has a
    folder, a file type we know, or a file by that name exists. `www.site.org` is an address
    missing its `https://`, and is reported as one."""
    written = value.strip()
    if _SCHEME.match(written) or written.startswith("//"):
        return False
    suffix = Path(written).suffix.lower()
    if "/" in written or suffix in IMAGE_TYPES or suffix in DOCUMENT_TYPES or suffix == ".svg":
        return True
    folders = info.context.get(FOLDERS) if isinstance(info.context, dict) else None
    return any((Path(folder) / written).is_file() for folder in folders or ())


def local_file(value: str, info: ValidationInfo, *, images_only: bool) -> LocalFile:
    folders = info.context.get(FOLDERS) if isinstance(info.context, dict) else None
    if not folders:
        raise ValueError(f"not a valid URL ({value!r}); expected https: and a host name")
    root = Path(folders[-1]).resolve()
    written = value.strip()
    found = None
    for folder in folders:
        candidate = (Path(folder) / written).resolve()
        if not candidate.is_relative_to(root):
            raise ValueError(
                f"{written!r} leads outside the project ({root.name}/): keep the file in it"
            )
        if candidate.is_file():
            found = candidate
            break
    if found is None:
        raise ValueError(f"no file {written!r} beside the issue or in the project")
    _check_type(found, written, images_only)
    stat = found.stat()
    size = stat.st_size
    if size > MAX_BYTES:
        raise ValueError(
            f"{written!r} is {file_size(size)}: Mailchimp's File Manager takes 10 MB at most"
        )
    if found.suffix.lower() in IMAGE_TYPES:
        _image_size(found, written, stat.st_mtime_ns, size)
    return LocalFile(written, found, root)


@lru_cache(maxsize=64)
def _image_size(path: Path, written: str, mtime: int, size: int) -> tuple[int, int]:
    """The image's width and height, once it is known to be a whole PNG, JPEG or GIF.

    It is decoded in full (a JPEG at an eighth of its size, which reads every byte just the
    same), since a file cut short opens and shows its size but arrives as a grey half-image.
    Cached by modification time and size, so the preview decodes it once, not at every save.
    """
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint, once imported, lets the whole process load cut-short images without a word.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in IMAGE_TYPES.values():
                    raise ValueError(
                        f"{written!r} holds a {image.format} image, which Outlook and older "
                        "mail apps do not show: save it as a PNG or JPEG"
                    )
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValueError(_too_many_pixels(written, width, height))
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                image.load()
    except Image.DecompressionBombError:
        raise ValueError(_too_many_pixels(written, None, None)) from None
    except UnidentifiedImageError:
        raise ValueError(
            f"{written!r} is not a PNG, JPEG or GIF image: open it and save it again as one"
        ) from None
    except (OSError, SyntaxError, EOFError) as damaged:
        raise ValueError(
            f"{written!r} is damaged ({damaged}): save it again from the original"
        ) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return width, height


def _too_many_pixels(written: str, width: int | None, height: int | None) -> str:
    shown = f"{width:,} x {height:,} pixels" if width and height else "far too many pixels"
    return (
        f"{written!r} is {shown}, over {MAX_PIXELS // 1_000_000} megapixels: "
        "scale it down (the email shows it 1,200 px wide at most)"
    )


def _check_type(found: Path, written: str, images_only: bool) -> None:
    suffix = found.suffix.lower()
    if suffix == ".svg":
        raise ValueError(
            f"{written!r} is an SVG, which Gmail and Outlook do not show: use a PNG or JPEG"
        )
    allowed = IMAGE_TYPES if images_only else {**IMAGE_TYPES, **DOCUMENT_TYPES}
    if suffix not in allowed:
        names = ", ".join(sorted({s.lstrip(".") for s in allowed}))
        raise ValueError(
            f"{written!r}: a {suffix or 'file without a type'} cannot be sent; use {names}"
        )


def folders_for(document: Path, root: Path) -> dict[str, Any]:
    """The validation context for a document at `document` in the project at `root`."""
    return {FOLDERS: (document.resolve().parent, root.resolve())}
