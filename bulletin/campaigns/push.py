"""`bulletin push`: the issue's Mailchimp campaign, created once and kept in line with the issue.

Never a second campaign for one issue: the campaign is found through the ledger, else by its
unique title in the audience's list (`bulletin:<publication>:<issue>`), and a create that got no
answer is read back by that title before anything else is tried. Pushing an unchanged issue
makes no write call: what the issue asks for is hashed and compared with what Mailchimp holds.
Only calls that are safe to repeat are retried; the others are read back (see `Dispatcher.act`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.campaigns.compare import PARTS, SETTINGS, remote_hash, remote_parts
from bulletin.campaigns.ledger import Entry, Ledger
from bulletin.campaigns.wanted import WantedCampaign
from bulletin.errors import BulletinError
from bulletin.mailchimp import campaigns as api
from bulletin.mailchimp.client import Mailchimp, MailchimpError, ambiguous
from bulletin.state import utc_now

FINAL = ("sending", "sent", "canceling", "canceled")


@dataclass(frozen=True)
class Pushed:
    campaign: dict[str, Any]
    action: str  # created, updated, unchanged
    changed: list[str]

    @property
    def recipients(self) -> int:
        return api.recipient_count(self.campaign) or 0


def refuse_if_sent(campaign: dict[str, Any], issue: Path, doing: str) -> None:
    """A sent campaign cannot change, be booked or be sent again: say so, and stop."""
    status = campaign.get("status")
    if status in FINAL:
        raise BulletinError(
            f"{issue}: its campaign {campaign['id']} has been sent (status '{status}'): "
            f"cannot {doing}"
        )


class Dispatcher:
    """Finds an issue's campaign and changes it, recording each step in the ledger."""

    def __init__(
        self,
        mc: Mailchimp,
        ledger: Ledger,
        *,
        page_size: int = 100,
        on_step: Callable[[str], None] | None = None,
    ) -> None:
        self.mc = mc
        self.ledger = ledger
        self.page_size = page_size
        self.on_step = on_step or (lambda step: None)  # tests stop a run here, as a kill would

    # -- reading (safe: retried) -------------------------------------------------------------

    def get_campaign(self, campaign_id: str) -> dict[str, Any] | None:
        """The campaign, or None if Mailchimp has no such campaign (deleted there)."""
        return api.get(self.mc, campaign_id)

    def content(self, campaign_id: str) -> dict[str, Any]:
        return api.content(self.mc, campaign_id)

    def lookup(self, wanted: WantedCampaign) -> dict[str, Any] | None:
        """The campaign titled for this issue in its list, paging through all of them."""
        ids = api.titled(self.mc, wanted.audience.list_id, wanted.title, page_size=self.page_size)
        if len(ids) > 1:
            raise BulletinError(
                f"Mailchimp holds {len(ids)} campaigns titled '{wanted.title}' "
                f"({', '.join(ids)}): delete the extra ones in Mailchimp, then run this again"
            )
        return self.get_campaign(ids[0]) if ids else None

    def find(self, wanted: WantedCampaign) -> tuple[dict[str, Any] | None, Entry | None]:
        """The issue's campaign: the ledger's, else the one titled for it; and the ledger row."""
        entry = self.ledger.get(wanted.title, wanted.audience.list_id)
        if entry is not None:
            campaign = self.get_campaign(entry.campaign_id)
            if campaign is not None:
                return campaign, entry
            self.ledger.forget(entry.issue, entry.list_id)  # deleted in Mailchimp
            entry = None
        return self.lookup(wanted), entry

    def up_to_date(
        self,
        wanted: WantedCampaign,
        campaign: dict[str, Any],
        content: dict[str, Any],
        entry: Entry | None,
    ) -> bool:
        """Mailchimp holds what the issue asks for: the same, or what we pushed, untouched since."""
        held = remote_hash(campaign, content)
        if held == wanted.hash:
            return True
        return (
            entry is not None
            and entry.campaign_id == campaign["id"]
            and entry.content_hash == wanted.hash
            and entry.remote_hash == held
        )

    def differences(
        self, wanted: WantedCampaign, campaign: dict[str, Any], content: dict[str, Any]
    ) -> list[str]:
        ours, theirs = wanted.parts(), remote_parts(campaign, content)
        return [PARTS[k] for k in ours if ours[k] != theirs[k]]

    # -- writing -----------------------------------------------------------------------------

    def push(self, wanted: WantedCampaign) -> Pushed:
        """Create or update the issue's campaign; no write call when Mailchimp is up to date."""
        campaign, entry = self.find(wanted)
        if campaign is None:
            return self._first_push(wanted)
        if wanted.keep_targeting:
            wanted = wanted.targeting_of(campaign)
        content = self.content(campaign["id"])
        if self.up_to_date(wanted, campaign, content, entry):
            self.remember(wanted, campaign, content, entry)
            return Pushed(campaign, "unchanged", [])
        self.editable(wanted, campaign, "change it")
        changed = self.differences(wanted, campaign, content)
        ours, theirs = wanted.parts(), remote_parts(campaign, content)
        if any(ours[k] != theirs[k] for k in (*SETTINGS, "tracking", "list_id", "segment_opts")):
            body: dict[str, Any] = {"settings": wanted.settings, "tracking": wanted.tracking}
            if (ours["list_id"], ours["segment_opts"]) != (
                theirs["list_id"],
                theirs["segment_opts"],
            ):
                body["recipients"] = wanted.recipients
            campaign = api.update(self.mc, campaign["id"], body)
            self.on_step("update")
        if (ours["html"], ours["plain_text"]) != (theirs["html"], theirs["plain_text"]):
            content = self._set_content(wanted, campaign["id"])
        self._pushed(wanted, campaign, content)
        return Pushed(campaign, "updated", changed)

    def _first_push(self, wanted: WantedCampaign) -> Pushed:
        try:
            campaign = api.create(self.mc, wanted.recipients, wanted.settings, wanted.tracking)
        except MailchimpError as err:
            if not ambiguous(err):
                raise
            found = self.lookup(wanted)  # read back: did it happen after all?
            if found is None:
                raise MailchimpError(
                    f"{err}; Mailchimp shows no campaign titled '{wanted.title}' (yet): run "
                    "bulletin push again in a minute (it finds the campaign if it was made)",
                    err.status,
                ) from None
            campaign = found
        self.on_step("create")
        self.ledger.put(self._entry(wanted, campaign, None))
        self.on_step("ledger")
        content = self._set_content(wanted, campaign["id"])
        self._pushed(wanted, campaign, content)
        return Pushed(campaign, "created", [])

    def _set_content(self, wanted: WantedCampaign, campaign_id: str) -> dict[str, Any]:
        content = api.set_content(self.mc, campaign_id, wanted.html, wanted.text)
        self.on_step("content")
        return content

    def _pushed(
        self, wanted: WantedCampaign, campaign: dict[str, Any], content: dict[str, Any]
    ) -> None:
        entry = self._entry(wanted, campaign, wanted.hash).but(
            remote_hash=remote_hash(campaign, content), last_pushed=utc_now()
        )
        self.ledger.put(entry)

    def _entry(
        self, wanted: WantedCampaign, campaign: dict[str, Any], content_hash: str | None
    ) -> Entry:
        row = Entry(wanted.title, wanted.audience.list_id, wanted.relpath, campaign["id"])
        return row.but(content_hash=content_hash).seen(campaign)

    def remember(
        self,
        wanted: WantedCampaign,
        campaign: dict[str, Any],
        content: dict[str, Any],
        entry: Entry | None,
    ) -> None:
        """Bring the ledger's row in line with a campaign that holds the issue (a local write)."""
        fresh = self._entry(wanted, campaign, wanted.hash).but(
            remote_hash=remote_hash(campaign, content),
            last_pushed=entry.last_pushed if entry else None,
        )
        if fresh != entry:
            self.ledger.put(fresh)

    def editable(self, wanted: WantedCampaign, campaign: dict[str, Any], doing: str) -> None:
        """Refuse to touch a campaign that is booked or gone: say what to do instead."""
        from bulletin.campaigns.sendtime import local, parse_iso

        if campaign.get("status") == "schedule":
            when = parse_iso(campaign.get("send_time"))
            at = f" for {local(when)}" if when else ""
            raise BulletinError(
                f"{wanted.path}: its campaign is scheduled{at}, so Mailchimp will not let us "
                f"{doing}: run bulletin unschedule {wanted.path} first"
            )
        refuse_if_sent(campaign, wanted.path, doing)

    def act(
        self,
        operation: Callable[[], None],
        campaign_id: str,
        *,
        done: Callable[[dict[str, Any]], bool],
        what: str,
    ) -> None:
        """An action that must not happen twice: after no answer or a 5xx, read the status back."""
        try:
            operation()
        except MailchimpError as err:
            if not ambiguous(err):
                raise
            try:
                campaign = self.get_campaign(campaign_id)
            except MailchimpError:
                raise MailchimpError(
                    f"{err}; nor could we read the campaign back, so it may or may not be {what}: "
                    "run bulletin status to see",
                    err.status,
                ) from None
            if campaign is not None and done(campaign):
                return
            status = campaign.get("status") if campaign else "deleted"
            raise MailchimpError(
                f"{err}; Mailchimp shows the campaign still '{status}', so not {what} (yet): "
                "run the command again in a minute (it sees if it was)",
                err.status,
            ) from None


def open_dispatcher(root: Path) -> Dispatcher:
    """A dispatcher for the project at `root`, with the key and base URL from the environment."""
    from bulletin.mailchimp.client import Config

    return Dispatcher(Mailchimp(Config.from_env()), Ledger.at(root))
