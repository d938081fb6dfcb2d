"""An issue to responsive HTML and its plain-text part.

Jinja builds one MJML document from each section's template, mjml-python renders it, and
css-inline puts our brand CSS on the elements (keeping MJML's media queries). The plain text
comes from the same models through each section's text template (`text.py`), never from the
HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import css_inline
import mjml
from markupsafe import Markup

from bulletin.compose import tables, templating
from bulletin.compose.interest_blocks import END
from bulletin.compose.panels import join_panels
from bulletin.compose.text import render_text
from bulletin.document.issue import Bulletin
from bulletin.errors import SetupError


@dataclass(frozen=True)
class Rendered:
    mjml: str
    html: str
    text: str


def render(bulletin: Bulletin) -> Rendered:
    page = templating.page_context(bulletin)  # once: its calendar links and dark CSS cost
    source = render_mjml(bulletin, page)
    html = mjml_to_html(source, bulletin)
    return Rendered(source, html, render_text(bulletin, page))


def render_mjml(bulletin: Bulletin, page: dict[str, Any]) -> str:
    env = templating.environment(bulletin.project.search_path, "mjml")
    rendered = []
    for section in templating.sections(bulletin, env, "email.mjml.j2", page):
        block = shift_headings(section.text) if section.in_part else section.text
        if section.opens:  # only readers who chose one of the section's groups see it
            block = f"<mj-raw>{section.opens}</mj-raw>\n{block}\n<mj-raw>{END}</mj-raw>"
        rendered.append((block, not section.opens))
    blocks = [Markup(block) for block in join_panels(rendered)]
    uses = {name for name, marker in _USES.items() if any(marker in b for b in blocks)}
    return templating.render(env, "templates/email.mjml.j2", blocks=blocks, uses=uses, **page)


# What the page's media queries are for, and how to tell a block needs them: an issue without
# a table or an image beside its text does not carry their CSS.
_USES = {"tables": f'class="{tables.CLASS}"', "side": 'class="side"'}
_HEADING = re.compile(r"<(/?)h([2-5])\b")


def shift_headings(block: str) -> str:
    """A section under a part's heading, one level down: its h2 an h3 (that still looks like
    a section's heading, class `sh`), its h3 an h4, and so on. A section with no heading of
    its own keeps its levels: its sub-headings already sit right under the part's."""
    if "<h2" not in block:
        return block

    def down(match: re.Match[str]) -> str:
        closing, level = match[1], int(match[2])
        extra = ' class="sh"' if level == 2 and not closing else ""
        return f"<{closing}h{level + 1}{extra}"

    return _HEADING.sub(down, block)


def mjml_to_html(source: str, bulletin: Bulletin) -> str:
    try:
        html: str = mjml.mjml2html(source, disable_comments=True, fonts={})
    except ValueError as err:
        raise SetupError(f"the templates produced invalid MJML: {err}") from None
    env = templating.environment(bulletin.project.search_path, "mjml")
    css = templating.render(env, "templates/inline.css.j2", pub=bulletin.publication)
    inliner = css_inline.CSSInliner(
        inline_style_tags=False,
        keep_style_tags=True,
        load_remote_stylesheets=False,
        extra_css=css,
        minify_css=True,
    )
    try:
        inlined: str = inliner.inline(html)
    except ValueError as err:  # css_inline.InlineError: CSS it cannot read
        reason = " ".join(str(err).split())[:200]
        raise SetupError(f"the email's CSS could not be put on its elements: {reason}") from None
    return compact(inlined)


# Two Outlook-only blocks side by side are one, as mjml's JavaScript compiler makes them
# (mergeOutlookConditionnals); a style's last semicolon is dropped. About 1.7 KB on a large issue.
_OUTLOOK_SEAM = re.compile(r"<!\[endif\]-->\s*?<!--\[if mso \| IE\]>")
# Only inside a tag: text never holds a raw `<`, and an attribute never a raw `"`.
_STYLE_LAST_SEMICOLON = re.compile(r'(<[a-zA-Z][^<>]*? style="[^"<>]*);"')


def compact(html: str) -> str:
    """Drop what no mail client reads: seams between Outlook-only comments, styles' last `;`."""
    return _STYLE_LAST_SEMICOLON.sub(r'\1"', _OUTLOOK_SEAM.sub("", html))
