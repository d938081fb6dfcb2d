"""The issue and publication models. Section models live in `sections/<type>/model.py`."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import AfterValidator, Field, WithJsonSchema, create_model

from bulletin.document import colours
from bulletin.document.fields import (
    Colour,
    Date,
    Email,
    Image,
    ImageSource,
    Link,
    Markdown,
    StrictModel,
    Text,
    WebUrl,
)

if TYPE_CHECKING:
    from collections.abc import Sequence


# A publication is named by its file in publications/: a name, never a path.
PUBLICATION_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


class SectionBase(StrictModel):
    """What every section has; each type adds its own fields and a `type` literal."""

    type: str
    anchor: Annotated[
        str | None,
        Field(pattern=r"^[a-z][a-z0-9-]*$", description="Id for links to this section"),
    ] = None
    for_groups: Annotated[
        list[Annotated[str, Field(pattern=r"^[^,|*<>&]+$")]],
        Field(
            description="Only readers who chose one of these preference groups (audiences.yaml) "
            "see this section: 'Group', or 'Category:Group' where two categories share a name"
        ),
    ] = []


class DarkColours(StrictModel):
    """The palette a dark-mode reader sees; any colour left out is derived (`colours.py`)."""

    background: Colour | None = None
    text: Colour | None = None
    primary: Colour | None = None
    accent: Colour | None = None
    link: Colour | None = None


class Colours(StrictModel):
    primary: Colour = "#1d4f91"
    accent: Colour = "#e8f0fa"
    text: Colour = "#1f1f1f"
    background: Colour = "#f2f2f2"
    panel: Colour = "#ffffff"
    link: Colour = "#1d4f91"
    on_primary: Colour = "#ffffff"
    dark: Annotated[
        DarkColours | None,
        Field(description="Dark-mode colours: background, text, primary, accent, link"),
    ] = None

    @property
    def dark_palette(self) -> DarkColours:
        """`dark` with every colour filled in: as given, else derived from the light ones."""
        given = self.dark or DarkColours()
        background = given.background or colours.DARK_BACKGROUND
        accent = given.accent or colours.mix(self.primary, background, colours.DARK_ACCENT_TINT)
        return DarkColours(
            background=background,
            text=given.text or colours.DARK_TEXT,
            accent=accent,
            primary=given.primary or colours.lightened(self.primary, background, accent),
            link=given.link or colours.lightened(self.link, background, accent),
        )


class Logo(Image):
    """The publication's logo, with a version for dark backgrounds if it has one."""

    dark_src: Annotated[
        ImageSource | None,
        Field(description="The logo shown in dark mode: light lettering on a clear background"),
    ] = None


_FAMILY = r"""(?:"[^"\\;{}<>()]+"|'[^'\\;{}<>()]+'|[A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z0-9_-]+)*)"""
_FONT_LIST = re.compile(rf"{_FAMILY}(?:\s*,\s*{_FAMILY})*")


def _font_list(value: str) -> str:
    """A font value lands in the email's CSS: only a CSS font-family list gets there."""
    if not _FONT_LIST.fullmatch(value.strip()):
        raise ValueError(
            f"not a list of font names ({value!r}); write names separated by commas, like "
            "Arial, Helvetica, sans-serif (a name with other characters in quotes)"
        )
    return value.strip()


FontList = Annotated[str, AfterValidator(_font_list)]


class Fonts(StrictModel):
    body: FontList = "Arial, Helvetica, sans-serif"
    headings: FontList = "Arial, Helvetica, sans-serif"


class Sender(StrictModel):
    from_name: Annotated[
        str, Field(min_length=1, max_length=100, description="Who the email is from")
    ]
    reply_to: Annotated[Email, Field(description="The inbox replies go to: one that is read")]


class Footer(StrictModel):
    address: Annotated[list[Text], Field(min_length=1, description="Postal address lines")]
    copyright: Annotated[Text, Field(description="Who holds the copyright")]
    note: Markdown | None = None


class IconWording(StrictModel):
    """The four ICON messages; a publication may word them its own way."""

    i: Text = "Infant crying is normal"
    c: Text = "Comforting methods can help"
    o: Text = "It's OK to walk away"
    n: Text = "Never, ever shake a baby"


class Tracking(StrictModel):
    """What Mailchimp measures of each email: who opened it (a tracking image) and which links
    they followed (each link sent through Mailchimp). Both are personal data: see the README."""

    opens: bool = True
    clicks: bool = True


class Publication(StrictModel):
    """A partnership's brand and sender, defined once in `publications/<id>.yaml`."""

    name: Annotated[Text, Field(description="The partnership's full name")]
    short_name: Annotated[Text, Field(description="Its initials: 'WSCP'")]
    website: Annotated[WebUrl, Field(description="Its website, linked from the logo")]
    site_url: Annotated[
        WebUrl | None,
        Field(
            description="Where `bulletin site` puts its web edition: the email links to each "
            "issue's page and calendar files there"
        ),
    ] = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en-GB"
    logo: Logo | None = None
    colours: Colours = Colours()
    fonts: Fonts = Fonts()
    sender: Annotated[Sender, Field(description="Who the email is from, and where replies go")]
    footer: Annotated[Footer, Field(description="The copyright line and postal address")]
    icon: IconWording = IconWording()
    tracking: Tracking = Tracking()
    header_links: Annotated[
        list[Link], Field(description="Links under the title: the website, social media")
    ] = []
    footer_links: Annotated[
        list[Link],
        Field(description="Links in the footer: the website, social media ('Follow us on X')"),
    ] = []

    @property
    def site_base(self) -> str | None:
        """`site_url` ending in one `/`, ready for a page's name; None without one."""
        return self.site_url.rstrip("/") + "/" if self.site_url else None


_EDITION = "The issue's number as it reads: 12 (shown 'Issue 12'), 'Edition 7'"


class IssueBase(StrictModel):
    """One issue of a bulletin: its metadata; `sections` is added per section registry."""

    publication: Annotated[
        str,
        Field(
            pattern=rf"^{PUBLICATION_ID.pattern}$",
            description="Id of a file in publications/: lower case letters, digits and -",
        ),
    ]
    date: Annotated[Date, Field(description="The day the issue goes out")]
    title: Annotated[Text, Field(description="The bulletin's name, at the top")]
    subtitle: str | None = Field(None, description="Shown under the title; defaults to the month")
    edition: Annotated[
        Text | None,
        Field(description=_EDITION),
        WithJsonSchema({"type": ["integer", "string", "null"], "description": _EDITION}),
    ] = None
    subject: Annotated[
        str, Field(min_length=1, max_length=150, description="The email's subject line")
    ]
    preview: Annotated[
        str, Field(min_length=1, max_length=200, description="Preview text shown by inboxes")
    ]
    sections: Annotated[list[Any], Field(description="The issue's blocks, in order")]

    @property
    def edition_label(self) -> str:
        """`Issue 12` for `edition: 12`; any other wording as written."""
        edition = (self.edition or "").strip()
        return f"Issue {edition}" if edition.isdigit() else edition


@cache
def issue_model(section_models: Sequence[type[SectionBase]]) -> type[IssueBase]:
    """The issue model whose sections are a union of the given types, tagged by `type`."""
    union: Any = Union[tuple(section_models)]  # noqa: UP007 - built from a runtime tuple
    item = Annotated[union, Field(discriminator="type")] if len(section_models) > 1 else union
    about = Field(min_length=1, description="The issue's blocks, in order")
    return create_model(
        "Issue",
        __base__=IssueBase,
        sections=(Annotated[list[item], about], ...),  # type: ignore[valid-type,arg-type]
    )
