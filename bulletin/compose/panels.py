"""White panels one after another share one `<mj-section>`, with a divider between them.

Each section's template writes its own `<mj-section>`: a white panel with a border at its
foot. MJML turns every section into about 800 bytes of nested tables (and Outlook's copies
of them), while a divider costs about 400. So where two lone panels meet, the second's
section is dropped and a divider stands where the first one's border was, with the same
spacing above and below it: the email looks the same and is smaller (13% for the largest
example, 10 seams).

Only a block that is one plain panel joins: a section for some readers (in its INTERESTED
block), a part's tinted heading or a section of several `<mj-section>`s stays on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_OPEN = re.compile(r'<mj-section mj-class="(panel|panel-items)" css-class="dp">\s*<mj-column>')
_CLOSE = re.compile(r"</mj-column>\s*</mj-section>\s*\Z")
_CLOSING = "</mj-column>\n</mj-section>"

# The divider's mj-class for each kind of panel after it (templates/email.mjml.j2 gives
# each the top padding of that panel, so the space under the line is the panel's own).
DIVIDER_CLASS = {"panel": "seam", "panel-items": "seam-items"}


def join_panels(blocks: Iterable[tuple[str, bool]]) -> list[str]:
    """`blocks` as (MJML, joinable) in order; a joinable lone panel after another one is
    put inside it behind a divider."""
    joined: list[str] = []
    last_is_panel = False
    for block, joinable in blocks:
        body = _lone_panel(block) if joinable else None
        if body is not None and last_is_panel:
            kind, content = body
            divider = f'<mj-divider mj-class="{DIVIDER_CLASS[kind]}" css-class="dr" />'
            joined[-1] = _CLOSE.sub("", joined[-1]) + f"{divider}\n{content}{_CLOSING}"
        else:
            joined.append(block)
        last_is_panel = body is not None
    return joined


def _lone_panel(block: str) -> tuple[str, str] | None:
    """The panel's kind and what its column holds, if `block` is one panel and nothing else."""
    block = block.strip()
    opened = _OPEN.match(block)
    if opened is None or block.count("<mj-section") != 1 or not _CLOSE.search(block):
        return None
    return opened[1], _CLOSE.sub("", block[opened.end() :]).lstrip("\n")
