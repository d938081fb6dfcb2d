"""A section's blocks as web HTML: semantic HTML5, no layout tables, no merge tags.

Each section is rendered from its model through its own template, as for the email, into a
handful of MJML elements around ordinary HTML (`mj-text`, `mj-button`, `mj-image`, `mj-column`,
`mj-section`, `mj-raw`). Here those elements become plain HTML (a paragraph, a link styled as a
button, an image) and the email's layout tables (an image beside its text) become `div`s, so
every section type, a project's own too, has a web edition without a second template. Inline
styles are left behind: the web edition's stylesheet does that work. The email HTML itself is
never read.

Merge tags have no reader to fill them in on the web, so the page shows what a reader without
merge data would see: `*|IF:...|*` blocks take their `*|ELSE:|*` branch, `*|FNAME|*` reads
"colleague", and any other tag (and any link that is only a tag) goes.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

from bulletin.compose.interest_blocks import for_reader
from bulletin.compose.merge_tags import BODY, MERGE_TAG

NAME_TAGS = frozenset({"FNAME", "NAME"})  # what "Dear *|FNAME|*" reads on the web
NEUTRAL = "colleague"
_IF = re.compile(rf"\*\|(?:(?P<open>IF|IFNOT):{BODY}|(?P<else>ELSEIF:{BODY}|ELSE:)|END:IF)\|\*")
_VOID = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "source", "col"})
_LAYOUT_PARTS = frozenset({"tbody", "thead", "tr", "td", "th"})
_DROPPED_ATTRS = frozenset(
    {"style", "valign", "cellpadding", "cellspacing", "border", "bgcolor", "align", "role"}
)


def without_blocks(text: str) -> str:
    """Every INTERESTED block shown; IF blocks as for a reader with no merge data."""
    return _resolve_ifs(for_reader(text, None))


def without_merge_tags(text: str) -> str:
    """`text` with "colleague" for a name tag and nothing for any other tag."""
    return MERGE_TAG.sub(lambda m: NEUTRAL if m[1] in NAME_TAGS else "", text)


def _resolve_ifs(text: str) -> str:
    """IF blocks as for a reader whose fields are empty: IF is false, IFNOT true."""
    out: list[str] = []
    stack: list[bool] = []  # whether the open block's current branch shows
    position = 0
    for match in _IF.finditer(text):
        if all(stack):
            out.append(text[position : match.start()])
        position = match.end()
        if match["open"]:
            stack.append(match["open"] == "IFNOT")
        elif match["else"] and stack:
            stack[-1] = not stack[-1] and match["else"] == "ELSE:"
        elif stack:
            stack.pop()
    if all(stack):
        out.append(text[position:])
    return "".join(out)


def web_html(mjml: str) -> str:
    """A section's MJML blocks as web HTML."""
    converter = _Converter()
    converter.feed(without_blocks(mjml))
    converter.close()
    return without_merge_tags("".join(converter.out)).strip()


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.ends: list[str] = []  # what closes each open element, innermost last
        self.tables: list[bool] = []  # for each open table: is it a layout table

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {k: v or "" for k, v in attrs}
        opened, closing = self._start(tag, given)
        self.out.append(opened)
        if tag not in _VOID and not tag.startswith("mj-image"):
            self.ends.append(closing)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {k: v or "" for k, v in attrs}
        opened, closing = self._start(tag, given)
        self.out.append(opened + closing)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag == "mj-image":
            return
        if tag == "table" and self.tables:
            self.tables.pop()
        if self.ends:
            self.out.append(self.ends.pop())

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))

    def _start(self, tag: str, attrs: dict[str, str]) -> tuple[str, str]:
        """The web markup that opens `tag`, and what closes it."""
        if tag.startswith("mj-"):
            return _mjml(tag, attrs)
        if tag == "table":
            layout = attrs.get("role") == "presentation"
            self.tables.append(layout)
            if layout:
                side = " right" if attrs.get("dir") == "rtl" else ""
                return f'<div class="{_classes(attrs) or "layout"}{side}">', "</div>"
        if tag in _LAYOUT_PARTS and self.tables and self.tables[-1]:
            return ('<div class="cell">', "</div>") if tag in ("td", "th") else ("", "")
        if tag == "a" and MERGE_TAG.search(attrs.get("href", "")):
            return "", ""  # a link only a reader's email could fill in: its text stays
        kept = {k: v for k, v in attrs.items() if k not in _DROPPED_ATTRS}
        if tag == "table" and "role" in attrs:
            kept["role"] = attrs["role"]
        return f"<{tag}{_attrs(kept)}>", "" if tag in _VOID else f"</{tag}>"


def _mjml(tag: str, attrs: dict[str, str]) -> tuple[str, str]:
    kind = attrs.get("mj-class", "")
    if tag == "mj-text":
        if kind == "caption":
            return '<p class="caption">', "</p>"
        return ('<div class="box">', "</div>") if kind == "box" else ("", "")
    if tag == "mj-button":
        return f'<p class="button"><a href="{escape(attrs.get("href", ""))}">', "</a></p>"
    if tag == "mj-image":
        width = f' width="{escape(attrs["width"].removesuffix("px"))}"' if "width" in attrs else ""
        src, alt = escape(attrs.get("src", "")), escape(attrs.get("alt", ""))
        img = f'<img src="{src}" alt="{alt}"{width}>'
        if attrs.get("href"):
            img = f'<a href="{escape(attrs["href"])}">{img}</a>'
        return f'<p class="picture">{img}</p>', ""
    if tag == "mj-section":
        return '<div class="row">', "</div>"
    if tag == "mj-column":
        return '<div class="col">', "</div>"
    return "", ""  # mj-raw and the like: their content stays


def _classes(attrs: dict[str, str]) -> str:
    return " ".join(c for c in attrs.get("class", "").split() if re.fullmatch(r"[\w-]+", c))


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
