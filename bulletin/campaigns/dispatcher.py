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

from bulletin.campaigns.ledger import Entry, Ledger, now_iso
from bulletin.campaigns.wanted import PARTS, Payload, remote_hash, remote_parts
from bulletin.errors import BulletinError
from bulletin.mailchimp.client import Mailchimp, MailchimpError

FINAL = ("sending", "sent", "canceling", "canceled")
CAMPAIGN_FIELDS = [
    "id",
    "status",
    "send_time",
    "emails_sent",
    "settings.title",
    "settings.subject_line",
    "settings.preview_text",
    "settings.from_name",
    "settings.reply_to",
    "recipients.list_id",
    "recipients.list_name",
    "recipients.recipient_count",
    "recipients.segment_opts",
]


@dataclass(frozen=True)
class Pushed:
    campaign: dict[str, Any]
    action: str  # created, updated, unchanged
    changed: list[str]

    @property
    def recipients(self) -> int:
        return int((self.campaign.get("recipients") or {}).get("recipient_count") or 0)


def _ambiguous(err: MailchimpError) -> bool:
    """No answer, or a server error: the call may or may not have been carried out."""
    return err.unreachable or (err.status or 0) >= 500


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

    @property
    def campaigns(self) -> Any:
        return self.mc.client.campaigns

    # -- reading (safe: retried) -------------------------------------------------------------

    def get_campaign(self, campaign_id: str) -> dict[str, Any] | None:
        """The campaign, or None if Mailchimp has no such campaign (deleted there)."""
        try:
            found: dict[str, Any] = self.mc.call(
                self.campaigns.get, campaign_id, fields=CAMPAIGN_FIELDS, retry=True
            )
        except MailchimpError as err:
            if err.status == 404:
                return None
            raise
        return found

    def content(self, campaign_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.mc.call(
            self.campaigns.get_content, campaign_id, fields=["html", "plain_text"], retry=True
        )
        return found

    def lookup(self, payload: Payload) -> dict[str, Any] | None:
        """The campaign titled for this issue in its list, paging through all of them."""
        ids: list[str] = []
        offset = 0
        while True:
            page = self.mc.call(
                self.campaigns.list,
                list_id=payload.audience.list_id,
                fields=["campaigns.id", "campaigns.settings.title", "total_items"],
                count=self.page_size,
                offset=offset,
                retry=True,
            )
            found = page.get("campaigns") or []
            ids += [
                c["id"] for c in found if (c.get("settings") or {}).get("title") == payload.title
            ]
            offset += len(found)
            if not found or offset >= int(page.get("total_items") or 0):
                break
        if len(ids) > 1:
            raise BulletinError(
                f"Mailchimp holds {len(ids)} campaigns titled '{payload.title}' "
                f"({', '.join(ids)}): delete the extra ones in Mailchimp, then run this again"
            )
        return self.get_campaign(ids[0]) if ids else None

    def find(self, payload: Payload) -> tuple[dict[str, Any] | None, Entry | None]:
        """The issue's campaign: the ledger's, else the one titled for it; and the ledger row."""
        entry = self.ledger.get(payload.title, payload.audience.list_id)
        if entry is not None:
            campaign = self.get_campaign(entry.campaign_id)
            if campaign is not None:
                return campaign, entry
            self.ledger.forget(entry.issue, entry.list_id)  # deleted in Mailchimp
            entry = None
        return self.lookup(payload), entry

    def up_to_date(
        self,
        payload: Payload,
        campaign: dict[str, Any],
        content: dict[str, Any],
        entry: Entry | None,
    ) -> bool:
        """Mailchimp holds what the issue asks for: the same, or what we pushed, untouched since."""
        held = remote_hash(campaign, content)
        if held == payload.hash:
            return True
        return (
            entry is not None
            and entry.campaign_id == campaign["id"]
            and entry.content_hash == payload.hash
            and entry.remote_hash == held
        )

    def differences(
        self, payload: Payload, campaign: dict[str, Any], content: dict[str, Any]
    ) -> list[str]:
        ours, theirs = payload.parts(), remote_parts(campaign, content)
        return [PARTS[k] for k in ours if ours[k] != theirs[k]]

    # -- writing -----------------------------------------------------------------------------

    def push(self, payload: Payload) -> Pushed:
        """Create or update the issue's campaign; no write call when Mailchimp is up to date."""
        campaign, entry = self.find(payload)
        if campaign is None:
            return self._first_push(payload)
        if payload.keep_targeting:
            payload = payload.targeting_of(campaign)
        content = self.content(campaign["id"])
        if self.up_to_date(payload, campaign, content, entry):
            self.remember(payload, campaign, content, entry)
            return Pushed(campaign, "unchanged", [])
        self.editable(payload, campaign, "change it")
        changed = self.differences(payload, campaign, content)
        ours, theirs = payload.parts(), remote_parts(campaign, content)
        settings_keys = ("title", "subject_line", "preview_text", "from_name", "reply_to")
        if any(ours[k] != theirs[k] for k in (*settings_keys, "list_id", "segment_opts")):
            body: dict[str, Any] = {"settings": payload.settings}
            if (ours["list_id"], ours["segment_opts"]) != (
                theirs["list_id"],
                theirs["segment_opts"],
            ):
                body["recipients"] = payload.recipients
            campaign = self.mc.call(self.campaigns.update, campaign["id"], body, retry=True)
            self.on_step("update")
        if (ours["html"], ours["plain_text"]) != (theirs["html"], theirs["plain_text"]):
            content = self._set_content(payload, campaign["id"])
        self._pushed(payload, campaign, content)
        return Pushed(campaign, "updated", changed)

    def _first_push(self, payload: Payload) -> Pushed:
        body = {"type": "regular", "recipients": payload.recipients, "settings": payload.settings}
        try:
            campaign = self.unsafe(self.campaigns.create, body)
        except MailchimpError as err:
            if not _ambiguous(err):
                raise
            found = self.lookup(payload)  # read back: did it happen after all?
            if found is None:
                raise MailchimpError(
                    f"{err}; Mailchimp shows no campaign titled '{payload.title}' (yet): run "
                    "bulletin push again in a minute (it finds the campaign if it was made)",
                    err.status,
                ) from None
            campaign = found
        self.on_step("create")
        self.ledger.put(self._entry(payload, campaign, None))
        self.on_step("ledger")
        content = self._set_content(payload, campaign["id"])
        self._pushed(payload, campaign, content)
        return Pushed(campaign, "created", [])

    def _set_content(self, payload: Payload, campaign_id: str) -> dict[str, Any]:
        body = {"html": payload.html, "plain_text": payload.text}
        content: dict[str, Any] = self.mc.call(
            self.campaigns.set_content, campaign_id, body, retry=True
        )
        self.on_step("content")
        return content

    def _pushed(self, payload: Payload, campaign: dict[str, Any], content: dict[str, Any]) -> None:
        entry = self._entry(payload, campaign, payload.hash).but(
            remote_hash=remote_hash(campaign, content), last_pushed=now_iso()
        )
        self.ledger.put(entry)

    def _entry(self, payload: Payload, campaign: dict[str, Any], content_hash: str | None) -> Entry:
        scheduled = campaign.get("send_time") if campaign.get("status") == "schedule" else None
        return Entry(
            issue=payload.title,
            list_id=payload.audience.list_id,
            path=payload.relpath,
            campaign_id=campaign["id"],
            status=campaign.get("status") or "save",
            content_hash=content_hash,
            schedule_time=scheduled or None,
            recipients=(campaign.get("recipients") or {}).get("recipient_count"),
        )

    def remember(
        self,
        payload: Payload,
        campaign: dict[str, Any],
        content: dict[str, Any],
        entry: Entry | None,
    ) -> None:
        """Bring the ledger's row in line with a campaign that holds the issue (a local write)."""
        fresh = self._entry(payload, campaign, payload.hash).but(
            remote_hash=remote_hash(campaign, content),
            last_pushed=entry.last_pushed if entry else None,
        )
        if fresh != entry:
            self.ledger.put(fresh)

    def editable(self, payload: Payload, campaign: dict[str, Any], doing: str) -> None:
        """Refuse to touch a campaign that is booked or gone: say what to do instead."""
        from bulletin.campaigns.sendtime import local, parse_iso

        status = campaign.get("status")
        if status == "schedule":
            when = parse_iso(campaign.get("send_time"))
            at = f" for {local(when)}" if when else ""
            raise BulletinError(
                f"{payload.path}: its campaign is scheduled{at}, so Mailchimp will not let us "
                f"{doing}: run bulletin unschedule {payload.path} first"
            )
        if status in FINAL:
            raise BulletinError(
                f"{payload.path}: its campaign {campaign['id']} has been sent (status '{status}'); "
                "a sent campaign cannot change"
            )

    def unsafe(self, operation: Callable[..., Any], *args: Any) -> Any:
        """Call once; repeat only after a 429, which Mailchimp answers before doing anything."""
        attempt = 1
        while True:
            try:
                return self.mc.call(operation, *args, retry=False)
            except MailchimpError as err:
                if err.status != 429 or attempt >= self.mc.max_attempts:
                    raise
                self.mc.sleep(min(err.retry_after or 1.0, self.mc.max_delay))
                attempt += 1

    def act(
        self,
        operation: Callable[..., Any],
        campaign_id: str,
        *args: Any,
        done: Callable[[dict[str, Any]], bool],
        what: str,
    ) -> None:
        """An action that must not happen twice: after no answer or a 5xx, read the status back."""
        try:
            self.unsafe(operation, campaign_id, *args)
        except MailchimpError as err:
            if not _ambiguous(err):
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
