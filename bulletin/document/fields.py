"""Field types that several sections share: links, images, people, times.

Each validator fails with a short message that `source.py` puts after the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from bulletin.document.limits import check_html_depth


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


_TIME = re.compile(r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm)?", re.IGNORECASE)


def _parse_time(value: Any) -> Any:
    """Accept `09:30`, `9.30am`, `1pm`: the ways people write times in the UK."""
    if isinstance(value, int | float):  # `start: 930` is read as a number, not 09:30
        raise ValueError(f"not a time; write it as 09:30 or 9.30am ({value!r} is a number)")
    if not isinstance(value, str):
        return value
    match = _TIME.fullmatch(value.strip())
    if not match:
        raise ValueError(f"not a time; write it as 09:30 or 9.30am ({value!r})")
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = (match["ampm"] or "").lower()
    if ampm and not 1 <= hour <= 12:
        raise ValueError(f"not a time ({value!r})")
    if ampm == "pm" and hour != 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise ValueError(f"not a time ({value!r})")
    return dt.time(hour, minute)


@dataclass(frozen=True)
class Kind:
    """Marks what a text field holds, so the checks know to read it as Markdown or a URL."""

    name: str


MARKDOWN = Kind("markdown")
URL = Kind("url")

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
    str, AfterValidator(_link_url), Field(description="An http(s), mailto: or tel: URL"), URL
]
Email = Annotated[str, AfterValidator(_check_email), Field(description="An e-mail address")]
Phone = Annotated[str, AfterValidator(_check_phone)]
Colour = Annotated[str, AfterValidator(_check_colour), Field(description="#rrggbb")]
Time = Annotated[
    dt.time,
    BeforeValidator(_parse_time),
    WithJsonSchema({"type": "string", "description": "A time: 09:30, 9.30am or 1pm"}),
]
Date = dt.date


class Link(StrictModel):
    """A link a reader can follow; `text` must say where it goes."""

    text: Text
    url: LinkUrl


class Image(StrictModel):
    """A hosted image; alt text is required because most clients block images at first."""

    src: WebUrl
    alt: Annotated[str, Field(min_length=1, description="What the image shows, for screen readers")]
    width: Annotated[
        int | None,
        Field(gt=0, le=600, description="Width in pixels (600 at most); none fills the column"),
    ] = None
    link: LinkUrl | None = None
    caption: str | None = None


class Person(StrictModel):
    """A named person: a speaker, a contact, the author of a quote."""

    name: Text
    role: str | None = None
    organisation: str | None = None
    email: Email | None = None
    phone: Phone | None = None
    bio: Markdown | None = None
