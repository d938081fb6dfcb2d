"""Test sends, schedules and sends: the steps that put mail in inboxes, each done at most once.

Each first checks that Mailchimp holds exactly what the issue says now (a stale campaign is
worse than none), then acts once; after no answer or a server error it reads the campaign's
status back instead of repeating itself (`Dispatcher.act`). Test sends leave no trace to read
back, so one that got no answer is written down in the ledger and not sent again until the
user, having asked the reviewers, says `--again`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bulletin.campaigns.copies import refuse_a_copy
from bulletin.campaigns.ledger import Entry
from bulletin.campaigns.push import FINAL, TEST, Dispatcher, refuse_if_sent
from bulletin.campaigns.sendtime import local, parse_iso, utc_iso
from bulletin.campaigns.wanted import WantedCampaign, wanted_campaign
from bulletin.document.audiences import load_audiences
from bulletin.document.project import find_root, relative_path
from bulletin.errors import BulletinError, ContentError
from bulletin.mailchimp import campaigns as api
from bulletin.mailchimp.client import MailchimpError, ambiguous

# Addresses per test: Mailchimp allows 6 on free plans and 20 on paid ones; 6 suits any plan.
TEST_LIMIT = 6


@dataclass(frozen=True)
class Ready:
    """A campaign that holds the issue as it is now, with who it would go to."""

    wanted: WantedCampaign
    campaign: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.campaign["id"])

    @property
    def status(self) -> str:
        return str(self.campaign.get("status") or "")

    @property
    def recipients(self) -> int:
        return api.recipient_count(self.campaign) or 0

    @property
    def list_name(self) -> str:
        recipients = self.campaign.get("recipients") or {}
        return str(recipients.get("list_name") or self.wanted.audience.name)

    @property
    def scheduled(self) -> datetime | None:
        return parse_iso(self.campaign.get("send_time")) if self.status == "schedule" else None

    def describe(self) -> str:
        """ "WSCP Newsletter ..." to 5 recipients of WSCP partners"."""
        count = f"{self.recipients:,} recipient{'s' * (self.recipients != 1)}"
        return f"'{self.wanted.settings['subject_line']}' to {count} of {self.list_name}"


def ready(dispatcher: Dispatcher, wanted: WantedCampaign) -> Ready:
    """The issue's campaign, provided Mailchimp holds the issue as it is now."""
    campaign, entry = dispatcher.find(wanted)
    if campaign is None:
        raise BulletinError(
            f"{wanted.path}: no campaign in Mailchimp yet: run bulletin push {wanted.path} first"
        )
    wanted = wanted.targeting_of(campaign)  # push decides whom it reaches; this sends it
    content = dispatcher.content(campaign["id"])
    if not dispatcher.up_to_date(wanted, campaign, content, entry):
        changed = ", ".join(dispatcher.differences(wanted, campaign, content)) or "content"
        raise BulletinError(
            f"{wanted.path} differs from its campaign in Mailchimp ({changed}): "
            f"run bulletin push {wanted.path} first"
        )
    dispatcher.remember(wanted, campaign, content, entry)
    return Ready(wanted, campaign)


def send_test(
    dispatcher: Dispatcher,
    wanted: WantedCampaign,
    to: list[str] | None = None,
    *,
    again: bool = False,
) -> list[str]:
    """Send the HTML and plain-text tests to `to` (default: the audience's reviewers).

    A test that got no answer may have gone: it is not sent again unless `again`.
    """
    addresses = list(dict.fromkeys(a.strip() for a in (to or wanted.audience.reviewers)))
    if not addresses:
        raise BulletinError(
            f"audience {wanted.audience.name} has no reviewers in audiences.yaml: "
            "add some, or give --to EMAIL"
        )
    _check_addresses(addresses)
    r = ready(dispatcher, wanted)
    refuse_if_sent(r.campaign, wanted.path, "send a test")
    key = (wanted.title, wanted.audience.list_id)
    earlier = dispatcher.ledger.pending(*key, TEST)
    if earlier is not None and earlier[0].split(" ", 1)[0] == r.id and not again:
        raise BulletinError(
            f"{wanted.path}: the last test send ({earlier[0].split(' ', 1)[1]}, {earlier[1]}) "
            "got no answer from Mailchimp, so it may have gone: ask the reviewers whether it "
            f"arrived; `bulletin test-send {wanted.path} --again` sends it again"
        )
    done: list[str] = []
    for start in range(0, len(addresses), TEST_LIMIT):
        chunk = addresses[start : start + TEST_LIMIT]
        for send_type in ("html", "plaintext"):
            dispatcher.ledger.intend(*key, TEST, f"{r.id} {send_type} to {', '.join(chunk)}")
            try:
                api.send_test(dispatcher.mc, r.id, chunk, send_type)
            except MailchimpError as err:
                sent = f"sent to {', '.join(done)}; then " if done else ""
                if not ambiguous(err):
                    dispatcher.ledger.settle(*key, TEST)
                    raise MailchimpError(
                        f"{sent}the {send_type} test to {', '.join(chunk)} failed: {err}",
                        err.status,
                    ) from None
                raise MailchimpError(
                    f"{sent}the {send_type} test to {', '.join(chunk)} got no answer, so it "
                    f"may have gone ({err}): ask them; `bulletin test-send {wanted.path} "
                    "--again` sends it again",
                    err.status,
                ) from None
            dispatcher.on_step("test")
        done += chunk
    dispatcher.ledger.settle(*key, TEST)
    return addresses


