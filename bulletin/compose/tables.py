"""Data tables, in one markup wherever they come from: a Markdown pipe table, a `table` block
or the `table` section.

They are real data tables, not layout: a `<caption>` when there is one, `<th scope="col">`
column headings, `<th scope="row">` row labels, and no `role="presentation"` (which would hide
the headings from screen readers). On a phone each row stacks into label and value blocks:
every cell carries its column's heading in a `dl` span, shown only by the media query in
`templates/email.mjml.j2` and hidden from screen readers, which hear the column heading.
The plain text writes each row as "Heading: value" lines.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

CLASS, LABEL_CLASS = "dt", "dl"  # the classes the email's CSS and media query style


@dataclass(frozen=True)
class Cell:
    """A cell's content as HTML (already safe) and as plain text."""

    html: str
    text: str

    @classmethod
    def plain(cls, text: str) -> Cell:
        return cls(html.escape(text, quote=False), text)


@dataclass(frozen=True)
class Grid:
    """A table's content: column headings, rows of (row label or None, cells), a caption."""

    columns: list[Cell] = field(default_factory=list)
    rows: list[tuple[Cell | None, list[Cell]]] = field(default_factory=list)
    caption: str | None = None

    def headings_for(self, label: Cell | None) -> list[Cell]:
        """The heading of each of a row's cells (a label takes the first column's)."""
        return self.columns[1:] if label is not None and self.columns else self.columns


def to_html(grid: Grid) -> str:
    parts = [f'<table class="{CLASS}">']
    if grid.caption:
        parts.append(f"<caption>{html.escape(grid.caption, quote=False)}</caption>")
    if grid.columns:
        heads = "".join(f'<th scope="col">{c.html}</th>' for c in grid.columns)
        parts.append(f"<thead><tr>{heads}</tr></thead>")
    parts.append("<tbody>")
    for label, cells in grid.rows:
        headings = grid.headings_for(label)
        row = [f'<th scope="row">{label.html}</th>'] if label is not None else []
        for i, cell in enumerate(cells):
            name = headings[i].html if i < len(headings) else ""
            shown = (
                f'<span class="{LABEL_CLASS}" aria-hidden="true">{name}</span>'
                if name and cell.text.strip()
                else ""
            )
            row.append(f"<td>{shown}{cell.html}</td>")
        parts.append(f"<tr>{''.join(row)}</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def to_text(grid: Grid) -> str:
    """Each row a paragraph: its label, then "Heading: value" for each cell."""
    paragraphs = [grid.caption] if grid.caption else []
    for label, cells in grid.rows:
        headings = grid.headings_for(label)
        lines = [label.text] if label is not None else []
        for i, cell in enumerate(cells):
            value = cell.text.strip()
            if not value:
                continue
            name = headings[i].text if i < len(headings) else ""
            if not name:
                lines.append(value)
            elif "\n" in value:
                lines.append(f"{name}:\n{value}")
            else:
                lines.append(f"{name}: {value}")
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
