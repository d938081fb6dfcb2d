"""Markdown body text to sanitised HTML and to plain text, from one token stream.

Raw HTML is allowed in Markdown (writers paste it), then nh3 keeps only a small allow-list:
no <script>, no on*= attributes, no javascript: links ever reach an email.

Parsing is the largest part of a render, so each text is parsed once for both the HTML and
the text part, and both results are kept: a preview re-render redoes only what changed.
The caches are keyed by the text itself (strings are immutable) and bounded.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from functools import cache, lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from bulletin.compose.merge_tags import MERGE_TAG

_ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "ol", "p", "s", "small", "span", "strong", "sub", "sup", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Section headings are h2; a `#` heading inside body text must sit below them.
_HEADING_OFFSET = 2
_CACHE_SIZE = 2048  # distinct texts: a few issues' worth of fields

# Built once: passing the allow-lists to nh3.clean on every call costs more than the cleaning.
_SANITISER = nh3.Cleaner(
    tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES, link_rel=None
)
_TAG_STRIPPER = nh3.Cleaner(tags=set())


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "breaks": True})
    md.disable("code")  # indented text is a writer's habit, not a code block
    md.inline.ruler.before("emphasis", "merge_tag", _merge_tag)
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
    html = _parser().renderer.render(_tokens(text), _parser().options, {})
    return sanitise(html).strip()


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
    for token in _tokens(text):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
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
    return [(label, url) for label, url, _ in located_links(text)]


def located_links(text: str) -> list[tuple[str, str, int]]:
    """Every link in `text` as (link text, URL, line), the line counted from 0 in `text`."""
    found: list[tuple[str, str, int]] = []
    open_links: list[tuple[str, list[str], int]] = []
    for child, line in _inline_children(text):
        if child.type == "link_open":
            open_links.append((str(child.attrGet("href") or ""), [], line))
        elif child.type == "link_close" and open_links:
            href, words, start = open_links.pop()
            found.append((" ".join("".join(words).split()), href, start))
        elif child.type in ("text", "code_inline") and open_links:
            open_links[-1][1].append(child.content)
        elif child.type in ("softbreak", "hardbreak") and open_links:
            open_links[-1][1].append(" ")
    return found


_LINK_LIKE = re.compile(r"\[[^\[\]]*\]\((?:[^()\n]|\([^()\n]*\))*\)")


def unmade_links(text: str) -> list[tuple[str, int]]:
    """Each `[text](address)` that Markdown left as words (a space or `javascript:` in the
    address stops it), with its line counted from 0 in `text`."""
    return [
        (match.group(0), line)
        for child, line in _inline_children(text)
        if child.type == "text"
        for match in _LINK_LIKE.finditer(child.content)
    ]


def _inline_children(text: str) -> Iterator[tuple[Token, int]]:
    """Every inline token of `text` (words, links, breaks) with the line it is on."""
    for token in _tokens(text):
        line = token.map[0] if token.map else 0
        for child in token.children or []:
            yield child, line
            if child.type in ("softbreak", "hardbreak"):
                line += 1


def blocks(text: str) -> list[tuple[str, str, int]]:
    """Each paragraph, heading and list item as read aloud (no markup, no URLs): its tag
    (`p`, `h3`, ...), its words, and its line counted from 0 in `text`."""
    tokens = _tokens(text)
    kept = ("text", "code_inline", "softbreak", "hardbreak")
    return [
        (
            tokens[i - 1].tag if i else "p",
            "".join(
                " " if child.type.endswith("break") else child.content
                for child in token.children or ()
                if child.type in kept
            ),
            token.map[0] if token.map else 0,
        )
        for i, token in enumerate(tokens)
        if token.type == "inline"
    ]
