"""Links that go nowhere, do not say where they go, or are written so the email drops them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import SplitResult, unquote, urlsplit

from bulletin.checks.context import CheckContext, FoundLink, quoted
from bulletin.checks.rules import Hit, rule
from bulletin.compose.markdown import unmade_links
from bulletin.compose.merge_tags import OPEN as MERGE_TAG_OPEN
from bulletin.compose.render import Rendered
from bulletin.document.fields import _link_url, link_trap
from bulletin.document.issue import Bulletin
from bulletin.document.local_files import LocalFile
from bulletin.document.source import dotted

_WEB = ("http", "https")
_PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")
_RESERVED_TLDS = ("example", "invalid", "test")  # RFC 2606: names that never resolve
_PLACEHOLDER_WORD = re.compile(
    r"(?<![a-z0-9])(?:todo|tbc|tba|tbd|fixme|placeholder|x{3,})(?![a-z0-9])", re.IGNORECASE
)
_HOST = re.compile(
    r"(?:[a-z0-9-]+\.)+(?:[a-z]{2,}|xn--[a-z0-9-]+)|localhost|[0-9]{1,3}(?:\.[0-9]{1,3}){3}"
)
_VAGUE = frozenset(
    {
        "click", "click here", "click this link", "click on this link", "here", "link",
        "link here", "this", "this link", "this page", "more", "read more", "more info",
        "more information", "find out more", "learn more",
    }
)  # fmt: skip


@rule(
    "link-syntax",
    "error",
    "a link the email cannot follow: no `https://` (`[x](www.site.org)` is relative, so goes "
    "nowhere), a space in the address, an unknown scheme, a `#name` no section has as `anchor`, "
    "a user part (`https://www.a.org@evil.example/` goes to evil.example), a `mailto:` with "
    "`cc=` or `bcc=`",
    "write the whole address, `https://www.site.org/page`, with `%20` for any space; nothing "
    "before an `@` in a web address; one recipient in a `mailto:`",
)
def link_syntax(ctx: CheckContext) -> Iterator[Hit]:
    """An email has no page to be relative to, and the sanitiser drops unknown schemes, so
    such a link is dead on arrival; Markdown leaves a link with a space in it as plain words."""
    anchors = {section.anchor for section in ctx.bulletin.issue.sections if section.anchor}
    for link in ctx.links:
        problem = _syntax_problem(link.url, anchors)
        if problem:
            yield Hit(problem, link.loc, line=link.line, column=link.column)
    for field in ctx.texts:
        if field.kind == "markdown":
            for written, place in unmade_links(field.value):
                yield Hit(
                    f"{quoted(written)} is not a link: {_why_unmade(written)}",
                    field.loc,
                    line=place.line,
                    column=place.column,
                )


@rule(
    "link-placeholder",
    "error",
    "a link that goes nowhere yet: `#`, empty, `javascript:`, example.com, `TODO`, `TBC`, `xxx`",
    "put the real address in the link, or remove the link",
)
def link_placeholder(ctx: CheckContext) -> Iterator[Hit]:
    """A stand-in address left in a sent email is a dead end for every reader."""
    for link in ctx.links:
        problem = _placeholder(link.url)
        if problem:
            yield Hit(
                f"link {quoted(link.text)} {problem}", link.loc, line=link.line, column=link.column
            )


@rule(
    "link-insecure",
    "warning",
    "an `http://` link where the site (like almost every site) has `https://`",
    "write `https://`, and check the page still opens",
)
def link_insecure(ctx: CheckContext) -> Iterator[Hit]:
    """Browsers mark plain http pages "not secure", and it can be read or altered on the way."""
    for link in ctx.links:
        if _scheme(link.url) == "http" and not _placeholder(link.url):
            secure = "https" + link.url.strip()[4:]
            yield Hit(
                f"link {quoted(link.url)} is not secure: use {quoted(secure)}",
                link.loc,
                line=link.line,
                column=link.column,
            )


@rule(
    "link-mailto",
    "error",
    "a `mailto:` link with no or a malformed e-mail address, or a `tel:` link that is no number",
    "write `[Email Jo](mailto:jo@org.uk)` or `[01234 567890](tel:+441234567890)`",
)
def link_mailto(ctx: CheckContext) -> Iterator[Hit]:
    """A broken mailto: or tel: link opens a blank e-mail or dials nothing."""
    for link in ctx.links:
        scheme = _scheme(link.url)
        if scheme not in ("mailto", "tel"):
            continue
        address = unquote(link.url.strip())
        if not address[len(scheme) + 1 :].split("?")[0].strip():
            yield Hit(
                f"link {quoted(link.text)} has an empty {scheme}: address",
                link.loc,
                line=link.line,
                column=link.column,
            )
            continue
        try:
            _link_url(address)
        except ValueError as err:
            yield Hit(
                f"link {quoted(link.text)} is {err}", link.loc, line=link.line, column=link.column
            )


@rule(
    "link-text-conflict",
    "warning",
    "the same link text leading to different addresses in one issue",
    "give each link text that says where it goes, e.g. 'Book the 3 March session'",
)
def link_text_conflict(ctx: CheckContext) -> Iterator[Hit]:
    """Screen readers list links by their text: two the same that go to different places
    cannot be told apart, and readers assume they go to the same place."""
    first: dict[str, FoundLink] = {}
    for link in ctx.links:
        key = " ".join(link.text.split()).casefold()
        if not key:
            continue
        seen = first.setdefault(key, link)
        if _same_address(seen.url, link.url):
            continue
        yield Hit(
            f"link text {quoted(link.text)} leads to {quoted(link.url)} here, "
            f"but to {quoted(seen.url)} at {dotted(seen.loc)}",
            link.loc,
            line=link.line,
            column=link.column,
        )


@rule(
    "link-text-vague",
    "warning",
    "link text that does not say where it goes: 'click here', 'here', 'this link', 'read more'",
    "make the words that are the link say where it goes: '[the ICON advice](https://...)'",
)
def link_text_vague(ctx: CheckContext) -> Iterator[Hit]:
    """Screen-reader users jump from link to link hearing only the link text, and everyone
    scans for it: 'here' tells neither where it goes (WCAG 2.4.4)."""
    for link in ctx.links:
        words = " ".join(re.sub(r"^\W+|\W+$", "", link.text).split()).casefold()
        if words in _VAGUE:
            yield Hit(
                f"link text {quoted(link.text)} does not say where it goes",
                link.loc,
                line=link.line,
                column=link.column,
            )


@rule(
    "link-broken",
    "error",
    "a link whose page does not load: an HTTP error (404, 500, ...) or no answer from the site",
    "correct the address (open it in a browser), or remove the link",
    online=True,
)
def link_broken(ctx: CheckContext) -> Iterator[Hit]:
    """A dead link is the commonest complaint about a bulletin, and it cannot be fixed once sent."""
    from bulletin.checks import online  # only with --online: its HTTP machinery costs start-up

    links = [link for link in ctx.links if _fetchable(link.url)]
    found = online.fetch_all(
        (link.url for link in links), timeout=online.TIMEOUT, workers=online.WORKERS
    )
    if offline := _offline(found):
        yield Hit(offline)
        return
    for link in links:
        problem = found[link.url]
        if problem:
            yield Hit(
                f"link {quoted(link.url)} is broken: {problem}",
                link.loc,
                line=link.line,
                column=link.column,
            )


def _offline(found: dict[str, str | None]) -> str | None:
    """One line for a check made with no network: no site at all answered (two at least, so
    one site down is still that link's error)."""
    from bulletin.checks.online import UNANSWERED

    sites = {urlsplit(url).netloc.lower() for url in found}
    if len(sites) < 2 or not all((p or "").startswith(UNANSWERED) for p in found.values()):
        return None
    first = next(p for p in found.values() if p)
    return (
        f"no link could be checked: none of the {len(sites)} sites answered ({first}): "
        "is this computer online? Check again with --online when it is"
    )


RULES = [
    link_syntax,
    link_placeholder,
    link_insecure,
    link_mailto,
    link_text_conflict,
    link_text_vague,
    link_broken,
]


def web_urls(links: Iterable[FoundLink]) -> list[str]:
    """The distinct web addresses `--online` fetches, in the order they first appear."""
    return list(dict.fromkeys(link.url for link in links if _fetchable(link.url)))


def unchecked_count(bulletin: Bulletin, rendered: Rendered) -> int:
    """How many web addresses `check` without `--online` leaves unfetched."""
    return len(web_urls(CheckContext(bulletin, rendered).links))


def _placeholder(url: str) -> str | None:
    """How `url` is a stand-in for an address still to come (to follow "link 'x' "), or None."""
    address = url.strip()
    if not address:
        return "has no address"
    if address == "#":
        return "goes nowhere ('#')"
    if address.lower().startswith("javascript:"):
        return f"runs a script instead of going anywhere ({quoted(address)})"
    host = (_split(address).hostname or "").rstrip(".")
    placeholder_host = host.endswith(tuple(f".{d}" for d in _PLACEHOLDER_DOMAINS))
    if (
        host in _PLACEHOLDER_DOMAINS
        or placeholder_host
        or host.rpartition(".")[2] in _RESERVED_TLDS
    ):
        return f"goes to a placeholder address ({quoted(address)})"
    word = _PLACEHOLDER_WORD.search(address)
    if word:
        return f"has a placeholder, {word.group(0)!r}, for its address ({quoted(address)})"
    return None


def _syntax_problem(url: str, anchors: set[str]) -> str | None:
    """Why `url` cannot work in an email, or None (placeholders are another rule's)."""
    address = url.strip()
    if isinstance(url, LocalFile):  # a file in the project, checked as it was read
        return None
    if _placeholder(address) or MERGE_TAG_OPEN in address:  # Mailchimp fills in `*|ARCHIVE|*`
        return None
    if address.startswith("#"):
        name = address[1:]
        return (
            None
            if name in anchors
            else f"link {quoted(address)} points at no section: none has 'anchor: {name}'"
        )
    try:
        parts = urlsplit(address)
    except ValueError:  # `http://[x`
        return f"link {quoted(address)} cannot be read as an address"
    trap = link_trap(address)
    if trap:
        return f"link {quoted(address)} {trap}"
    scheme = parts.scheme.lower()
    if not scheme or "." in scheme:  # `www.site.org:8080` reads as the scheme `www.site.org`
        if "@" in address and "/" not in address:
            return f"link {quoted(address)} lacks 'mailto:': write 'mailto:{address}'"
        return f"link {quoted(address)} has no 'https://', so it goes nowhere from an email"
    if scheme in ("mailto", "tel"):
        return None  # link-mailto's (but for the traps above)
    if scheme not in _WEB:
        return (
            f"link {quoted(address)} has the unknown scheme '{scheme}:' "
            "(an email keeps only https:, http:, mailto: and tel: links)"
        )
    if not _valid_host(parts):
        return f"link {quoted(address)} has no valid host name"
    return None


def _why_unmade(written: str) -> str:
    address = written[written.index("](") + 2 : -1].strip()
    if address.lower().startswith("javascript:"):
        return "an email link cannot run a script"
    if re.search(r"\s", address):
        return f"its address {quoted(address)} has a space (write %20)"
    return f"Markdown cannot read the address {quoted(address)}"


def _fetchable(url: str) -> bool:
    address = url.strip()
    parts = _split(address)
    return (
        parts.scheme.lower() in _WEB
        and _valid_host(parts)
        and not _placeholder(address)
        and MERGE_TAG_OPEN not in address  # filled in per reader
    )


def _valid_host(parts: SplitResult) -> bool:
    return bool(_HOST.fullmatch((parts.hostname or "").rstrip(".")))


def _same_address(a: str, b: str) -> bool:
    """Equal but for case in the host, a trailing slash, or http against https."""

    def key(url: str) -> tuple[str, ...]:
        parts = _split(url.strip())
        return (parts.netloc.lower(), parts.path.rstrip("/"), parts.query, parts.fragment)

    return key(a) == key(b)


def _scheme(url: str) -> str:
    return _split(url.strip()).scheme.lower()


def _split(url: str) -> SplitResult:
    """`url` in parts; one urllib cannot split (`http://[x`) is all path."""
    try:
        return urlsplit(url)
    except ValueError:
        return SplitResult("", "", url, "", "")
