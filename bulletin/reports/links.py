"""Which section of an issue holds each link: the map that turns clicks per URL into clicks
per section.

Each section is rendered on its own through its template, as the email renders it, and the
links of its block are its links; what the whole email has beyond them is the page's (logo,
footer). Mailchimp counts clicks per URL, so a URL that two sections hold cannot be split
between them unless the URLs differ: such a link is marked as shared, never counted twice.
The sent HTML also says under which heading each link went out, for links that the issue file
no longer holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit, urlunsplit

from bulletin.compose import templating
from bulletin.compose.render import render
from bulletin.document.issue import Bulletin

TRACKED = ("http://", "https://")  # Mailchimp tracks web links, not mailto: or tel:


@dataclass(frozen=True)
class Section:
    index: int  # from 1
    heading: str
    type: str
    line: int
    urls: tuple[str, ...]


@dataclass
class LinkMap:
    """The issue's sections with their links, and the page's own links."""

    sections: list[Section] = field(default_factory=list)
    page: set[str] = field(default_factory=set)
    _holders: dict[str, list[int]] = field(default_factory=dict)
    _loose: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for section in self.sections:
            for url in section.urls:
                for table, key in ((self._holders, url), (self._loose, loose(url))):
                    holders = table.setdefault(key, [])
                    if section.index not in holders:
                        holders.append(section.index)

    def holders(self, url: str) -> list[int]:
        """The sections holding `url`: as written, else once case, a trailing slash and a
        `#fragment` are set aside (Mailchimp may report a link so)."""
        return self._holders.get(url) or self._loose.get(loose(url)) or []

    def in_page(self, url: str) -> bool:
        return url in self.page or loose(url) in {loose(u) for u in self.page}


def loose(url: str) -> str:
    """`url` with the differences Mailchimp may introduce set aside."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def link_map(bulletin: Bulletin) -> LinkMap:
    """The sections of the issue as it renders now, with the links of each."""
    env = templating.environment(bulletin.project.search_path, "mjml")
    blocks = [block for block, _ in templating.sections(bulletin, env, "email.mjml.j2")]
    sections = []
    for index, (section, block) in enumerate(zip(bulletin.issue.sections, blocks, strict=True)):
        line = bulletin.source.position(("sections", index))[0]
        urls = tuple(dict.fromkeys(url for url, _ in hrefs(block)))
        sections.append(Section(index + 1, title_of(section), section.type, line, urls))
    held = {url for s in sections for url in s.urls}
    page = {url for url, _ in hrefs(render(bulletin).html) if url not in held}
    return LinkMap(sections, page)


def title_of(section: object) -> str:
    """What the officer calls a section: its heading, else what its image shows, else its type."""
    heading = getattr(section, "heading", None)
    if isinstance(heading, str) and heading.strip():
        return " ".join(heading.split())
    image = getattr(section, "image", None)
    alt = getattr(image, "alt", None)
    if isinstance(alt, str) and alt.strip():
        return f"image: {' '.join(alt.split())}"
    return f"{getattr(section, 'type', 'section')} section"


def hrefs(markup: str) -> list[tuple[str, str]]:
    """Each tracked link in `markup` (HTML or MJML), with the last heading before it."""
    parser = _Links()
    parser.feed(markup)
    parser.close()
    return parser.found


class _Links(HTMLParser):
    _HEADINGS = frozenset({"h1", "h2", "h3"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.heading = ""
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "href" and value and value.strip().lower().startswith(TRACKED):
                self.found.append((value.strip(), self.heading))
        if tag in self._HEADINGS:
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HEADINGS and self._text is not None:
            self.heading = " ".join("".join(self._text).split())
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def sent_headings(html: str) -> dict[str, str]:
    """Each link of the sent email and the heading it was first sent under."""
    found: dict[str, str] = {}
    for url, heading in hrefs(html):
        found.setdefault(url, heading)
    return found
