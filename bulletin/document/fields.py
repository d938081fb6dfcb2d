"""Field types that several sections share: links, images, people, dates and times.

Each validator fails with a short message that `source.py` puts after the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bulletin.document.dates import DATE_FORMS, TIME_FORMS, parse_date, parse_time
from bulletin.document.limits import check_html_depth
from bulletin.document.local_files import LocalFile, is_path, local_file


class StrictModel(BaseModel):
    """Unknown keys are errors: a misspelt field must never vanish silently. A number where
    text is expected (`title: 2020`, a list id of digits) is taken as the text it reads as."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


def link_trap(url: str) -> str | None:
    """Why a link that looks fine misleads or leaks (a user part, a mailto: copying others,
    a hidden direction mark), or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if re.search("[\u200e\u200f]", url):
        return "has a hidden left-to-right or right-to-left mark: delete it"
    if parts.scheme.lower() == "mailto":
        asked = {k.lower() for k in re.findall(r"(?:^|&)([^=&]+)=", parts.query)}
        copied = sorted(asked & {"cc", "bcc"})
        if copied:
            return f"has {'= and '.join(copied)}=, copying every message to another address"
    elif "@" in parts.netloc:
        shown, _, host = parts.netloc.rpartition("@")
        return f"has a user part ('{shown}@'), so it goes to {host}, not where it seems"
    return None


def _check_url(value: str, schemes: tuple[str, ...]) -> str:
    value = value.strip()
    trap = link_trap(value)
    if trap:
        raise ValueError(f"link {value!r} {trap}")
    parts = urlsplit(value)
    if parts.scheme in ("mailto", "tel") and parts.scheme in schemes:
        target = parts.path
        if parts.scheme == "mailto":
            _check_email(target.split("?")[0])
        elif not re.fullmatch(r"\+?[0-9 ()-]{5,}", target):
            raise ValueError(f"not a valid phone link ({value!r})")
        return value
    host = parts.hostname or ""
    if (
        parts.scheme not in schemes
        or not re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}|localhost|127\.0\.0\.1", host)
        or re.search(r"\s", value)
    ):
        wanted = " or ".join(f"{s}:" for s in schemes)
        raise ValueError(f"not a valid URL ({value!r}); expected {wanted} and a host name")
    return value


def _web_url(value: str) -> str:
    return _check_url(value, ("https", "http"))


def _link_url(value: str) -> str:
    return _check_url(value, ("https", "http", "mailto", "tel"))


def _image_or_file(value: str, info: ValidationInfo) -> str:
    """An image's https address, or the path of an image file in the project."""
    return local_file(value, info, images_only=True) if is_path(value, info) else _web_url(value)


def _link_or_file(value: str, info: ValidationInfo) -> str:
    """A link, or the path of a document (or image) in the project, which it links to."""
    return local_file(value, info, images_only=False) if is_path(value, info) else _link_url(value)


def _not_blank(value: str) -> str:
    """A heading or link of spaces shows nothing, and a screen reader announces nothing."""
    if not value.strip():
        raise ValueError("is blank: write the text, or leave the field out")
    return value


def _check_email(value: str) -> str:
    # Imported here: it takes ~20 ms, which `bulletin schema` and `bulletin new` need not pay.
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError(f"not a valid e-mail address ({value!r})") from None


def _check_phone(value: str) -> str:
    if not re.fullmatch(r"\+?[0-9][0-9 ()-]{4,}[0-9](\s*(ext\.?|extension)\s*[0-9]+)?", value):
        raise ValueError(f"not a valid phone number ({value!r})")
    return value


def _check_colour(value: str) -> str:
    if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", value):
        raise ValueError(f"not a colour; write it as #rrggbb ({value!r})")
    return value.lower()


