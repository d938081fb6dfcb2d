"""Markdown body text to sanitised HTML and to plain text, from one token stream.

Raw HTML is allowed in Markdown (writers paste it), then nh3 keeps only a small allow-list:
no <script>, no on*= attributes, no javascript: links ever reach an email. Pipe tables are
Markdown too; they become real data tables (`tables.py`), and "Heading: value" lines in text.
Each link remembers where it starts, so a finding about it names its line and column.

Parsing is the largest part of a render, so each text is parsed once for both the HTML and
the text part, and both results are kept: a preview re-render redoes only what changed.
The caches are keyed by the text itself (strings are immutable) and bounded.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import cast

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline, autolink, link
from markdown_it.token import Token

from bulletin.compose import tables
from bulletin.compose.merge_tags import MERGE_TAG

_ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "ol", "p", "s", "small", "span", "strong", "sub", "sup", "u", "ul",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "ol": {"start"}, "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}  # fmt: skip
# Pasted tables keep what makes them data tables; the table markup of ours keeps its classes.
_ALLOWED_VALUES = {
    "th": {"scope": {"col", "row", "colgroup", "rowgroup"}},
    "span": {"aria-hidden": {"true"}},
}
_ALLOWED_CLASSES = {"table": {tables.CLASS}, "span": {tables.LABEL_CLASS}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Section headings are h2; a `#` heading inside body text must sit below them.
_HEADING_OFFSET = 2
_CACHE_SIZE = 2048  # distinct texts: a few issues' worth of fields

# Built once: passing the allow-lists to nh3.clean on every call costs more than the cleaning.
_SANITISER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    attributes=_ALLOWED_ATTRIBUTES,
    tag_attribute_values=_ALLOWED_VALUES,
    allowed_classes=_ALLOWED_CLASSES,
    url_schemes=_URL_SCHEMES,
    link_rel=None,
)
_TAG_STRIPPER = nh3.Cleaner(tags=set())


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "breaks": True})
    md.disable("code")  # indented text is a writer's habit, not a code block
    md.enable("table")
    md.inline.ruler.before("emphasis", "merge_tag", _merge_tag)
    md.inline.ruler.at("link", _remember_start(link))
    md.inline.ruler.at("autolink", _remember_start(autolink))
    encode = md.normalizeLink
    md.normalizeLink = lambda url: _MERGE_TAG_CODED.sub(r"*|\1|*", encode(url))  # type: ignore[method-assign]
    return md


# Mailchimp's merge tags, `*|FNAME|*`, must reach the email as written: not as emphasis, and
# not percent-encoded in a link (`[view online](*|ARCHIVE|*)`).
_MERGE_TAG_CODED = re.compile(r"\*%7C([^*]*?)%7C\*")


def _merge_tag(state: StateInline, silent: bool) -> bool:
    match = MERGE_TAG.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        state.pending += match.group(0)
    state.pos = match.end()
    return True


def _remember_start(
    rule: Callable[[StateInline, bool], bool],
) -> Callable[[StateInline, bool], bool]:
    """`rule`, noting on each link it makes where in its paragraph the link starts."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            opened = next((t for t in state.tokens[count:] if t.type == "link_open"), None)
            if opened is not None:
                opened.meta = {**(opened.meta or {}), "start": start}
        return True

    return wrapped


@lru_cache(maxsize=_CACHE_SIZE)
def _tokens(text: str) -> tuple[Token, ...]:
    """The token stream of `text`; shared between calls, so read it, never change it."""
    tokens = _parser().parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + _HEADING_OFFSET, 6)
            token.tag = f"h{level}"
    return tuple(tokens)


def clear_cache() -> None:
    """Forget every parsed text and result (the benchmark times the work from scratch)."""
    _tokens.cache_clear()
    to_html.cache_clear()
    to_text.cache_clear()


@lru_cache(maxsize=_CACHE_SIZE)
def to_html(text: str) -> str:
    """Markdown to HTML that is safe to put in an email."""
    tokens = list(_tokens(text))
    if any(token.type == "table_open" for token in tokens):
        tokens = _tables_as_html(tokens)
    html = _parser().renderer.render(tokens, _parser().options, {})
    return sanitise(html).strip()


def _tables_as_html(tokens: list[Token]) -> list[Token]:
    """The token stream with each table made one block of our table markup."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if tokens[i].type != "table_open":
            out.append(tokens[i])
            i += 1
            continue
        end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
        block = Token("html_block", "", 0)
        block.content = tables.to_html(_grid(tokens[i : end + 1], html=True)) + "\n"
        out.append(block)
        i = end + 1
    return out


def _grid(tokens: list[Token], *, html: bool) -> tables.Grid:
    """A Markdown table's header and body cells, as HTML (still to be sanitised) or text."""
    columns: list[tables.Cell] = []
    rows: list[tuple[tables.Cell | None, list[tables.Cell]]] = []
    in_head = False
    for token in tokens:
        if token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open" and not in_head:
            rows.append((None, []))
        elif token.type == "inline":
            words = inline_text(token)
            renderer = cast(RendererHTML, _parser().renderer)
            markup = (
                renderer.renderInline(token.children or [], _parser().options, {}) if html else ""
            )
            cell = tables.Cell(markup, words)
            (columns if in_head else rows[-1][1]).append(cell)
    return tables.Grid(columns, rows)


def sanitise(html: str) -> str:
    return _SANITISER.clean(html)


