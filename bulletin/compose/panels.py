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
    put inside it behind a divider. Each run of panels is joined once, at its end."""
    joined: list[str] = []
    first = ""  # the run's first panel as written: kept as it is when nothing joins it
    run: list[str] = []  # the run so far, unclosed: the first panel's section holds the rest

    def end_run() -> None:
        if run:
            joined.append(first if len(run) == 1 else "".join(run) + _CLOSING)
        run.clear()

    for block, joinable in blocks:
        panel = _lone_panel(block) if joinable else None
        if panel is None:
            end_run()
            joined.append(block)
            continue
        kind, unclosed, content = panel
        if run:
            run += [f'<mj-divider mj-class="{DIVIDER_CLASS[kind]}" css-class="dr" />\n', content]
        else:
            first = block
            run.append(unclosed)
    end_run()
    return joined


def _lone_panel(block: str) -> tuple[str, str, str] | None:
    """If `block` is one panel and nothing else: its kind, the block without its closing
    tags, and what its column holds."""
    opened = _OPEN.match(block.lstrip())
    closing = _CLOSE.search(block)
    if opened is None or closing is None or block.count("<mj-section") != 1:
        return None
    unclosed = block[: closing.start()]
    return opened[1], unclosed, unclosed.lstrip()[opened.end() :].lstrip("\n")
