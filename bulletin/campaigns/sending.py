"""Test sends, schedules and sends: the steps that put mail in inboxes, each done at most once.

Each first checks that Mailchimp holds exactly what the issue says now (a stale campaign is
worse than none), then acts once; after no answer or a server error it reads the campaign's
status back instead of repeating itself (`Dispatcher.act`). Test sends leave no trace to read
back, so an unanswered one is reported as uncertain rather than sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bulletin.campaigns.dispatcher import FINAL, Dispatcher
from bulletin.campaigns.ledger import Entry
from bulletin.campaigns.sendtime import local, parse_iso, utc_iso
from bulletin.campaigns.wanted import Payload, prepare
from bulletin.errors import BulletinError, ContentError
from bulletin.mailchimp.client import MailchimpError

# Addresses per test: Mailchimp allows 6 on free plans and 20 on paid ones; 6 suits any plan.
TEST_LIMIT = 6


@dataclass(frozen=True)
class Ready:
    """A campaign that holds the issue as it is now, with who it would go to."""

    payload: Payload
    campaign: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.campaign["id"])

    @property
    def status(self) -> str:
        return str(self.campaign.get("status") or "")

    @property
    def recipients(self) -> int:
        return int((self.campaign.get("recipients") or {}).get("recipient_count") or 0)

    @property
    def list_name(self) -> str:
        recipients = self.campaign.get("recipients") or {}
        return str(recipients.get("list_name") or self.payload.audience.name)

    @property
    def scheduled(self) -> datetime | None:
        return parse_iso(self.campaign.get("send_time")) if self.status == "schedule" else None

    def describe(self) -> str:
        """ "WSCP Newsletter ..." to 5 recipients of WSCP partners"."""
        count = f"{self.recipients:,} recipient{'s' * (self.recipients != 1)}"
        return f"'{self.payload.settings['subject_line']}' to {count} of {self.list_name}"


def ready(dispatcher: Dispatcher, payload: Payload) -> Ready:
    """The issue's campaign, provided Mailchimp holds the issue as it is now."""
    campaign, entry = dispatcher.find(payload)
    if campaign is None:
        raise BulletinError(
            f"{payload.path}: no campaign in Mailchimp yet: run bulletin push {payload.path} first"
        )
    payload = payload.targeting_of(campaign)  # push decides whom it reaches; this sends it
    content = dispatcher.content(campaign["id"])
    if not dispatcher.up_to_date(payload, campaign, content, entry):
        changed = ", ".join(dispatcher.differences(payload, campaign, content)) or "content"
        raise BulletinError(
            f"{payload.path} differs from its campaign in Mailchimp ({changed}): "
            f"run bulletin push {payload.path} first"
        )
    dispatcher.remember(payload, campaign, content, entry)
    return Ready(payload, campaign)


def _record(dispatcher: Dispatcher, r: Ready, status: str, scheduled: datetime | None) -> None:
    entry = dispatcher.ledger.get(r.payload.title, r.payload.audience.list_id)
    if entry is not None:
        dispatcher.ledger.put(
            entry.but(status=status, schedule_time=utc_iso(scheduled) if scheduled else None)
        )


def _not_final(r: Ready, doing: str) -> None:
    if r.status in FINAL:
        raise BulletinError(
            f"{r.payload.path}: its campaign {r.id} has been sent (status '{r.status}'): "
            f"cannot {doing}"
        )


def send_test(dispatcher: Dispatcher, payload: Payload, to: list[str] | None = None) -> list[str]:
    """Send the HTML and plain-text tests to `to` (default: the audience's reviewers)."""
    addresses = list(dict.fromkeys(a.strip() for a in (to or payload.audience.reviewers)))
    if not addresses:
        raise BulletinError(
            f"audience {payload.audience.name} has no reviewers in audiences.yaml: "
            "add some, or give --to EMAIL"
        )
    _check_addresses(addresses)
    r = ready(dispatcher, payload)
    _not_final(r, "send a test")
    done: list[str] = []
    for start in range(0, len(addresses), TEST_LIMIT):
        chunk = addresses[start : start + TEST_LIMIT]
        for send_type in ("html", "plaintext"):
            body = {"test_emails": chunk, "send_type": send_type}
            try:
                dispatcher.unsafe(dispatcher.campaigns.send_test_email, r.id, body)
            except MailchimpError as err:
                sent = f"sent to {', '.join(done)}; then " if done else ""
                doubt = (
                    " (it may have gone: ask them before sending it again)"
                    if err.unreachable or (err.status or 0) >= 500
                    else ""
                )
                raise MailchimpError(
                    f"{sent}the {send_type} test to {', '.join(chunk)} failed{doubt}: {err}",
                    err.status,
                ) from None
            dispatcher.on_step("test")
        done += chunk
    return addresses


