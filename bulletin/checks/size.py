"""Size: Gmail clips a long message and drops a large style sheet."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bulletin.checks.context import CheckContext
from bulletin.checks.rules import Hit, rule

KB = 1024
HTML_BUDGET = 80 * KB  # leaves room for Mailchimp's click tracking, which lengthens every link
GMAIL_CLIP = 102 * KB  # Gmail shows "[Message clipped]" and hides the rest, footer included
GMAIL_CSS = 16 * KB  # Gmail ignores a <style> block larger than this
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)


def _kb(size: int) -> str:
    return f"{size:,} bytes ({size / KB:.0f} KB)"


def html_bytes(ctx: CheckContext) -> int:
    return len(ctx.html.encode("utf-8"))


def css_bytes(html: str) -> int:
    """The size of the CSS in the <style> elements of `html`."""
    return sum(len(css.encode("utf-8")) for css in _STYLE.findall(html))


@rule(
    "html-size-large",
    "warning",
    "HTML of 80 KB or more: near Gmail's 102 KB clip once Mailchimp lengthens the links",
    "split the issue, or shorten it: link to long pieces on the website instead",
)
def html_size_large(ctx: CheckContext) -> Iterator[Hit]:
    """Close to the clip: tracking links grow the message after we measure it."""
    size = html_bytes(ctx)
    if HTML_BUDGET <= size < GMAIL_CLIP:
        yield Hit(f"the HTML is {_kb(size)}; keep it under 80 KB, as Gmail clips at 102 KB")


@rule(
    "html-size-clipped",
    "error",
    "HTML of 102 KB or more: Gmail clips it and hides the footer with the unsubscribe link",
    "split the issue in two, or move long pieces to the website and link to them",
)
def html_size_clipped(ctx: CheckContext) -> Iterator[Hit]:
    """A clipped message hides the unsubscribe link: Gmail readers would have no way out."""
    size = html_bytes(ctx)
    if size >= GMAIL_CLIP:
        yield Hit(f"the HTML is {_kb(size)}; Gmail clips it at 102 KB and hides the footer")


@rule(
    "css-size",
    "warning",
    "over 16 KB of CSS in `<style>` (Gmail ignores all of it)",
    "trim the `<style>` CSS of your templates; CSS in `inline.css.j2` goes on the elements",
)
def css_size(ctx: CheckContext) -> Iterator[Hit]:
    """A warning, not an error: our CSS is inlined on the elements, so <style> holds only the
    mobile adjustments and client fixes; without them the email still reads, less well."""
    size = css_bytes(ctx.html)
    if size > GMAIL_CSS:
        yield Hit(f"the <style> elements hold {_kb(size)} of CSS; Gmail ignores over 16 KB")


RULES = [html_size_large, html_size_clipped, css_size]
