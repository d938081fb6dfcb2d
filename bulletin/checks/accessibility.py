"""Checks: accessibility. Screen readers and low vision: headings, contrast, language, capitals."""

from __future__ import annotations

import math
from collections.abc import Iterator

from bulletin.checks.context import CheckContext, HtmlTag, html_tags, quoted
from bulletin.checks.rules import Hit, rule
from bulletin.compose.markdown import blocks, to_html
from bulletin.document.colours import contrast_ratio
from bulletin.document.source import Loc, Source

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CONTRAST = 4.5  # WCAG 2.1 AA for body text; h3 headings (18px) are not "large" text
# (text colour, background colour, where the layout puts the one on the other): the pairs
# templates/email.mjml.j2, inline.css.j2, macros.mjml.j2 and the icon and notice blocks use.
_PAIRS = (
    ("text", "panel", "body text"),
    ("link", "panel", "links"),
    ("primary", "panel", "headings"),
    ("on_primary", "primary", "the title and buttons"),
    ("text", "accent", "boxed notices and the ICON box"),
    ("primary", "accent", "headings of boxed notices and the ICON letters"),
    ("link", "accent", "links in boxed notices"),
    ("text", "background", "the footer"),
    ("link", "background", "the footer's links"),
)
# The same for dark mode (bulletin/compose/dark.py): panels and the page share the background.
_DARK_PAIRS = (
    ("text", "background", "dark mode's body text"),
    ("link", "background", "dark mode's links"),
    ("primary", "background", "dark mode's headings"),
    ("text", "accent", "dark mode's title and boxed notices"),
    ("primary", "accent", "dark mode's headings of boxed notices"),
    ("link", "accent", "dark mode's links in boxed notices"),
)
# A paragraph in capitals: this many words and letters, this share of them upper case.
# Four words let a short heading or a run of acronyms ("ICON COVID RESOURCES") pass.
_CAPS_WORDS, _CAPS_LETTERS, _CAPS_SHARE = 4, 20, 0.8


@rule(
    "heading-order",
    "error",
    "the HTML has no single `<h1>`, or a heading skips a level going down (h2 to h4)",
    "in Markdown start with `#` (it sits under the section's heading), then `##` under that; "
    "give a first section of events, courses or webinars a `heading`",
)
def heading_order(ctx: CheckContext) -> Iterator[Hit]:
    """Screen-reader users move by headings: a skipped level or a second title loses them."""
    headings = [(int(tag.name[1]), tag.text) for tag in ctx.tags if tag.name in _HEADINGS]
    titles = [text for level, text in headings if level == 1]
    if not titles:
        yield Hit("the HTML has no <h1> heading: the issue's title should be one")
    for text in titles[1:]:
        yield _heading_hit(ctx, text, f"a second <h1> heading {quoted(text)}: keep one, the title")
    above = 1
    for level, text in headings:
        if level > above + 1:
            message = (
                f"heading {quoted(text)} is an <h{level}> under an <h{above}>: it skips a level"
            )
            if above == 1:  # under the title: its section, first of the issue, has no heading
                message += "; give its section a `heading`"
            yield _heading_hit(ctx, text, message)
        above = level


def _heading_hit(ctx: CheckContext, text: str, message: str) -> Hit:
    """`message` where the heading came from: the Markdown text holding it (at its line when
    it is a `#` heading), or a field that says it; else nowhere in particular."""
    # By its words: under a part's heading a Markdown heading is a level lower than written.
    for field in ctx.texts:
        if field.kind == "markdown" and any(
            t.name in _HEADINGS and t.text == text for t in html_tags(to_html(field.value))
        ):
            places = (
                p for t, words, p in blocks(field.value) if t in _HEADINGS and _same(words, text)
            )
            place = next(places, None)
            if place is None:
                return Hit(message, field.loc)
            return Hit(message, field.loc, line=place.line, column=place.column)
    for field in ctx.texts:
        if field.kind == "text" and _same(field.value, text):
            return Hit(message, field.loc)
    return Hit(message)


def _same(words: str, text: str) -> bool:
    return " ".join(words.split()) == text


@rule(
    "colour-contrast",
    "error",
    "a pair of publication colours the layout puts together (text on panel, link on accent, "
    "..., in light and in dark mode) has a contrast ratio below 4.5:1",
    "darken the text colour or lighten the background in the publication's `colours` (or "
    "`colours.dark`; check with a contrast checker)",
)
def colour_contrast(ctx: CheckContext) -> Iterator[Hit]:
    """Low contrast is unreadable for people with low vision, and on a phone in daylight."""
    colours = ctx.bulletin.publication.colours
    source = ctx.bulletin.publication_source
    for fore, back, where in _PAIRS:
        ratio = contrast_ratio(getattr(colours, fore), getattr(colours, back))
        if ratio < _CONTRAST:
            values = (getattr(colours, fore), getattr(colours, back))
            yield _contrast_hit((fore, back), values, ratio, where, ("colours", fore), source)
    dark, given = colours.dark_palette, colours.dark
    for fore, back, where in _DARK_PAIRS:
        ratio = contrast_ratio(getattr(dark, fore), getattr(dark, back))
        if ratio < _CONTRAST:
            # At the colour given in the YAML; a derived one at what it was derived from.
            named = next((n for n in (fore, back) if given and getattr(given, n)), None)
            loc = ("colours", "dark", named) if named else ("colours", "dark" if given else fore)
            names = (f"colours.dark.{fore}", f"colours.dark.{back}")
            values = (getattr(dark, fore), getattr(dark, back))
            yield _contrast_hit(names, values, ratio, where, loc, source)


