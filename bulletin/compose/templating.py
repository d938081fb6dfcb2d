"""The two Jinja environments, MJML (autoescaped) and plain text (not), with shared filters;
and the walk over an issue's sections that both the HTML and the plain text make."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from bulletin.calendars.links import CalendarLinks
from bulletin.compose import blocks, email_files, filters, markdown
from bulletin.compose.dark import dark_css
from bulletin.compose.interest_blocks import interest_tag
from bulletin.errors import SetupError

if TYPE_CHECKING:
    from bulletin.document.issue import Bulletin


def _markdown_html(text: str | None) -> Markup:
    return Markup(markdown.to_html(text)) if text else Markup("")


def _markdown_inline(text: str | None) -> Markup:
    return Markup(markdown.inline_html(text)) if text else Markup("")


@cache
def environment(search_path: tuple[Path, ...], kind: str) -> jinja2.Environment:
    """`kind` is "mjml" or "txt"; templates are named like `sections/article/email.mjml.j2`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search_path),
        autoescape=kind == "mjml",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,
        bytecode_cache=_bytecode_cache(),
        finalize=email_files.address,  # a file in the project: where this email shows it
    )
    env.filters.update(filters.ALL)
    if kind == "mjml":
        env.filters["markdown"] = _markdown_html
        env.filters["markdown_inline"] = _markdown_inline
        env.filters.update(blocks.HTML_FILTERS)
    else:
        env.filters["markdown"] = lambda text: markdown.to_text(text) if text else ""
        env.filters["markdown_inline"] = env.filters["markdown"]
        env.filters.update(blocks.TEXT_FILTERS)
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """A cache that cannot be written (read-only, full disk) only makes the next run slower."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling them is most of a cold build."""
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        folder = Path(base) / "bulletin" / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        return None
    # The pattern names how templates are compiled (with `finalize`): code compiled otherwise
    # is never read back.
    return _BytecodeCache(str(folder), pattern="__bulletin_f1_%s.cache")


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render a template; a broken one (a user's override, say) is one line naming it."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as err:
        raise SetupError(f"{err.filename or err.name}:{err.lineno}: {err.message}") from None
    except jinja2.TemplateError as err:
        raise SetupError(f"{name}: {type(err).__name__}: {err}") from None


def page_context(bulletin: Bulletin) -> dict[str, Any]:
    """What every template sees: the issue, its publication, `calendar_links(item)` (the
    "Add to calendar" links of each session of a dated item) and `web_page` (or None)."""
    return {
        "issue": bulletin.issue,
        "pub": bulletin.publication,
        "calendar_links": CalendarLinks(bulletin),
        "web_page": _web_page(bulletin),
        "dark_css": dark_css(bulletin.publication),
    }


def _web_page(bulletin: Bulletin) -> str | None:
    """The issue's page in the web edition, when the publication has a `site_url`."""
    base = bulletin.publication.site_base
    return f"{base}{bulletin.path.stem}/" if base else None


@dataclass(frozen=True)
class SectionBlock:
    """A section rendered: its place in the issue (from 0), its text, the INTERESTED tag that
    opens it for some readers (empty: every reader sees it), and whether it stands in a part
    (under a part's heading)."""

    index: int
    text: str
    opens: str
    in_part: bool


def sections(
    bulletin: Bulletin,
    env: jinja2.Environment,
    template: str,
    page: dict[str, Any] | None = None,
) -> Iterator[SectionBlock]:
    """Each section rendered through its `template`; one that renders to nothing (a part
    without a heading, which only ends a part) is left out. `page` is the `page_context` when
    the caller has one: the HTML and the text of one render share its calendar links."""
    context = page_context(bulletin) if page is None else page
    in_part = False
    for index, s in enumerate(bulletin.issue.sections):
        block = render(env, f"sections/{s.type}/{template}", section=s, **context)
        if s.type == PART:
            in_part = bool(getattr(s, "heading", None))
        if not block.strip():
            continue
        opens = interest_tag(bulletin.readers, s.for_groups) if s.for_groups else ""
        yield SectionBlock(index, block, opens, in_part and s.type != PART)


PART = "part"  # the section type whose heading stands over the sections after it