def _check_addresses(addresses: list[str]) -> None:
    from email_validator import EmailNotValidError, validate_email

    for address in addresses:
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError as err:
            raise BulletinError(f"--to {address}: not an e-mail address ({err})") from None


def schedule(
    dispatcher: Dispatcher, wanted: WantedCampaign, at: datetime, *, resend: bool = False
) -> tuple[Ready, bool]:
    """Book the send for `at` (UTC, checked by sendtime.send_time); False if it already was.
    A copy of an issue that has gone is refused unless `resend`."""
    r = ready(dispatcher, wanted)
    refuse_if_sent(r.campaign, wanted.path, "schedule it")
    if r.scheduled is not None:
        if r.scheduled == at:
            return r, False
        raise BulletinError(
            f"{wanted.path}: its campaign is already scheduled for {local(r.scheduled)}: "
            f"run bulletin unschedule {wanted.path} first"
        )
    if not resend:
        _refuse_a_copy(dispatcher, r)
    dispatcher.act(
        lambda: api.schedule(dispatcher.mc, r.id, utc_iso(at)),
        r.id,
        done=lambda c: c.get("status") == "schedule" and parse_iso(c.get("send_time")) == at,
        what="scheduled",
    )
    dispatcher.on_step("schedule")
    dispatcher.ledger.record_status(
        r.wanted.title, r.wanted.audience.list_id, "schedule", utc_iso(at)
    )
    return r, True


def unschedule(dispatcher: Dispatcher, issue: Path, audience: str | None = None) -> datetime | None:
    """Take the booking off; the time it was booked for, or None if it was not scheduled.

    This must work when the issue no longer loads (the mistake that made the officer stop the
    send, half corrected): then the ledger says which campaign the file was pushed to.
    """
    campaign, entry = _campaign_of(dispatcher, issue, audience)
    if campaign is None:
        raise BulletinError(f"{issue}: no campaign in Mailchimp: nothing to unschedule")
    refuse_if_sent(campaign, issue, "unschedule it")
    status = campaign.get("status")
    when = parse_iso(campaign.get("send_time")) if status == "schedule" else None
    if when is None:
        return None
    dispatcher.act(
        lambda: api.unschedule(dispatcher.mc, campaign["id"]),
        campaign["id"],
        done=lambda c: c.get("status") in ("save", "paused"),
        what="unscheduled",
    )
    dispatcher.on_step("unschedule")
    if entry is not None:
        dispatcher.ledger.record_status(entry.issue, entry.list_id, "save", None)
    return when


def _campaign_of(
    dispatcher: Dispatcher, issue: Path, audience: str | None
) -> tuple[dict[str, Any] | None, Entry | None]:
    try:
        wanted = wanted_campaign(issue, audience, check=False)
    except ContentError:
        root = find_root(issue)
        wanted_path = relative_path(issue, root)
        entries = [e for e in dispatcher.ledger.entries() if e.path == wanted_path]
        if audience is not None:
            audiences = load_audiences(root)
            named = audiences.named(audience) if audiences else None
            entries = [e for e in entries if named is not None and e.list_id == named.list_id]
        if len(entries) != 1:
            raise
        return dispatcher.get_campaign(entries[0].campaign_id), entries[0]
    return dispatcher.find(wanted)


def ready_to_send(dispatcher: Dispatcher, wanted: WantedCampaign, *, resend: bool = False) -> Ready:
    """The campaign to send now: it holds the issue and is neither booked nor sent, nor (unless
    `resend`) a copy of an issue that has gone."""
    r = ready(dispatcher, wanted)
    refuse_if_sent(r.campaign, wanted.path, "send it again")
    if r.scheduled is not None:
        raise BulletinError(
            f"{wanted.path}: its campaign is scheduled for {local(r.scheduled)}: "
            f"run bulletin unschedule {wanted.path} first to send it now"
        )
    if not resend:
        _refuse_a_copy(dispatcher, r)
    return r


def _refuse_a_copy(dispatcher: Dispatcher, r: Ready) -> None:
    refuse_a_copy(dispatcher.mc, r.wanted.audience.list_id, r.id, r.wanted.settings, r.wanted.path)


def send(dispatcher: Dispatcher, r: Ready) -> None:
    """Send now. Mailchimp sends a campaign once; an unanswered send is read back, not repeated."""
    dispatcher.act(
        lambda: api.send(dispatcher.mc, r.id),
        r.id,
        done=lambda c: c.get("status") in FINAL,
        what="sent",
    )
    dispatcher.on_step("send")
    dispatcher.ledger.record_status(r.wanted.title, r.wanted.audience.list_id, "sending", None)