def _contrast_hit(
    names: tuple[str, str],
    values: tuple[str, str],
    ratio: float,
    where: str,
    loc: Loc,
    source: Source | None,
) -> Hit:
    shown = math.floor(ratio * 100) / 100  # never rounded up to a pass
    return Hit(
        f"{names[0]} {values[0]} on {names[1]} {values[1]} ({where}) has a contrast ratio of "
        f"{shown:.2f}:1, below the 4.5:1 WCAG asks for",
        loc,
        source=source,
    )


@rule(
    "html-lang",
    "error",
    "the `<html>` element has no `lang` or no `dir`",
    "keep `lang` and `dir` on `<mjml>` in your `templates/email.mjml.j2`; "
    "set the publication's `language`",
)
def html_lang(ctx: CheckContext) -> Iterator[Hit]:
    """Without `lang` a screen reader reads English words with another language's voice."""
    root = next((tag for tag in ctx.tags if tag.name == "html"), None)
    if root is None:
        yield Hit("the HTML has no <html> element to carry lang and dir")
        return
    for attribute in ("lang", "dir"):
        if not root.attrs.get(attribute):
            yield Hit(f"the <html> element has no {attribute} attribute")


@rule(
    "caps-paragraph",
    "warning",
    "a paragraph or plain field written in capitals (4 words and 20 letters or more, "
    "80% of the letters capitals)",
    "write it in sentence case; use **bold** for what must stand out",
)
def caps_paragraph(ctx: CheckContext) -> Iterator[Hit]:
    """Screen readers may spell capitals out letter by letter, and capitals read as shouting."""
    for field in ctx.texts:
        if field.kind == "url":
            continue
        if field.kind != "markdown":
            if _in_capitals(field.value):
                yield Hit(f"written in capitals: {quoted(field.value)}", field.loc)
            continue
        for _, words, place in blocks(field.value):
            if _in_capitals(words):
                yield Hit(
                    f"written in capitals: {quoted(words)}",
                    field.loc,
                    line=place.line,
                    column=place.column,
                )


def _in_capitals(text: str) -> bool:
    """Counted with `filter` and `map` (a fifth of the time of a loop in Python), and words
    only for the few texts whose letters are capitals."""
    letters = "".join(filter(str.isalpha, text))
    if len(letters) < _CAPS_LETTERS or sum(map(str.isupper, letters)) < _CAPS_SHARE * len(letters):
        return False
    return sum(1 for word in text.split() if any(map(str.isalpha, word))) >= _CAPS_WORDS


@rule(
    "layout-table-role",
    "error",
    'a layout `<table>` without `role="presentation"`, or a data table (one with `<th>` '
    "headings or a `<caption>`) that hides them with that role or has a `<th>` without `scope`",
    'add `role="presentation"` to the layout tables of your templates; give a data table no '
    'role and each `<th>` a `scope="col"` or `scope="row"` (Markdown and `table` do)',
)
def layout_table_role(ctx: CheckContext) -> Iterator[Hit]:
    """A screen reader announces a table's rows and columns unless it is marked as layout; a
    data table needs the opposite: its headings announced with every cell."""
    tables = [tag for tag in ctx.tags if tag.name == "table"]
    own: list[list[HtmlTag]] = [[] for _ in tables]
    for tag in ctx.tags:
        if tag.table is not None and tag.table < len(own):
            own[tag.table].append(tag)
    for number, (table, inside) in enumerate(zip(tables, own, strict=True), 1):
        role = table.attrs.get("role")
        headings = [tag for tag in inside if tag.name == "th"]
        where = f"table {number} of {len(tables)} in the HTML"
        if headings or any(tag.name == "caption" for tag in inside):
            if role in ("presentation", "none"):
                yield Hit(
                    f"{where} is a data table (it has headings or a caption), but "
                    f"role={quoted(role)} hides them from screen readers: take the role off"
                )
            unscoped = [th for th in headings if th.attrs.get("scope") not in _SCOPES]
            if unscoped:
                yield Hit(
                    f"{where} is a data table, but its heading {quoted(unscoped[0].text)} "
                    'has no scope: write scope="col" (or "row") on each <th>'
                )
        elif role != "presentation":
            has = f"role={quoted(role)}" if role else "no role"
            yield Hit(f"{where} has {has}, not presentation")


_SCOPES = frozenset({"col", "row", "colgroup", "rowgroup"})


RULES = [heading_order, colour_contrast, html_lang, caps_paragraph, layout_table_role]
