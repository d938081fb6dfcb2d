"""`bulletin report --from --to`: every issue the project sent in a period, for the board.

The issues are the campaigns Mailchimp holds as sent in the period in the project's audiences
and titled by `push` (`bulletin:<publication>:<issue>`), so a lost ledger loses none of them;
the ledger, else a search of the project, finds each one's file. Reports kept in the project's
state cost no call: a year of settled issues costs one call per audience.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bulletin.campaigns.push import Dispatcher
from bulletin.campaigns.sendtime import zone
from bulletin.document.audiences import Audience, require_audiences
from bulletin.document.project import relative_path
from bulletin.document.source import load as load_yaml
from bulletin.errors import BulletinError, ContentError
from bulletin.mailchimp import reports as api
from bulletin.reports import store
from bulletin.reports.figures import GroupRow, IssueReport, SectionRow
from bulletin.reports.issue import Issue, noted, open_issue, report_for

SKIPPED = {".bulletin", ".git", ".venv", "build", "node_modules", "publications"}


@dataclass
class Period:
    start: date
    end: date
    reports: list[IssueReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # issues whose report could not be made
    calls: int = 0

    def top_sections(self, limit: int = 10) -> list[tuple[IssueReport, SectionRow]]:
        """The sections most readers clicked, across every issue."""
        found = [
            (r, s) for r in self.reports for s in r.sections if s.index is not None and s.readers
        ]
        found.sort(key=lambda pair: (-(pair[1].readers or 0), -(pair[1].clicks or 0)))
        return found[:limit]

    def by_type(self) -> list[tuple[str, int, int, int]]:
        """(section type, sections, readers who clicked, clicks), most read first."""
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for report in self.reports:
            for section in report.sections:
                if section.index is None or section.clicks is None:
                    continue
                row = totals[section.type]
                row[0] += 1
                row[1] += section.readers or 0
                row[2] += section.clicks
        ranked = sorted(totals.items(), key=lambda item: (-item[1][1], item[0]))
        return [(kind, n, readers, clicks) for kind, (n, readers, clicks) in ranked]

    def by_organisation(self) -> list[GroupRow]:
        """Each organisation's rows summed over the issues (readers counted once an issue)."""
        return _summed(r.by_organisation for r in self.reports)

    def by_partner_list(self) -> list[GroupRow]:
        return _summed(r.by_partner_list for r in self.reports)


def _summed(issues: Iterable[list[GroupRow]]) -> list[GroupRow]:
    summed: dict[str, GroupRow] = {}
    for rows in issues:
        for row in rows:
            total = summed.setdefault(row.name, GroupRow(row.name, 0, 0, 0, 0, 0))
            total.recipients += row.recipients
            total.delivered += row.delivered
            total.unsubscribed += row.unsubscribed
            total.opened = (
                None if row.opened is None or total.opened is None else (total.opened + row.opened)
            )
            total.clicked = (
                None
                if row.clicked is None or total.clicked is None
                else (total.clicked + row.clicked)
            )
    others = [r for r in summed.values() if r.name.startswith("other ")]
    named = sorted((r for r in summed.values() if r not in others), key=lambda r: -r.delivered)
    return named + others


def bounds(first: date, last: date, tz: str) -> tuple[str, str]:
    """The period's first moment and the moment after its last day, in UTC."""
    where = zone(tz)
    since = datetime.combine(first, time(0), where).astimezone(UTC)
    before = datetime.combine(last + timedelta(days=1), time(0), where).astimezone(UTC)
    return since.isoformat(timespec="seconds"), before.isoformat(timespec="seconds")


def period_report(
    dispatcher: Dispatcher,
    root: Path,
    first: date,
    last: date,
    *,
    audience: str | None = None,
    refresh: bool = False,
    tz: str = "Europe/London",
) -> Period:
    before_calls = dispatcher.mc.calls
    audiences = require_audiences(root)
    period = Period(first, last)
    since, before = bounds(first, last, tz)
    for chosen in audiences.chosen(audience):
        for found in list(api.sent_campaigns(dispatcher.mc, chosen.list_id, since, before)):
            title = str((found.get("settings") or {}).get("title") or "")
            if not title.startswith("bulletin:"):
                continue
            try:
                period.reports.append(
                    _report(dispatcher, root, chosen, str(found["id"]), title, refresh)
                )
            except BulletinError as err:
                period.left_out.append(f"{title}: {err}")
    period.reports.sort(key=lambda r: r.send_time)
    period.calls = dispatcher.mc.calls - before_calls
    return period


def _report(
    dispatcher: Dispatcher,
    root: Path,
    audience: Audience,
    campaign_id: str,
    title: str,
    refresh: bool,
) -> IssueReport:
    issue = _issue(dispatcher, root, audience, title)
    if not refresh:
        kept = store.load(root, campaign_id)
        if kept is not None:
            return noted(kept, issue)
    campaign = dispatcher.get_campaign(campaign_id)
    if campaign is None:
        raise BulletinError(f"Mailchimp has no campaign {campaign_id} now")
    return report_for(dispatcher, root, campaign, audience, issue, refresh=refresh)


def _issue(dispatcher: Dispatcher, root: Path, audience: Audience, title: str) -> Issue:
    """The issue file a campaign was pushed from: the ledger's, else one of that name."""
    _, publication, stem = [*title.split(":", 2), "", ""][:3]
    entry = dispatcher.ledger.get(title, audience.list_id)
    path = root / entry.path if entry else _find(root, stem, publication)
    if path is None or not path.is_file():
        return Issue(None, entry.path if entry else f"{stem}.yaml", None, None, entry)
    try:
        return open_issue(dispatcher, root, path, audience.name)
    except (ContentError, BulletinError):
        return Issue(path, relative_path(path, root), None, None, entry)


def _find(root: Path, stem: str, publication: str) -> Path | None:
    for path in sorted(root.rglob(f"{stem}.yaml")):
        if SKIPPED & set(path.relative_to(root).parts):
            continue
        try:
            data = load_yaml(path).data
        except ContentError:
            continue
        if isinstance(data, dict) and data.get("publication") == publication:
            return path
    return None
