"""The web pages: an issue's page and a publication's index, through the Jinja templates in
`templates/site/` (autoescaped; a project's own `templates/site/` overrides them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from bulletin.compose import templating
from bulletin.compose.render import shift_headings
from bulletin.document.issue import Bulletin
from bulletin.site.web import web_html


@dataclass(frozen=True)
class WebSection:
    html: Markup
    groups: list[str]  # the preference groups it is for, by name; empty: for every reader


def sections(bulletin: Bulletin, *, public_only: bool) -> list[WebSection]:
    """The issue's sections as web HTML; those for some readers labelled, or left out."""
    env = templating.environment(bulletin.project.search_path, "mjml")
    found = []
    for block in templating.sections(bulletin, env, "email.mjml.j2"):
        groups = bulletin.issue.sections[block.index].for_groups
        if groups and public_only:
            continue
        text = shift_headings(block.text) if block.in_part else block.text
        names = [name.rpartition(":")[2] for name in groups]
        found.append(WebSection(Markup(web_html(text)), names))
    return found


def render_page(bulletin: Bulletin, template: str, **context: Any) -> str:
    env = templating.environment(bulletin.project.search_path, "mjml")
    page = templating.page_context(bulletin)
    return templating.render(env, f"templates/site/{template}", **page, **context)
