"""`bulletin report ISSUE.yaml`: what one sent issue reached, from Mailchimp's report.

The campaign is the one `push` made (the ledger's, else the one titled for the issue). The
clicks are mapped to the sections of the issue file; whether that file is still the version
sent is told by comparing it with what Mailchimp holds, as `push` does: if it is not, the
report says so, and links the file no longer holds are shown under the heading they went out
under. A report of an issue sent over 30 days ago is kept and reused (`store.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bulletin.campaigns.ledger import Entry
from bulletin.campaigns.push import Dispatcher
from bulletin.campaigns.wanted import WantedCampaign, wanted_campaign
from bulletin.document.audiences import Audience, require_audiences
from bulletin.document.issue import Bulletin, load_bulletin
from bulletin.document.project import find_root, relative_path
from bulletin.errors import BulletinError, ContentError
from bulletin.mailchimp import audiences as lists
from bulletin.reports import links, store, tally
from bulletin.reports.figures import IssueReport
from bulletin.state import utc_now

SENT = ("sending", "sent")
_ORGANISATION = ("organisation", "organization", "org")


@dataclass
class Issue:
    """An issue file as the report needs it: loaded if it can be, and its campaign's row."""

    path: Path | None
    relpath: str
    bulletin: Bulletin | None
    wanted: WantedCampaign | None
    entry: Entry | None


def report_issue(
    dispatcher: Dispatcher,
    path: Path,
    audience: str | None = None,
    *,
    refresh: bool = False,
    now: datetime | None = None,
) -> IssueReport:
    """The report of the issue at `path` (kept, or fetched from Mailchimp)."""
    if not path.is_file():
        raise BulletinError(f"{path}: no such file")
    root = find_root(path)
    before = dispatcher.mc.calls
    issue = open_issue(dispatcher, root, path, audience)
    if issue.entry is not None and not refresh:
        kept = store.load(root, issue.entry.campaign_id)
        if kept is not None:
            return noted(kept, issue)
    campaign = dispatcher.get_campaign(issue.entry.campaign_id) if issue.entry else None
    if campaign is None and issue.wanted is not None:
        campaign, issue.entry = dispatcher.find(issue.wanted, tidy=False)
    if campaign is None:
        raise BulletinError(f"{path}: Mailchimp has no campaign for it: push it and send it first")
    chosen = issue.wanted.audience if issue.wanted else _audience_of(root, campaign, audience)
    found = report_for(dispatcher, root, campaign, chosen, issue, refresh=refresh, now=now)
    found.calls = dispatcher.mc.calls - before
    return found


def _audience_of(root: Path, campaign: dict[str, Any], name: str | None) -> Audience:
    """The audience of audiences.yaml whose list the campaign went to."""
    list_id = (campaign.get("recipients") or {}).get("list_id")
    for audience in require_audiences(root).audiences:
        if audience.list_id == list_id and name in (None, audience.name):
            return audience
    raise BulletinError(f"no audience in audiences.yaml has the list {list_id}")


def open_issue(dispatcher: Dispatcher, root: Path, path: Path, audience: str | None) -> Issue:
    """The issue loaded and its ledger row; an issue with errors now is found by the ledger."""
    relpath = relative_path(path, root)
    try:
        bulletin = load_bulletin(path)
        wanted = wanted_campaign(path, audience, check=False, audiences=bulletin.audiences)
    except ContentError:
        entries = [e for e in dispatcher.ledger.entries() if e.path == relpath]
        if len(entries) != 1:
            raise
        return Issue(path, relpath, None, None, entries[0])
    entry = dispatcher.ledger.get(wanted.title, wanted.audience.list_id)
    return Issue(path, relpath, bulletin, wanted, entry)


def report_for(
    dispatcher: Dispatcher,
    root: Path,
    campaign: dict[str, Any],
    audience: Audience,
    issue: Issue,
    *,
    refresh: bool = False,
    now: datetime | None = None,
) -> IssueReport:
    """The campaign's report: kept (unless `refresh`), else fetched, counted and maybe kept."""
    status = str(campaign.get("status") or "")
    if status not in SENT:
        raise BulletinError(
            f"{issue.relpath}: its campaign {campaign['id']} has not been sent (status "
            f"'{status}'), so there is nothing to report yet"
        )
    if not refresh:
        kept = store.load(root, str(campaign["id"]))
        if kept is not None:
            return noted(kept, issue)
    report = fetch(dispatcher, campaign, audience, issue)
    if status == "sent":
        store.keep(root, report, now)
    return report