def _date(value: Any, info: ValidationInfo) -> Any:
    """A date as YAML reads it (`2021-09-08`) or as a UK writer types it; one without a year
    is read against the issue's date, which `load_bulletin` puts in the validation context."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValueError("a date with a time; write the date here and the time in `start`")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date; write it as {DATE_FORMS}")
    near = info.context.get(NEAR) if isinstance(info.context, dict) else None
    return parse_date(value, near)


NEAR = "near"  # the validation context's key for the date a year-less date is read against


def field_error(field: str, message: str, *within: str | int) -> PydanticCustomError:
    """An error a model's own check finds in one of its fields (or in an item of it, at
    `within`): `validation.py` puts it at that line, not the model's."""
    return PydanticCustomError("field_error", message, {"field": [field, *within]})


@dataclass(frozen=True)
class Kind:
    """Marks what a text field holds, so the checks know to read it as Markdown or a URL."""

    name: str


MARKDOWN = Kind("markdown")
URL = Kind("url")
EMAIL, PHONE, COLOUR = Kind("email"), Kind("phone"), Kind("colour")

Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]
Markdown = Annotated[
    str,
    Field(min_length=1, description="Markdown: **bold**, *italic*, [links](https://...), lists"),
    AfterValidator(_not_blank),
    AfterValidator(check_html_depth),
    MARKDOWN,
]
WebUrl = Annotated[str, AfterValidator(_web_url), Field(description="An http(s) URL"), URL]
LinkUrl = Annotated[
    str,
    AfterValidator(_link_or_file),
    Field(description="An http(s), mailto: or tel: URL, or the path of a file in the project"),
    URL,
]
ImageSrc = Annotated[
    str,
    AfterValidator(_image_or_file),
    Field(description="An https address, or the path of a PNG, JPEG or GIF in the project"),
    URL,
]
Email = Annotated[str, AfterValidator(_check_email), Field(description="An e-mail address"), EMAIL]
Phone = Annotated[str, AfterValidator(_check_phone), Field(description="A phone number"), PHONE]
Colour = Annotated[str, AfterValidator(_check_colour), Field(description="#rrggbb"), COLOUR]
Time = Annotated[
    dt.time,
    BeforeValidator(parse_time),
    WithJsonSchema({"type": "string", "description": f"A time: {TIME_FORMS}"}),
]
Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "description": f"A date: {DATE_FORMS} (day first)"}),
]


class Link(StrictModel):
    """A link a reader can follow; its text says where it goes"""

    text: Annotated[Text, Field(description="The words of the link: say where it goes")]
    url: Annotated[LinkUrl, Field(description="Where it goes: https://, mailto: or tel:")]


# Where an image comes from; the logo's dark-mode version is the same kind of field.
ImageSource = Annotated[ImageSrc, Field(description="The image's https address, or its file")]


class Image(StrictModel):
    """A hosted image; alt text is required because most clients block images at first"""

    src: ImageSource
    alt: Annotated[str, Field(min_length=1, description="What the image shows, for screen readers")]
    width: Annotated[
        int | None,
        Field(gt=0, le=600, description="Width in pixels (600 at most); none fills the column"),
    ] = None
    link: LinkUrl | None = None
    caption: str | None = None

    @model_validator(mode="after")
    def _width_from_file(self) -> Image:
        """An image in the project is shown at its own width, up to the column's 600 px."""
        if self.width is None and isinstance(self.src, LocalFile):
            object.__setattr__(self, "width", min(self.src.pixel_width, 600))
        return self


class Person(StrictModel):
    """A speaker, host or contact: a named person, or an organisation (a team, a charity)."""

    name: Annotated[
        Text | None, Field(description="The person's name; leave it out for an organisation")
    ] = None
    role: str | None = None
    organisation: Annotated[
        str | None, Field(description="Their organisation, or the organisation itself")
    ] = None
    email: Email | None = None
    phone: Phone | None = None
    bio: Markdown | None = None

    @model_validator(mode="after")
    def _named(self) -> Person:
        if not self.name and not self.organisation:
            raise field_error("name", "give a name, or an organisation (for a team or a charity)")
        return self

    @property
    def title(self) -> str:
        """What a reader sees first: the name, else the organisation."""
        return self.name or self.organisation or ""

    @property
    def details(self) -> list[str]:
        """Role and organisation, after the name (the organisation is the title if no name)."""
        return [part for part in (self.role, self.organisation if self.name else None) if part]