def _check_addresses(addresses: list[str]) -> None:
    from email_validator import EmailNotValidError, validate_email

    for address in addresses:
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError as err:
            raise BulletinError(f"--to {address}: not an e-mail address ({err})") from None


def schedule(dispatcher: Dispatcher, payload: Payload, at: datetime) -> tuple[Ready, bool]:
    """Book the send for `at` (UTC, checked by sendtime.send_time); False if it already was."""
    r = ready(dispatcher, payload)
    _not_final(r, "schedule it")
    if r.scheduled is not None:
        if r.scheduled == at:
            return r, False
        raise BulletinError(
            f"{payload.path}: its campaign is already scheduled for {local(r.scheduled)}: "
            f"run bulletin unschedule {payload.path} first"
        )
    dispatcher.act(
        dispatcher.campaigns.schedule,
        r.id,
        {"schedule_time": utc_iso(at)},
        done=lambda c: c.get("status") == "schedule" and parse_iso(c.get("send_time")) == at,
        what="scheduled",
    )
    dispatcher.on_step("schedule")
    _record(dispatcher, r, "schedule", at)
    return r, True


def unschedule(dispatcher: Dispatcher, issue: Path, audience: str | None = None) -> datetime | None:
    """Take the booking off; the time it was booked for, or None if it was not scheduled.

    This must work when the issue no longer loads (the mistake that made the officer stop the
    send, half corrected): then the ledger says which campaign the file was pushed to.
    """
    campaign, entry = _campaign_of(dispatcher, issue, audience)
    if campaign is None:
        raise BulletinError(f"{issue}: no campaign in Mailchimp: nothing to unschedule")
    status = campaign.get("status")
    if status in FINAL:
        raise BulletinError(
            f"{issue}: its campaign {campaign['id']} has been sent (status '{status}'): "
            "cannot unschedule it"
        )
    when = parse_iso(campaign.get("send_time")) if status == "schedule" else None
    if when is None:
        return None
    dispatcher.act(
        dispatcher.campaigns.unschedule,
        campaign["id"],
        done=lambda c: c.get("status") in ("save", "paused"),
        what="unscheduled",
    )
    dispatcher.on_step("unschedule")
    if entry is not None:
        dispatcher.ledger.put(entry.but(status="save", schedule_time=None))
    return when


def _campaign_of(
    dispatcher: Dispatcher, issue: Path, audience: str | None
) -> tuple[dict[str, Any] | None, Entry | None]:
    try:
        payload = prepare(issue, audience, checks=False)
    except ContentError:
        from bulletin.document.project import find_root

        root = find_root(issue)
        wanted = issue.resolve().relative_to(root).as_posix()
        entries = [e for e in dispatcher.ledger.entries() if e.path == wanted]
        if audience is not None:
            entries = [e for e in entries if e.list_id == choose_list(root, audience)]
        if len(entries) != 1:
            raise
        return dispatcher.get_campaign(entries[0].campaign_id), entries[0]
    return dispatcher.find(payload)


def choose_list(root: Path, name: str) -> str | None:
    from bulletin.document.audiences import load_audiences

    audiences = load_audiences(root)
    named = [a for a in (audiences.audiences if audiences else []) if a.name == name]
    return named[0].list_id if named else None


def ready_to_send(dispatcher: Dispatcher, payload: Payload) -> Ready:
    """The campaign to send now: it holds the issue and is neither booked nor sent."""
    r = ready(dispatcher, payload)
    _not_final(r, "send it again")
    if r.scheduled is not None:
        raise BulletinError(
            f"{payload.path}: its campaign is scheduled for {local(r.scheduled)}: "
            f"run bulletin unschedule {payload.path} first to send it now"
        )
    return r


def send(dispatcher: Dispatcher, r: Ready) -> None:
    """Send now. Mailchimp sends a campaign once; an unanswered send is read back, not repeated."""
    dispatcher.act(
        dispatcher.campaigns.send,
        r.id,
        done=lambda c: c.get("status") in FINAL,
        what="sent",
    )
    dispatcher.on_step("send")
    _record(dispatcher, r, "sending", None)
