"""A report written out for the board: CSV tables, JSON, charts (SVG, PNG) and an HTML page.

Every file is written whole or not at all. CSV cells that a spreadsheet would run as a formula
(`=`, `+`, `-`, `@` first: an organisation name is whatever a reader typed) are quoted with a
leading `'`. The HTML page escapes everything and runs no script; its charts are the same SVGs,
inside it as images.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2

from bulletin.files import write_atomically
from bulletin.reports import charts
from bulletin.reports.figures import GroupRow, IssueReport
from bulletin.reports.period import Period
from bulletin.reports.text import NOT_MEASURED, OPENS_CAVEAT, not_measured

GROUP_HEADINGS = ["recipients", "delivered", "opened", "clicked", "click rate %", "unsubscribed",
                  "most used section", "groups merged"]  # fmt: skip
SECTION_HEADINGS = ["position", "section", "type", "line", "clicks", "readers who clicked",
                    "shares a link"]  # fmt: skip


def cell(value: Any) -> Any:
    """A CSV cell: "not measured" for None, a formula-looking text defused, numbers as they are."""
    if value is None:
        return NOT_MEASURED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def summary_rows(report: IssueReport) -> list[tuple[str, Any]]:
    t = report.totals
    return [
        ("issue", report.issue),
        ("title", report.title),
        ("campaign", report.campaign_id),
        ("audience", report.audience),
        ("sent at (UTC)", report.send_time),
        ("emails sent", t.emails_sent),
        ("delivered", t.delivered),
        ("hard bounces", t.hard_bounces),
        ("soft bounces", t.soft_bounces),
        ("unsubscribes", t.unsubscribes),
        ("abuse reports", t.abuse_reports),
        ("opened (unique)", t.unique_opens),
        ("open rate % of delivered", pct(t.open_rate)),
        ("clicked (unique)", t.clicked),
        ("click rate % of delivered", pct(t.click_rate)),
        ("clicks", t.clicks_total),
        ("organisations reached", report.organisations),
        ("opens tracked", report.tracking.get("opens", False)),
        ("clicks tracked", report.tracking.get("clicks", False)),
    ]


def section_rows(report: IssueReport) -> list[list[Any]]:
    return [
        [s.index or "", s.heading, s.type or "as sent", s.line or "",
         s.clicks, s.readers, s.shared]
        for s in report.sections
    ]  # fmt: skip


def group_rows(rows: Sequence[GroupRow]) -> list[list[Any]]:
    return [
        [g.name, g.recipients, g.delivered, g.opened, g.clicked, pct(g.click_rate),
         g.unsubscribed, g.top_section, g.merged]
        for g in rows
    ]  # fmt: skip


def issue_json(report: IssueReport) -> dict[str, Any]:
    t = report.totals
    rates = {"delivered": t.delivered, "open_rate": t.open_rate, "click_rate": t.click_rate}
    return {**report.to_json(), "computed": rates, "opens_caveat": OPENS_CAVEAT}


def write_issue(report: IssueReport, out: Path) -> list[Path]:
    """The issue's report as `<issue>-report.*` files in `out`; the paths written."""
    stem = f"{Path(report.issue).stem}-report"
    svg, png = charts.sections_chart(
        [("", s) for s in report.sections if s.index is not None and s.readers],
        f"{report.title}: readers who clicked, by section",
    )
    files: dict[Path, str | bytes] = {
        out / f"{stem}-summary.csv": csv_text(["measure", "value"], summary_rows(report)),
        out / f"{stem}-sections.csv": csv_text(SECTION_HEADINGS, section_rows(report)),
        out / f"{stem}-organisations.csv": csv_text(
            ["organisation", *GROUP_HEADINGS], group_rows(report.by_organisation)
        ),
        out / f"{stem}-partner-lists.csv": csv_text(
            ["partner list", *GROUP_HEADINGS], group_rows(report.by_partner_list)
        ),
        out / f"{stem}.json": json.dumps(issue_json(report), ensure_ascii=False, indent=1),
        out / f"{stem}-sections.svg": svg,
        out / f"{stem}-sections.png": png,
    }
    files[out / f"{stem}.html"] = page(
        title=f"{report.title}: what it reached",
        reports=[report],
        period=None,
        charts={"Readers who clicked, by section": svg},
    )
    write_atomically(files, shared=True)
    return list(files)


def write_period(period: Period, out: Path) -> list[Path]:
    """The period's report as `report-<from>-<to>*` files in `out`; the paths written."""
    stem = f"report-{period.start}-{period.end}"
    title = f"Issues sent from {period.start} to {period.end}"
    reach_svg, reach_png = charts.reach_chart(period.reports, f"{title}: reach and clicks")
    top_svg, top_png = charts.sections_chart(
        [(f"{r.date} ", s) for r, s in period.top_sections()], f"{title}: most used sections"
    )
    files: dict[Path, str | bytes] = {
        out / f"{stem}-issues.csv": csv_text(
            ["date", *(name for name, _ in summary_rows(period.reports[0]))]
            if period.reports
            else ["date"],
            [[r.date, *(value for _, value in summary_rows(r))] for r in period.reports],
        ),
        out / f"{stem}-sections.csv": csv_text(
            ["date", "issue", *SECTION_HEADINGS],
            [[r.date, r.issue, *row] for r in period.reports for row in section_rows(r)],
        ),
        out / f"{stem}-organisations.csv": csv_text(
            ["date", "issue", "organisation", *GROUP_HEADINGS],
            [
                [r.date, r.issue, *row]
                for r in period.reports
                for row in group_rows(r.by_organisation)
            ],
        ),
        out / f"{stem}-partner-lists.csv": csv_text(
            ["date", "issue", "partner list", *GROUP_HEADINGS],
            [
                [r.date, r.issue, *row]
                for r in period.reports
                for row in group_rows(r.by_partner_list)
            ],
        ),
        out / f"{stem}.json": json.dumps(period_json(period), ensure_ascii=False, indent=1),
        out / f"{stem}-reach.svg": reach_svg,
        out / f"{stem}-reach.png": reach_png,
        out / f"{stem}-sections.svg": top_svg,
        out / f"{stem}-sections.png": top_png,
    }
    files[out / f"{stem}.html"] = page(
        title=title,
        reports=period.reports,
        period=period,
        charts={"Reach and clicks per issue": reach_svg, "Most used sections": top_svg},
    )
    write_atomically(files, shared=True)
    return list(files)


def period_json(period: Period) -> dict[str, Any]:
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "issues": [issue_json(r) for r in period.reports],
        "most_used_sections": [
            {
                "date": r.date,
                "issue": r.issue,
                "section": s.heading,
                "type": s.type,
                "readers": s.readers,
                "clicks": s.clicks,
            }
            for r, s in period.top_sections()
        ],
        "by_section_type": [
            {"type": kind, "sections": n, "readers": readers, "clicks": clicks}
            for kind, n, readers, clicks in period.by_type()
        ],
        "notes": period.notes,
        "left_out": period.left_out,
        "opens_caveat": OPENS_CAVEAT,
    }


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(
    *, title: str, reports: Sequence[IssueReport], period: Period | None, charts: dict[str, str]
) -> str:
    """The HTML page: the same tables and charts, readable in any browser, with no script."""
    images = {
        name: "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        for name, svg in charts.items()
    }
    return _ENV.get_template("page.html.j2").render(
        title=title,
        reports=reports,
        period=period,
        images=images,
        caveat=OPENS_CAVEAT,
        not_measured=not_measured,
        pct=pct,
        missing=NOT_MEASURED,
    )