def fetch(
    dispatcher: Dispatcher, campaign: dict[str, Any], audience: Audience, issue: Issue
) -> IssueReport:
    mc = dispatcher.mc
    before = mc.calls
    campaign_id = str(campaign["id"])
    content = dispatcher.content(campaign_id)
    as_sent: bool | None = None
    if issue.wanted is not None:
        wanted = issue.wanted.targeting_of(campaign)
        as_sent = dispatcher.up_to_date(wanted, campaign, content, issue.entry)
    tracked = campaign.get("tracking") or {}
    tracking = {
        "opens": tracked.get("opens") is not False,
        "clicks": tracked.get("html_clicks") is not False or tracked.get("text_clicks") is True,
    }
    notes: list[str] = []
    partners = _partner_segments(mc, audience, notes)
    counted = tally.count(
        mc,
        campaign_id,
        tracking=tracking,
        link_map=links.link_map(issue.bulletin) if issue.bulletin else None,
        sent_headings=links.sent_headings(str(content.get("html") or "")),
        organisation_tag=organisation_tag(audience),
        list_id=audience.list_id,
        partner_lists=partners,
    )
    if campaign.get("status") == "sending":
        notes.append("Mailchimp is still sending this campaign: its figures will grow")
    if as_sent is False:
        notes.append(_changed(counted.gone))
    elif as_sent is None:
        notes.append(
            "the issue file cannot be read as it is now, so clicks are shown under the headings "
            "they were sent under"
        )
    bulletin = issue.bulletin
    settings = campaign.get("settings") or {}
    send_time = str(campaign.get("send_time") or "")
    return IssueReport(
        issue=issue.relpath,
        title=bulletin.issue.title if bulletin else str(settings.get("title") or ""),
        subject=str(settings.get("subject_line") or ""),
        date=bulletin.issue.date.isoformat() if bulletin else send_time[:10],
        publication=bulletin.issue.publication if bulletin else audience.publication,
        audience=audience.name,
        campaign_id=campaign_id,
        send_time=send_time,
        tracking=tracking,
        totals=counted.totals,
        organisations=counted.organisations,
        sections=counted.sections,
        shared_links=counted.shared_links,
        by_organisation=counted.by_organisation,
        by_partner_list=counted.by_partner_list,
        as_sent=as_sent,
        issue_hash=issue.wanted.hash if issue.wanted else "",
        notes=notes,
        fetched_at=utc_now(),
        calls=mc.calls - before,
    )


def noted(report: IssueReport, issue: Issue) -> IssueReport:
    """A kept report, with a word if the issue file has changed since it was made."""
    report.calls = 0
    if issue.wanted is not None and report.issue_hash and issue.wanted.hash != report.issue_hash:
        report.notes.append(
            "the issue file has changed since this report was made: its sections are as they "
            "were then (--refresh makes it again)"
        )
    return report


def _changed(gone: int) -> str:
    lost = (
        f"; {gone} clicked link{'s' if gone != 1 else ''} it no longer holds "
        "are shown under the heading they were sent under"
        if gone
        else ""
    )
    return (
        "the issue file has changed since the send: sections and lines are as the file is now"
        + lost
    )


def organisation_tag(audience: Audience) -> str | None:
    """The merge field that holds each reader's organisation (ORG, or one named so)."""
    for merge in audience.merge_fields:
        if merge.tag == "ORG" or merge.name.strip().lower() in _ORGANISATION:
            return merge.tag
    return None


def _partner_segments(mc: Any, audience: Audience, notes: list[str]) -> dict[str, int]:
    """Mailchimp's id of each partner list of audiences.yaml (a tag or a saved segment)."""
    if not audience.partner_lists:
        return {}
    found = lists.segments(mc, audience.list_id)
    ids: dict[str, int] = {}
    for partner in audience.partner_lists:
        kind = "static" if partner.kind == "tag" else "saved"
        match = next(
            (
                s
                for s in found
                if (partner.id is not None and int(s["id"]) == partner.id)
                or (partner.id is None and s.get("name") == partner.name and s.get("type") == kind)
            ),
            None,
        )
        if match is None:
            notes.append(
                f"partner list '{partner.name}' is not in Mailchimp (bulletin audiences sync)"
            )
        else:
            ids[partner.name] = int(match["id"])
    return ids