def inline_html(text: str) -> str:
    """Markdown for a single line (a title, a list item): no surrounding <p>."""
    html = to_html(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


@lru_cache(maxsize=_CACHE_SIZE)
def to_text(text: str) -> str:
    """Markdown to plain text: paragraphs, `- ` list items, every link's URL shown."""
    lines: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
    prefix = ""
    tokens = _tokens(text)
    table_start: int | None = None
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "table_open":
            table_start = i
        elif kind == "table_close" and table_start is not None:
            grid = _grid(list(tokens[table_start : i + 1]), html=False)
            lines.extend([tables.to_text(grid), ""])
            table_start = None
        elif table_start is not None:
            continue
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            lists.append([start] if kind == "ordered_list_open" else [])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                lines.append("")
        elif kind == "list_item_open":
            counter = lists[-1]
            indent = "  " * (len(lists) - 1)
            prefix = f"{indent}{counter[0]}. " if counter else f"{indent}- "
            if counter:
                counter[0] += 1
        elif kind == "inline":
            body = inline_text(token)
            lines.append(prefix + body.replace("\n", "\n" + " " * len(prefix)))
            prefix = ""
        elif kind in ("paragraph_close", "heading_close", "blockquote_close") and not lists:
            lines.append("")
        elif kind == "html_block":
            lines.extend([_strip_tags(token.content).strip(), ""])
        elif kind == "hr":
            lines.extend(["----", ""])
    return "\n".join(lines).strip()


def inline_text(token: Token) -> str:
    out: list[str] = []
    hrefs: list[tuple[str, int]] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "html_inline":
            tag = child.content.lower()
            out.append("\n" if tag.startswith("<br") else _strip_tags(child.content))
        elif kind == "link_open":
            hrefs.append((str(child.attrGet("href") or ""), len(out)))
        elif kind == "link_close" and hrefs:
            href, start = hrefs.pop()
            label = "".join(out[start:])
            shown = href.removeprefix("mailto:").removeprefix("tel:")
            if shown and shown not in label:
                out.append(f" ({href if href.startswith('http') else shown})")
        elif kind == "image":
            out.append(child.content)
    return "".join(out)


def _strip_tags(html: str) -> str:
    return htmllib.unescape(_TAG_STRIPPER.clean(html))


def links(text: str) -> list[tuple[str, str]]:
    """Every link in `text` as (link text, URL), the way a reader sees them."""
    return [(found.text, found.url) for found in located_links(text)]


class Place:
    """Where something is in a text: its line and column, both counted from 0."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


class LocatedLink(Place):
    __slots__ = ("text", "url")

    def __init__(self, text: str, url: str, line: int, column: int) -> None:
        super().__init__(line, column)
        self.text, self.url = text, url


def located_links(text: str) -> list[LocatedLink]:
    """Every link in `text` with its text, URL, and where it starts in `text`."""
    found: list[LocatedLink] = []
    lines = text.split("\n")
    for token in _tokens(text):
        if token.type != "inline" or not token.children:
            continue
        open_links: list[tuple[str, list[str], Place]] = []
        line = token.map[0] if token.map else 0
        for child in token.children:
            if child.type == "link_open":
                start = (child.meta or {}).get("start")
                place = _place(lines, token, start) if start is not None else Place(line, 0)
                open_links.append((str(child.attrGet("href") or ""), [], place))
            elif child.type == "link_close" and open_links:
                href, words, place = open_links.pop()
                label = " ".join("".join(words).split())
                found.append(LocatedLink(label, href, place.line, place.column))
            elif child.type in ("text", "code_inline") and open_links:
                open_links[-1][1].append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                line += 1
                if open_links:
                    open_links[-1][1].append(" ")
    return found


def _place(lines: list[str], token: Token, position: int) -> Place:
    """Where `position` of an inline token's content is in the text it was parsed from."""
    content = token.content
    first = token.map[0] if token.map else 0
    row = content.count("\n", 0, position)
    line_start = content.rfind("\n", 0, position) + 1
    here = content.split("\n")[row] if content else ""
    written = lines[first + row] if first + row < len(lines) else ""
    base = written.find(here) if here else -1
    if base < 0:
        base = len(written) - len(written.lstrip())
    return Place(first + row, base + position - line_start)


_LINK_LIKE = re.compile(r"\[[^\[\]]*\]\((?:[^()\n]|\([^()\n]*\))*\)")


def unmade_links(text: str) -> list[tuple[str, Place]]:
    """Each `[text](address)` that Markdown left as words (a space or `javascript:` in the
    address stops it), with where it is in `text`."""
    found: list[tuple[str, Place]] = []
    lines = text.split("\n")
    for token in _tokens(text):
        if token.type != "inline":
            continue
        position = 0
        for match in _LINK_LIKE.finditer(token.content):
            if any(
                child.type == "text" and match.group(0) in child.content
                for child in token.children or ()
            ):
                position = token.content.find(match.group(0), position)
                found.append((match.group(0), _place(lines, token, position)))
                position += len(match.group(0))
    return found


def blocks(text: str) -> list[tuple[str, str, Place]]:
    """Each paragraph, heading, list item and table cell as read aloud (no markup, no URLs):
    its tag (`p`, `h3`, `td`, ...), its words, and where it starts in `text`."""
    tokens = _tokens(text)
    lines = text.split("\n")
    kept = ("text", "code_inline", "softbreak", "hardbreak")
    return [
        (
            tokens[i - 1].tag if i else "p",
            "".join(
                " " if child.type.endswith("break") else child.content
                for child in token.children or ()
                if child.type in kept
            ),
            _place(lines, token, 0),
        )
        for i, token in enumerate(tokens)
        if token.type == "inline"
    ]
