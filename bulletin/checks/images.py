"""Images: most inboxes block them at first, so the alt text is what readers get."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel

from bulletin.checks.context import CheckContext, quoted
from bulletin.checks.rules import Hit, rule
from bulletin.compose.email_files import address
from bulletin.document.fields import Image
from bulletin.document.local_files import LocalFile
from bulletin.document.source import Loc, Source

ALT_MAX = 125  # screen readers (JAWS among them) cut alt text about here
_FILE_NAME = re.compile(
    r".+\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|heic|pdf)|(?:IMG|DSC|DSCN|DSCF|PXL)[-_ ]?\d+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundImage:
    """An Image model and where it is: in the issue, or (the logo) in the publication."""

    loc: Loc
    image: Image
    source: Source | None = None  # the publication's, for the logo; None: the issue

    def hit(self, message: str, *field: str) -> Hit:
        return Hit(message, (*self.loc, *field), self.source)


def images(ctx: CheckContext) -> Iterator[FoundImage]:
    """The publication's logo, then every image of the issue, in order."""
    if ctx.bulletin.publication.logo:
        logo = ctx.bulletin.publication.logo
        yield FoundImage(("logo",), logo, source=ctx.bulletin.publication_source)
    yield from (FoundImage(loc, image) for loc, image in _walk(ctx.bulletin.issue, ()))


def _walk(value: Any, loc: Loc) -> Iterator[tuple[Loc, Image]]:
    if isinstance(value, Image):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _walk(item, (*loc, i))


def img_tags(ctx: CheckContext) -> list[dict[str, str]]:
    """The attributes of each <img> of the HTML."""
    return [tag.attrs for tag in ctx.tags if tag.name == "img"]


@rule(
    "image-alt-missing",
    "error",
    "an image in the HTML without alt text (a template that forgot it, or alt text of spaces)",
    "write what the image shows in `alt`; in your own template, add `alt` to every image",
)
def image_alt_missing(ctx: CheckContext) -> Iterator[Hit]:
    """Images are blocked at first by most inboxes and never seen by screen-reader users."""
    by_src = {found.image.src: found for found in images(ctx)}
    for img in img_tags(ctx):
        if img.get("alt", "").strip():
            continue
        src = img.get("src", "")
        found = by_src.get(src)
        if found:
            yield found.hit(f"image {quoted(src)} has no alt text", "alt")
        else:
            yield Hit(
                f"an <img> in the HTML has no alt text (src {quoted(src)}): check your template"
            )


@rule(
    "image-alt-long",
    "warning",
    f"alt text over {ALT_MAX} characters (screen readers cut it off)",
    "keep the alt text to what the image shows; put the detail in a `caption` or the text",
)
def image_alt_long(ctx: CheckContext) -> Iterator[Hit]:
    for found in images(ctx):
        alt = found.image.alt.strip()
        if len(alt) > ALT_MAX:
            yield found.hit(
                f"alt text is {len(alt)} characters ({quoted(alt, 43)}); screen readers cut it "
                f"after about {ALT_MAX}",
                "alt",
            )


@rule(
    "image-alt-filename",
    "error",
    "alt text that is a file name ('flyer.jpg', 'IMG_0042')",
    "say what the image shows, e.g. 'Poster: Chat Health, text 07123 456789'",
)
def image_alt_filename(ctx: CheckContext) -> Iterator[Hit]:
    """Screen readers read a file name out letter by letter, and it tells the reader nothing."""
    for found in images(ctx):
        alt = found.image.alt.strip()
        if _is_file_name(alt, found.image.src):
            yield found.hit(
                f"alt text {quoted(alt)} is a file name, not what the image shows", "alt"
            )


def _is_file_name(alt: str, src: str) -> bool:
    """`flyer.jpg`, `IMG_0042`, or the image's own file name (`chat-health`, not `ICON`)."""
    stem = PurePosixPath(unquote(urlsplit(src).path)).stem
    own_name = alt.casefold() == stem.casefold() and bool(re.search(r"[-_0-9]", stem))
    return own_name or bool(_FILE_NAME.fullmatch(alt))


@rule(
    "image-insecure",
    "error",
    "an image address that is not https",
    "use the image's https address (upload it to Mailchimp's content studio if it has none)",
)
def image_insecure(ctx: CheckContext) -> Iterator[Hit]:
    """Gmail and Outlook block or warn about images fetched over plain http."""
    ours = set()
    for found in images(ctx):
        ours.add(str(address(found.image.src)))
        if isinstance(found.image.src, LocalFile):
            continue  # a file in the project, which Mailchimp hosts over https
        if urlsplit(found.image.src).scheme != "https":
            yield found.hit(f"image {quoted(found.image.src)} is not https", "src")
    for img in img_tags(ctx):
        src = img.get("src", "")
        if src not in ours and urlsplit(src).scheme != "https":
            yield Hit(f"an <img> in the HTML is not https ({quoted(src)}): check your template")


@rule(
    "image-width-missing",
    "warning",
    "an image with no `width` (it is stretched to the full column)",
    "give the image's width in pixels (600 at most), or its natural width if smaller",
)
def image_width_missing(ctx: CheckContext) -> Iterator[Hit]:
    """Without a width an image fills the column: a small logo or photo comes out blurred."""
    for found in images(ctx):
        if found.image.width is None:
            yield found.hit(f"image {quoted(found.image.src)} has no width, so it fills the column")


RULES = [image_alt_missing, image_alt_long, image_alt_filename, image_insecure, image_width_missing]
