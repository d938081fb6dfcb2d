"""`bulletin status`: where each issue stands in Mailchimp, as a table the officer can scan.

Mailchimp is asked, not the ledger alone: a campaign may have been sent, unscheduled or edited
in Mailchimp's own pages since the last push. The ledger says which campaigns to ask about.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

from bulletin.campaigns.dispatcher import Dispatcher
from bulletin.campaigns.ledger import Entry
from bulletin.campaigns.sendtime import DEFAULT_TZ, parse_iso, zone
from bulletin.campaigns.wanted import Payload, prepare
from bulletin.errors import BulletinError


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
    names = _audience_names(root)
    entries = dispatcher.ledger.entries()
    if issue is not None:
        wanted = _relative(issue, root)
        entries = [e for e in entries if e.path == wanted]
        if not entries:
            return [_row(dispatcher, None, prepare(issue, checks=False), issue, tz)]
    rows = []
    for entry in entries:
        path = root / entry.path
        payload: Payload | None
        try:
            payload = prepare(path, names.get(entry.list_id), checks=False)
        except BulletinError:  # the issue was moved, or has errors now
            payload = None
        rows.append(_row(dispatcher, entry, payload, path, tz))
    return rows


def _row(
    dispatcher: Dispatcher, entry: Entry | None, payload: Payload | None, path: Path, tz: str
) -> Row:
    if entry is not None:
        campaign = dispatcher.get_campaign(entry.campaign_id)
    else:
        assert payload is not None
        campaign, _ = dispatcher.find(payload)
    issue = entry.path if entry else (payload.relpath if payload else str(path))
    audience = payload.audience.name if payload else (entry.list_id if entry else "")
    last = _when(entry.last_pushed if entry else None, tz)
    if campaign is None:
        status = "deleted in Mailchimp" if entry else "not pushed"
        return Row(issue, audience, entry.campaign_id if entry else "-", status, "", "", last, "")
    current = "?"
    if payload is not None:
        content = dispatcher.content(campaign["id"])
        held = dispatcher.up_to_date(payload, campaign, content, entry)
        current = "yes" if held else "no"
        if held:
            dispatcher.remember(payload, campaign, content, entry)
    if entry is not None:
        _refresh(dispatcher, entry, campaign)
    status = str(campaign.get("status") or "")
    recipients = campaign.get("recipients") or {}
    count = campaign.get("emails_sent") if status == "sent" else recipients.get("recipient_count")
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
    status = str(campaign.get("status") or entry.status)
    fresh = dispatcher.ledger.get(entry.issue, entry.list_id) or entry
    fresh = fresh.but(
        status=status,
        schedule_time=campaign.get("send_time") if status == "schedule" else None,
        recipients=(campaign.get("recipients") or {}).get("recipient_count"),
    )
    if fresh != entry:
        dispatcher.ledger.put(fresh)


def _audience_names(root: Path) -> dict[str, str]:
    from bulletin.document.audiences import load_audiences

    audiences = load_audiences(root)
    names: dict[str, str] = {}
    for audience in audiences.audiences if audiences else []:
        names.setdefault(audience.list_id, audience.name)
    return names


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


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
    from bulletin.document.project import find_root

    if issue is not None:
        return find_root(issue)
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "publications").is_dir():
            return folder
    return here
