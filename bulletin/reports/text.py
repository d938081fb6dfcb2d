"""Reports as the terminal shows them: aligned plain-text tables an officer can paste anywhere.

A figure that was not measured (tracking off) reads "not measured", never 0; opens carry their
caveat wherever they appear.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bulletin.campaigns.sendtime import local, parse_iso
from bulletin.reports.figures import GroupRow, IssueReport, SectionRow
from bulletin.reports.groups import SMALLEST

if TYPE_CHECKING:
    from bulletin.reports.period import Period

OPENS_CAVEAT = (
    "Opens overstate reading: Apple Mail's privacy protection opens every email it receives, "
    "so clicks are the reliable signal."
)
NOT_MEASURED = "not measured"


def number(value: int | None) -> str:
    return NOT_MEASURED if value is None else f"{value:,}"


def percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def table(headings: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Columns padded to their widest cell; those in `right` (numbers) aligned right."""
    lines = [list(headings), *(list(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(headings))]
    out = []
    for line in lines:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def sent_on(send_time: str) -> str:
    """The send time as the officer's clock read it."""
    try:
        moment = parse_iso(send_time)
    except ValueError:
        moment = None
    return local(moment) if moment else "at a time Mailchimp does not give"


def not_measured(report: IssueReport) -> list[str]:
    """One line per figure the campaign's tracking left out."""
    lines = []
    if not report.tracking.get("opens"):
        lines.append("Opens were not measured: open tracking was off for this campaign.")
    if not report.tracking.get("clicks"):
        lines.append("Clicks were not measured: click tracking was off for this campaign.")
    return lines


def issue_text(report: IssueReport) -> str:
    t = report.totals
    lines = [
        f"{report.title} ({report.issue}), sent {sent_on(report.send_time)}",
        f"campaign {report.campaign_id} to {report.audience}",
        "",
        *table(
            ("", "", ""),
            [
                ("emails sent", number(t.emails_sent), ""),
                ("delivered", number(t.delivered), f"bounces: {t.hard_bounces:,} hard, "
                 f"{t.soft_bounces:,} soft"),
                ("opened (unique)", number(t.unique_opens), _of(t.open_rate, "delivered", "*")),
                ("clicked (unique)", number(t.clicked), _of(t.click_rate, "delivered")),
                ("clicks", number(t.clicks_total), ""),
                ("unsubscribes", number(t.unsubscribes), ""),
                ("abuse reports", number(t.abuse_reports), ""),
            ],
            {1},
        )[1:],
        f"* {OPENS_CAVEAT}",
        *not_measured(report),
        "",
        f"{_reach(t.delivered, report.organisations)}."
        + (f" Most used section: {report.most_used.heading}." if report.most_used else ""),
    ]  # fmt: skip
    lines += ["", "Clicks by section", *section_lines(report.sections, report)]
    lines += ["", f"By organisation (groups under {SMALLEST} people are merged)"]
    lines += group_lines(report.by_organisation, "ORGANISATION")
    if report.by_partner_list:
        lines += ["", "By partner list", *group_lines(report.by_partner_list, "PARTNER LIST")]
    if report.notes:
        lines += ["", *(f"note: {n}" for n in report.notes)]
    return "\n".join(lines)


def _of(value: float | None, whole: str, mark: str = "") -> str:
    return f"{percent(value)} of {whole}{mark}" if value is not None else ""


def section_lines(sections: Sequence[SectionRow], report: IssueReport) -> list[str]:
    if not report.tracking.get("clicks"):
        return ["not measured: click tracking was off"]
    if not sections:
        return ["no links were clicked"]
    rows = [
        (
            str(s.index) if s.index is not None else "",
            (s.heading + (" +" if s.shared else ""))[:60],
            s.type or "as sent",
            str(s.line) if s.line else "",
            number(s.clicks),
            number(s.readers),
        )
        for s in sections
    ]
    lines = table(("#", "SECTION", "TYPE", "LINE", "CLICKS", "READERS"), rows, {0, 3, 4, 5})
    for link in report.shared_links:
        where = ", ".join(f"#{i}" for i in link.sections)
        lines.append(
            f"+ shared by sections {where}, counted once: {link.url} "
            f"({link.clicks:,} clicks, {link.readers:,} readers)"
        )
    return lines


def group_lines(groups: Sequence[GroupRow], heading: str) -> list[str]:
    if not groups:
        return ["no readers to count"]
    rows = [
        (
            g.name + (f" ({g.merged})" if g.merged else ""),
            number(g.recipients),
            number(g.delivered),
            number(g.opened),
            number(g.clicked),
            percent(g.click_rate),
            number(g.unsubscribed),
            g.top_section[:40],
        )
        for g in groups
    ]
    headings = (heading, "RECIPIENTS", "DELIVERED", "OPENED", "CLICKED", "CLICK RATE", "UNSUBS",
                "MOST USED SECTION")  # fmt: skip
    return table(headings, rows, {1, 2, 3, 4, 5, 6})


def period_text(period: Period) -> str:
    head = f"Issues sent from {period.start} to {period.end}"
    if not period.reports:
        lines = [head, "no issue of this project was sent in that period"]
        return "\n".join(lines + [f"left out: {x}" for x in period.left_out])
    rows = [
        (
            r.date,
            r.issue,
            number(r.totals.emails_sent),
            number(r.totals.delivered),
            number(r.totals.unique_opens),
            number(r.totals.clicked),
            percent(r.totals.click_rate),
            number(r.totals.unsubscribes),
            (r.most_used.heading if r.most_used else "")[:40],
        )
        for r in period.reports
    ]
    headings = ("DATE", "ISSUE", "SENT", "DELIVERED", "OPENED*", "CLICKED", "CLICK RATE", "UNSUBS",
                "MOST USED SECTION")  # fmt: skip
    lines = [head, "", *table(headings, rows, {2, 3, 4, 5, 6, 7}), f"* {OPENS_CAVEAT}"]
    if any(not r.tracking.get("opens") or not r.tracking.get("clicks") for r in period.reports):
        lines.append(f"'{NOT_MEASURED}': that issue's campaign was sent with that tracking off.")
    top = period.top_sections()
    if top:
        lines += ["", "Most used sections (readers who clicked)"]
        lines += table(
            ("DATE", "SECTION", "TYPE", "READERS", "CLICKS"),
            [(r.date, s.heading[:60], s.type, number(s.readers), number(s.clicks)) for r, s in top],
            {3, 4},
        )
        lines += ["", "By section type"]
        lines += table(
            ("TYPE", "SECTIONS", "READERS", "CLICKS"),
            [(kind, f"{n:,}", f"{readers:,}", f"{clicks:,}") for kind, n, readers, clicks
             in period.by_type()],
            {1, 2, 3},
        )  # fmt: skip
    lines += ["", "By organisation, summed over the issues (readers once an issue)"]
    lines += group_lines(period.by_organisation(), "ORGANISATION")
    partners = period.by_partner_list()
    if partners:
        lines += ["", "By partner list, summed over the issues"]
        lines += group_lines(partners, "PARTNER LIST")
    lines += [f"note: {n}" for n in period.notes]
    lines += [f"left out: {x}" for x in period.left_out]
    return "\n".join(lines)


def _reach(people: int, organisations: int) -> str:
    """`Reached 18 people in 4 organisations`; with no reader's organisation known, no count."""
    reached = f"Reached {people:,} {'person' if people == 1 else 'people'}"
    if not organisations:
        return f"{reached} (no reader's organisation is known)" if people else reached
    return f"{reached} in {organisations:,} organisation{'s' * (organisations != 1)}"
