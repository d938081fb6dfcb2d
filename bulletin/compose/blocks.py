"""The writer's order made into email: blocks grouped into what MJML can hold, tables from
their models, and a bold lead sentence run into the text after it.

MJML puts text in `<mj-text>`, images in `<mj-image>` and buttons in `<mj-button>`; each costs
its wrapper markup, so consecutive text-like blocks (text, steps, a table, a contact card, an
image beside its text) share one `<mj-text>`. The templates (`templates/blocks.*.j2`) do the
rest; the filters here are registered by `templating.py`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from markupsafe import Markup

from bulletin.compose import markdown, tables
from bulletin.document.blocks import Block, Row, Table, plain_text

FLOW = "flow"  # a run of blocks that go in one <mj-text>


@dataclass(frozen=True)
class Beside:
    """An image shown beside the text block written after it (stacked on a phone)."""

    image: Block
    text: Block
    kind: str = "beside"


def runs(blocks: list[Block] | None) -> list[tuple[str, list[Block | Beside]]]:
    """The blocks in order, as ("flow", [...]), ("image", [block]) or ("button", [block])."""
    out: list[tuple[str, list[Block | Beside]]] = []
    items = list(blocks or [])
    i = 0
    while i < len(items):
        block = items[i]
        item: Block | Beside = block
        if block.image is not None and block.image.beside and i + 1 < len(items):
            item, i = Beside(block, items[i + 1]), i + 1
        kind = block.kind if block.kind in ("image", "button") and item is block else FLOW
        if kind == FLOW and out and out[-1][0] == FLOW:
            out[-1][1].append(item)
        else:
            out.append((kind, [item]))
        i += 1
    return out


def table_grid(table: Table, *, as_html: bool) -> tables.Grid:
    def cell(text: str) -> tables.Cell:
        return tables.Cell(markdown.to_html(text) if as_html else "", markdown.to_text(text))

    rows: list[tuple[tables.Cell | None, list[tables.Cell]]] = []
    for row in table.rows:
        label = tables.Cell.plain(row.label) if row.label else None
        cells = [_list_cell(row, as_html)] if row.has_list_cell else [cell(c) for c in row.cells]
        rows.append((label, cells))
    return tables.Grid([tables.Cell.plain(c) for c in table.columns], rows, table.caption)


def _list_cell(row: Row, as_html: bool) -> tables.Cell:
    points = row.points
    text = lead_body_text(row.lead, row.body)
    text_points = "\n".join(f"- {markdown.to_text(p)}" for p in points)
    words = "\n".join(part for part in (text, text_points) if part)
    if not as_html:
        return tables.Cell("", words)
    items = "".join(f"<li>{markdown.inline_html(p)}</li>" for p in points)
    markup = lead_body_html(row.lead, row.body) + (f"<ul>{items}</ul>" if items else "")
    return tables.Cell(markup, words)


def table_html(table: Table) -> Markup:
    return Markup(tables.to_html(table_grid(table, as_html=True)))


def table_text(table: Table) -> str:
    return tables.to_text(table_grid(table, as_html=False))


def lead_body_html(lead: str | None, body: str | None) -> str:
    """`<p><strong>Lead.</strong> Body</p>`: the lead runs into a one-paragraph body."""
    body_html = markdown.to_html(body) if body else ""
    if not lead:
        return body_html
    strong = f"<strong>{html.escape(lead, quote=False)}</strong>"
    if body_html.startswith("<p>") and body_html.count("<p>") == 1 and body_html.endswith("</p>"):
        return f"<p>{strong} {body_html[3:]}"
    return f"<p>{strong}</p>{body_html}"


def lead_body_text(lead: str | None, body: str | None) -> str:
    body_text = markdown.to_text(body) if body else ""
    if lead and body_text and "\n" not in body_text:
        return f"{lead} {body_text}"
    return "\n\n".join(part for part in (lead or "", body_text) if part)


HTML_FILTERS = {
    "block_runs": runs,
    "plain_text": plain_text,
    "table_html": table_html,
    "lead_body": lambda lead, body=None: Markup(lead_body_html(lead, body)),
}
TEXT_FILTERS = {
    "block_runs": runs,
    "plain_text": plain_text,
    "table_text": table_text,
    "lead_body": lead_body_text,
}
