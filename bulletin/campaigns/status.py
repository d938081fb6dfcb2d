"""`bulletin status`: where each issue stands in Mailchimp, as a table the officer can scan.

Mailchimp is asked, not the ledger alone: a campaign may have been sent, unscheduled or edited
in Mailchimp's own pages since the last push. The ledger says which campaigns to ask about; an
empty one (a new computer, a ledger lost or damaged) is first rebuilt from Mailchimp's campaign
titles. Duplicates of an issue's campaign are reported, not deleted: `push` does that.

The calls do not grow with the number of issues: each audience's campaigns are listed once,
paged, and every issue is matched there by its title (or, renamed in Mailchimp's pages, by the
ledger's campaign id). A campaign's content is read only when it may still change: a sent
campaign's was read once and its hash kept in the ledger.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

from bulletin.campaigns.copies import GONE, copy_of, gone_before
from bulletin.campaigns.duplicates import sort_out
from bulletin.campaigns.ledger import Entry
from bulletin.campaigns.push import Dispatcher
from bulletin.campaigns.sendtime import DEFAULT_TZ, parse_iso, zone
from bulletin.campaigns.wanted import WantedCampaign, wanted_campaign
from bulletin.document.audiences import Audiences, load_audiences
from bulletin.document.project import find_root, nearest_root, relative_path
from bulletin.errors import BulletinError
from bulletin.mailchimp import campaigns as api
from bulletin.mailchimp.campaigns import recipient_count

Listed = dict[str, list[dict[str, Any]]]  # each audience's campaigns, by list id


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
    listed: Listed = {}
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
        rows.append(_row(dispatcher, entry, found, path, tz, listed))
    return rows


def _campaigns(dispatcher: Dispatcher, list_id: str, listed: Listed) -> list[dict[str, Any]]:
    if list_id not in listed:
        listed[list_id] = api.titled(dispatcher.mc, list_id, None, page_size=dispatcher.page_size)
    return listed[list_id]


def _find(
    dispatcher: Dispatcher, wanted: WantedCampaign, entry: Entry | None, listed: Listed
) -> dict[str, Any] | None:
    """As `Dispatcher.find` without tidying, among the audience's campaigns listed once."""
    every = _campaigns(dispatcher, wanted.audience.list_id, listed)
    titled = sort_out(
        wanted.title, [c for c in every if (c.get("settings") or {}).get("title") == wanted.title]
    )
    if titled.extra:
        dispatcher.note(titled.report(wanted.path))
    if titled.keep is not None or entry is None:
        return titled.keep
    return _by_id(dispatcher, entry, listed)


def _note_if_a_copy(
    dispatcher: Dispatcher, wanted: WantedCampaign, campaign: dict[str, Any], listed: Listed
) -> None:
    """A draft with the subject and preview text of a campaign that has gone is named now,
    before `send` refuses it."""
    if campaign.get("status") in GONE:
        return
    every = _campaigns(dispatcher, wanted.audience.list_id, listed)
    if (other := gone_before(every, campaign["id"], wanted.settings)) is not None:
        dispatcher.note(
            f"{wanted.relpath}: {copy_of(other)}; send and schedule refuse it until its "
            "subject or preview text changes (or --resend)"
        )


def _by_id(dispatcher: Dispatcher, entry: Entry, listed: Listed) -> dict[str, Any] | None:
    """The ledger's campaign, renamed in Mailchimp's pages maybe; None if deleted there."""
    for campaign in _campaigns(dispatcher, entry.list_id, listed):
        if campaign.get("id") == entry.campaign_id:
            return campaign
    return None


def _row(
    dispatcher: Dispatcher,
    entry: Entry | None,
    wanted: WantedCampaign | None,
    path: Path,
    tz: str,
    listed: Listed | None = None,
) -> Row:
    listed = {} if listed is None else listed
    if wanted is not None:
        campaign = _find(dispatcher, wanted, entry, listed)
        if campaign is None and entry is not None:
            dispatcher.ledger.forget(entry.issue, entry.list_id)  # deleted in Mailchimp
            entry = None
        if campaign is not None:
            _note_if_a_copy(dispatcher, wanted, campaign, listed)
    else:
        assert entry is not None
        campaign = _by_id(dispatcher, entry, listed)
    issue = entry.path if entry else (wanted.relpath if wanted else str(path))
    audience = wanted.audience.name if wanted else (entry.list_id if entry else "")
    last = _when(entry.last_pushed if entry else None, tz)
    if campaign is None:
        status = "deleted in Mailchimp" if entry else "not pushed"
        return Row(issue, audience, entry.campaign_id if entry else "-", status, "", "", last, "")
    current = "?"
    if wanted is not None:
        known = entry is not None and entry.campaign_id == campaign["id"] and entry.remote_hash
        if campaign.get("status") == "sent" and entry is not None and known:
            # Sent: Mailchimp's copy can no longer change, and the ledger has its hash.
            current = "yes" if wanted.hash in (entry.remote_hash, entry.content_hash) else "no"
        else:
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
