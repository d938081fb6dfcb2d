"""What the checks read: the models, every text and link in them with its YAML path, the HTML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from bulletin.compose.markdown import located_links
from bulletin.compose.render import Rendered
from bulletin.document.fields import MARKDOWN, URL
from bulletin.document.issue import Bulletin
from bulletin.document.source import Loc


@dataclass(frozen=True)
class TextField:
    """A string from the issue: `kind` is "markdown", "url" or "text"."""

    loc: Loc
    value: str
    kind: str


@dataclass(frozen=True)
class FoundLink:
    """A link a reader sees: from a Markdown body, a Link or resource, or a URL field."""

    loc: Loc
    text: str
    url: str
    line: int | None = None  # its line (from 0) within a Markdown text
    column: int = 0  # and its column (from 0) on that line


@dataclass(frozen=True)
class HtmlTag:
    """A start tag of the HTML, in document order; `text` is what a heading (h1 to h6), a
    table heading (`th`) or a caption says; `table` is the number (from 0) of the innermost
    table it is in, so a table's own cells can be told from a nested table's."""

    name: str
    attrs: dict[str, str]
    text: str = ""
    table: int | None = None


@dataclass
class CheckContext:
    bulletin: Bulletin
    rendered: Rendered
    merge_fields: frozenset[str] = frozenset()  # the target audience's, beyond Mailchimp's own

    @property
    def html(self) -> str:
        return self.rendered.html

    @cached_property
    def tags(self) -> list[HtmlTag]:
        """Every start tag of the HTML; tags inside comments (Outlook's conditionals) are not."""
        return html_tags(self.html)

    @cached_property
    def texts(self) -> list[TextField]:
        """Every string in the issue with its path; the publication's are not included."""
        return list(_walk(self.bulletin.issue, None, ()))

    @cached_property
    def links(self) -> list[FoundLink]:
        found: list[FoundLink] = []
        for field in self.texts:
            if field.kind == "markdown":
                found.extend(
                    FoundLink(field.loc, link.text, link.url, link.line, link.column)
                    for link in located_links(field.value)
                )
            elif field.kind == "url" and field.loc[-1] != "src":  # an image's src is no link
                found.append(FoundLink(field.loc, self._label_of(field.loc), field.value))
        return found

    def _label_of(self, loc: Loc) -> str:
        """The text shown for a URL field: its sibling `text` or `title`, else the URL."""
        parent: Any = self.bulletin.issue
        for part in loc[:-1]:
            parent = parent[part] if isinstance(part, int) else getattr(parent, part)
        for name in ("text", "title"):
            label = getattr(parent, name, None)
            if isinstance(label, str):
                return label
        return str(getattr(parent, str(loc[-1])))


def quoted(text: str, limit: int = 60) -> str:
    """`text` for a message: in quotes, on one line, cut to `limit` characters."""
    flat = " ".join(text.split())
    return f"'{flat if len(flat) <= limit else flat[: limit - 3].rstrip() + '...'}'"


def html_tags(html: str) -> list[HtmlTag]:
    """The start tags of a document or a fragment (a Markdown field's HTML, say)."""
    parser = _TagParser()
    parser.feed(html)
    parser.close()
    return [
        HtmlTag(name, attrs, " ".join("".join(text).split()), table)
        for name, attrs, text, table in parser.found
    ]


class _TagParser(HTMLParser):
    _WORDED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "th", "caption"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str], list[str], int | None]] = []
        self._words: list[str] | None = None  # the text of the open heading
        self._tables: list[int] = []  # the open tables, innermost last
        self._count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text: list[str] = []
        inside = self._tables[-1] if self._tables else None
        self.found.append((tag, {key: value or "" for key, value in attrs}, text, inside))
        if tag in self._WORDED:
            self._words = text
        elif tag == "table":
            self._tables.append(self._count)
            self._count += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._WORDED:
            self._words = None
        elif tag == "table" and self._tables:
            self._tables.pop()

    def handle_data(self, data: str) -> None:
        if self._words is not None:
            self._words.append(data)


def _walk(value: Any, hint: Any, loc: Loc) -> Iterator[TextField]:
    """Yield every string under `value`, typed by the annotation it was validated against."""
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            hint = (
                Annotated[(field.annotation, *field.metadata)]
                if field.metadata
                else field.annotation
            )
            yield from _walk(getattr(value, name), hint, (*loc, name))
    elif isinstance(value, list | tuple):
        item_hint = _item_hint(hint)
        for i, item in enumerate(value):
            yield from _walk(item, item_hint, (*loc, i))
    elif isinstance(value, str):
        yield TextField(loc, value, _kind(hint))


def _kind(hint: Any) -> str:
    for meta in _metadata(hint):
        if meta is MARKDOWN:
            return "markdown"
        if meta is URL:
            return "url"
    return "text"


def _metadata(hint: Any) -> list[Any]:
    origin = get_origin(hint)
    if origin is Annotated:
        args = get_args(hint)
        return [*args[1:], *_metadata(args[0])]
    if origin in (Union, UnionType):
        return [meta for arg in get_args(hint) for meta in _metadata(arg)]
    return []


def _item_hint(hint: Any) -> Any:
    origin = get_origin(hint)
    if origin is Annotated:
        return _item_hint(get_args(hint)[0])
    if origin in (Union, UnionType):
        for arg in get_args(hint):
            found = _item_hint(arg)
            if found is not None:
                return found
        return None
    if origin in (list, tuple):
        return get_args(hint)[0]
    return None
