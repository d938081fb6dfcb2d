"""Charts for the annual report: reach and clicks per issue, and the most used sections.

Made with matplotlib (imported only here, and only when charts are asked for: it costs half a
second) on its Agg backend, without pyplot, so nothing needs a display. Each chart is written
as SVG (text kept as text, for editing and screen readers) and PNG (for Word and slides),
the same from the same figures: no dates or random ids inside.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from bulletin.reports.figures import IssueReport, SectionRow

COLOURS = ("#1d4f91", "#7aa6d8", "#e07b39")  # delivered / opened / clicked: dark, light, warm
LONGEST_LABEL = 48


def label(text: str, longest: int = LONGEST_LABEL) -> str:
    """A label as written: cut to fit, and no `$` read as mathematics."""
    flat = " ".join(text.split())
    if len(flat) > longest:
        flat = flat[: longest - 1].rstrip() + "…"
    return flat.replace("$", r"\$")


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return figure


def _save(figure: Any) -> tuple[str, bytes]:
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "bulletin"}):
        svg = io.StringIO()
        figure.savefig(svg, format="svg", metadata={"Date": None})
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=150, metadata={"Software": None})
    return svg.getvalue(), png.getvalue()


def sections_chart(rows: Sequence[tuple[str, SectionRow]], title: str) -> tuple[str, bytes]:
    """Horizontal bars: readers who clicked each section (`rows`: label prefix, section)."""
    from matplotlib.ticker import MaxNLocator

    shown = list(rows)[:12]
    figure = _figure(8, 1.2 + 0.42 * max(1, len(shown)))
    axes = figure.add_subplot()
    names = [label(f"{prefix}{s.heading}") for prefix, s in shown][::-1]
    readers = [s.readers or 0 for _, s in shown][::-1]
    bars = axes.barh(range(len(shown)), readers, color=COLOURS[0])
    axes.set_yticks(range(len(shown)), names)
    axes.bar_label(bars, labels=[f"{n:,}" for n in readers], padding=3)
    axes.set_xlabel("readers who clicked a link in the section")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(label(title, 90), loc="left")
    _plain(axes)
    if not shown:
        axes.text(0.5, 0.5, "no clicks", ha="center", va="center", transform=axes.transAxes)
    return _save(figure)


def reach_chart(reports: Sequence[IssueReport], title: str) -> tuple[str, bytes]:
    """Grouped bars per issue: delivered, opened (with the caveat) and clicked."""
    from matplotlib.ticker import MaxNLocator

    figure = _figure(max(6.0, 1.1 * len(reports) + 2), 4.5)
    axes = figure.add_subplot()
    width = 0.27
    series: list[tuple[str, list[int | None]]] = [
        ("delivered", [r.totals.delivered for r in reports]),
        ("opened (overstated by Apple Mail)", [r.totals.unique_opens for r in reports]),
        ("clicked a link", [r.totals.clicked for r in reports]),
    ]
    for n, (name, values) in enumerate(series):
        xs = [i + (n - 1) * width for i in range(len(reports))]
        measured = [v or 0 for v in values]
        axes.bar(xs, measured, width, label=name, color=COLOURS[n])
        for x, value in zip(xs, values, strict=True):
            if value is None:
                axes.text(x, 0, "not\nmeasured", ha="center", va="bottom", fontsize=7)
    axes.set_xticks(range(len(reports)), [label(r.date) for r in reports], rotation=30)
    axes.set_xlim(-0.6, max(1, len(reports)) - 0.4)
    axes.set_ylabel("people")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(label(title, 90), loc="left")
    axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, fontsize=8)
    _plain(axes)
    return _save(figure)


def _plain(axes: Any) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
