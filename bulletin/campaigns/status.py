"""`bulletin status`: where each issue stands in Mailchimp, as a table the officer can scan.

Mailchimp is asked, not the ledger alone: a campaign may have been sent, unscheduled or edited
in Mailchimp's own pages since the last push. The ledger says which campaigns to ask about; an
empty one (a new computer, a ledger lost or damaged) is first rebuilt from Mailchimp's campaign
titles. Duplicates of an issue's campaign are reported, not deleted: `push` does that.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

from bulletin.campaigns.ledger import Entry
from bulletin.campaigns.push import Dispatcher
from bulletin.campaigns.sendtime import DEFAULT_TZ, parse_iso, zone
from bulletin.campaigns.wanted import WantedCampaign, wanted_campaign
from bulletin.document.audiences import Audiences, load_audiences
from bulletin.document.project import find_root, nearest_root, relative_path
from bulletin.errors import BulletinError
from bulletin.mailchimp.campaigns import recipient_count


@dataclass(frozen=True)
class Row:
    issue: str
    audience: str
    campaign: str
    status: str
    scheduled: str
    recipients: str
    last_pushed: str
    current: str  # does Mailchimp hold the issue as it is now: yes, no, ? (the issue has errors)


def status_rows(
    dispatcher: Dispatcher, root: Path, issue: Path | None = None, tz: str = DEFAULT_TZ
) -> list[Row]:
    """One row per campaign the ledger knows (or, for one issue, per audience it goes to)."""
    audiences = load_audiences(root)  # once, for every issue
    names = _audience_names(audiences)
    entries = dispatcher.ledger.entries()
    if not entries and issue is None:
        from bulletin.campaigns.rebuild import rebuild, rebuilt_note

        count = rebuild(dispatcher, root)
        if count or dispatcher.ledger.damaged:
            dispatcher.note(rebuilt_note(count))
        entries = dispatcher.ledger.entries()
    if issue is not None:
        wanted_path = relative_path(issue, root)
        entries = [e for e in entries if e.path == wanted_path]
        if not entries:
            wanted = wanted_campaign(issue, check=False, audiences=audiences)
            return [_row(dispatcher, None, wanted, issue, tz)]
    rows = []
    for entry in entries:
        path = root / entry.path
        found: WantedCampaign | None
        try:
            found = wanted_campaign(
                path, names.get(entry.list_id), check=False, audiences=audiences
            )
        except BulletinError:  # the issue was moved, or has errors now
            found = None
        rows.append(_row(dispatcher, entry, found, path, tz))
    return rows


def _row(
    dispatcher: Dispatcher, entry: Entry | None, wanted: WantedCampaign | None, path: Path, tz: str
) -> Row:
    if wanted is not None:
        campaign, _ = dispatcher.find(wanted, tidy=False)
    else:
        assert entry is not None
        campaign = dispatcher.get_campaign(entry.campaign_id)
    issue = entry.path if entry else (wanted.relpath if wanted else str(path))
    audience = wanted.audience.name if wanted else (entry.list_id if entry else "")
    last = _when(entry.last_pushed if entry else None, tz)
    if campaign is None:
        status = "deleted in Mailchimp" if entry else "not pushed"
        return Row(issue, audience, entry.campaign_id if entry else "-", status, "", "", last, "")
    current = "?"
    if wanted is not None:
        content = dispatcher.content(campaign["id"])
        held = dispatcher.up_to_date(wanted, campaign, content, entry)
        current = "yes" if held else "no"
        if held:
            dispatcher.remember(wanted, campaign, content, entry)
    if entry is not None:
        _refresh(dispatcher, entry, campaign)
    status = str(campaign.get("status") or "")
    count = campaign.get("emails_sent") if status == "sent" else recipient_count(campaign)
    return Row(
        issue,
        audience,
        campaign["id"],
        status,
        _when(campaign.get("send_time"), tz),
        "" if count is None else f"{count:,}",
        last,
        current,
    )


def _refresh(dispatcher: Dispatcher, entry: Entry, campaign: dict[str, Any]) -> None:
    fresh = (dispatcher.ledger.get(entry.issue, entry.list_id) or entry).seen(campaign)
    if fresh != entry:
        dispatcher.ledger.put(fresh)


def _audience_names(audiences: Audiences | None) -> dict[str, str]:
    names: dict[str, str] = {}
    for audience in audiences.audiences if audiences else []:
        names.setdefault(audience.list_id, audience.name)
    return names


def _when(text: str | None, tz: str) -> str:
    moment = parse_iso(text)
    if moment is None:
        return ""
    there = moment.astimezone(zone(tz))
    return f"{there:%Y-%m-%d %H:%M} {there.tzname()}"


HEADINGS = ("ISSUE", "AUDIENCE", "CAMPAIGN", "STATUS", "SCHEDULED", "RECIPIENTS", "LAST PUSHED")


def table(rows: list[Row]) -> str:
    """Plain aligned columns: readable in any terminal, log or e-mail, and easy to grep."""
    if not rows:
        return "no campaigns yet: run bulletin push ISSUE.yaml"
    headings = (*HEADINGS, "CURRENT")
    assert len(headings) == len(fields(Row))
    lines = [headings, *(astuple(r) for r in rows)]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(headings))]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def project_root(issue: Path | None) -> Path:
    """The issue's project; without an issue, the nearest project at or above the current folder."""
    if issue is not None:
        return find_root(issue)
    return nearest_root(Path.cwd()) or Path.cwd()
