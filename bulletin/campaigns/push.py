"""`bulletin push`: the issue's Mailchimp campaign, created once and kept in line with the issue.

Never a second campaign for one issue: the campaign is found by its unique title in the
audience's list (`bulletin:<publication>:<issue>`), the ledger saying which one when Mailchimp's
own pages renamed it. The intent to create is written down first; a create that got no answer
is read back by that title for a while (and so is an earlier run's, before a new create), and
after any create the title is looked up again: if two drafts carry it (a race with another
computer, a lost answer that landed late) the oldest is kept and the other deleted
(`duplicates.py`). Pushing an unchanged issue makes no write call: what the issue asks for is
hashed and compared with what Mailchimp holds. Only calls that are safe to repeat are retried;
the others are read back (see `Dispatcher.act`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.campaigns.compare import PARTS, SETTINGS, remote_hash, remote_parts
from bulletin.campaigns.duplicates import Titled, sort_out
from bulletin.campaigns.ledger import Entry, Ledger
from bulletin.campaigns.wanted import WantedCampaign
from bulletin.errors import BulletinError
from bulletin.mailchimp import campaigns as api
from bulletin.mailchimp.client import Mailchimp, MailchimpError, ambiguous
from bulletin.state import utc_now

CREATE, TEST = "create", "test"  # steps whose intent the ledger keeps

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
        settle: float | None = None,
        on_note: Callable[[str], None] | None = None,
    ) -> None:
        self.mc = mc
        self.ledger = ledger
        self.page_size = page_size
        self.on_step = on_step or (lambda step: None)  # tests stop a run here, as a kill would
        # How long an unanswered step is read back before its outcome is called unknown.
        self.settle = 3 * mc.config.timeout if settle is None else settle
        self.poll = min(2.0, max(0.1, self.settle / 10))
        self.wait = time.sleep
        self.notes: list[str] = []
        self.on_note = on_note

    def note(self, message: str) -> None:
        """Something the user should know that is not an error: a duplicate deleted, say."""
        self.notes.append(message)
        if self.on_note is not None:
            self.on_note(message)

    # -- reading (safe: retried) -------------------------------------------------------------

    def get_campaign(self, campaign_id: str) -> dict[str, Any] | None:
        """The campaign, or None if Mailchimp has no such campaign (deleted there)."""
        return api.get(self.mc, campaign_id)

    def content(self, campaign_id: str) -> dict[str, Any]:
        return api.content(self.mc, campaign_id)

    def titled(self, wanted: WantedCampaign) -> Titled:
        """The campaigns titled for this issue in its list, sorted out (`duplicates.py`)."""
        found = api.titled(self.mc, wanted.audience.list_id, wanted.title, page_size=self.page_size)
        return sort_out(wanted.title, found)

    def find(
        self, wanted: WantedCampaign, *, tidy: bool = True
    ) -> tuple[dict[str, Any] | None, Entry | None]:
        """The issue's campaign and its ledger row: the one titled for it in Mailchimp (the
        ledger's, where Mailchimp's pages renamed it). Duplicate drafts are deleted (`tidy`)
        or reported."""
        entry = self.ledger.get(wanted.title, wanted.audience.list_id)
        titled = self.titled(wanted)
        if titled.extra:
            if tidy:
                self.tidy(titled)
            else:
                self.note(titled.report(wanted.path))
        campaign = titled.keep
        if campaign is None and entry is not None:
            campaign = self.get_campaign(entry.campaign_id)  # renamed in Mailchimp's pages?
            if campaign is None:
                self.ledger.forget(entry.issue, entry.list_id)  # deleted in Mailchimp
                entry = None
        if campaign is not None and tidy:
            self.ledger.settle(wanted.title, wanted.audience.list_id, CREATE)
        return campaign, entry

    def tidy(self, titled: Titled) -> None:
        """Delete the duplicate drafts (never a campaign that is scheduled or sent); say so."""
        for draft in titled.drafts:
            api.delete(self.mc, draft["id"])
        if titled.drafts:
            self.note(titled.deleted_note())
        if titled.booked:
            self.note(titled.booked_note())

    def read_back(self, wanted: WantedCampaign, until: float) -> dict[str, Any] | None:
        """Look for the issue's campaign by its title until `until` (time.monotonic)."""
        while True:
            titled = self.titled(wanted)
            if titled.keep is not None:
                if titled.extra:
                    self.tidy(titled)
                return titled.keep
            if time.monotonic() >= until:
                return None
            self.wait(self.poll)

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
        try:
            return self._push(wanted)
        except MailchimpError as err:
            if err.status != 404:
                raise
            # The campaign went while we worked on it: another computer, pushing the same
            # issue at the same moment, kept the other of two drafts. Start again, once.
            self.note(f"the campaign went from Mailchimp while pushing ({err}): looking again")
            return self._push(wanted)

    def _push(self, wanted: WantedCampaign) -> Pushed:
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
            self.ledger.settle(wanted.title, wanted.audience.list_id, TEST)  # a new test is new
        self._pushed(wanted, campaign, content)
        return Pushed(campaign, "updated", changed)

    def _first_push(self, wanted: WantedCampaign) -> Pushed:
        key = (wanted.title, wanted.audience.list_id)
        earlier = self.ledger.pending(*key, CREATE)
        campaign = None
        if earlier is not None:  # an earlier run's create got no answer: it may still land
            campaign = self.read_back(wanted, time.monotonic() + self._left(earlier[1]))
        if campaign is None:
            self.ledger.intend(*key, CREATE)
            try:
                campaign = api.create(self.mc, wanted.recipients, wanted.settings, wanted.tracking)
            except MailchimpError as err:
                if not ambiguous(err):
                    self.ledger.settle(*key, CREATE)
                    raise
                campaign = self.read_back(wanted, time.monotonic() + self.settle)
                if campaign is None:
                    raise MailchimpError(
                        f"{err}; after {self.settle:g} s Mailchimp shows no campaign titled "
                        f"'{wanted.title}', so whether it was made is unknown: check "
                        "`bulletin status` in a minute, then push again (it looks for that "
                        "campaign before making one)",
                        err.status,
                    ) from None
            self.on_step("create")
            campaign = self._one_after_create(wanted, campaign)
        self.ledger.put(self._entry(wanted, campaign, None))
        self.ledger.settle(*key, CREATE)
        self.on_step("ledger")
        content = self._set_content(wanted, campaign["id"])
        self._pushed(wanted, campaign, content)
        return Pushed(campaign, "created", [])

    def _left(self, since: str) -> float:
        """Seconds of the read-back window still to run after a step tried at `since`."""
        from bulletin.campaigns.sendtime import parse_iso

        began = parse_iso(since)
        if began is None:
            return 0.0
        from datetime import UTC, datetime

        spent = (datetime.now(UTC) - began).total_seconds()
        return max(0.0, min(self.settle, self.settle - spent))

    def _one_after_create(self, wanted: WantedCampaign, made: dict[str, Any]) -> dict[str, Any]:
        """Look again: another computer, or a lost answer that landed, may have made one too."""
        titled = self.titled(wanted)
        if titled.keep is None:
            return made  # not listed yet: the next push or status sees any duplicate
        if titled.extra:
            self.tidy(titled)
        return titled.keep

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
        """An action that must not happen twice: after no answer or a 5xx, read the status back
        for a while (a slow answer may still land) before saying anything."""
        try:
            operation()
        except MailchimpError as err:
            if not ambiguous(err):
                raise
            until = time.monotonic() + self.settle
            status = "unreadable"
            while True:
                try:
                    campaign = self.get_campaign(campaign_id)
                except MailchimpError:
                    campaign, status = None, "unreadable"
                else:
                    if campaign is not None and done(campaign):
                        return
                    status = str(campaign.get("status")) if campaign else "deleted"
                if time.monotonic() >= until:
                    break
                self.wait(self.poll)
            seen = (
                "nor could the campaign be read back"
                if status == "unreadable"
                else f"Mailchimp still shows the campaign '{status}'"
            )
            raise MailchimpError(
                f"{err}; {seen} after {self.settle:g} s, so whether it was {what} is unknown: "
                "check `bulletin status` in a minute",
                err.status,
            ) from None


def open_dispatcher(
    root: Path, *, writing: bool = True, on_note: Callable[[str], None] | None = None
) -> Dispatcher:
    """A dispatcher for the project at `root`, with the key and base URL from the environment.

    `writing`: the ledger must take rows, checked now, before anything is done in Mailchimp;
    a damaged ledger is set aside and rebuilt from Mailchimp's campaigns.
    """
    from bulletin.mailchimp.client import Config

    dispatcher = Dispatcher(Mailchimp(Config.from_env()), Ledger.at(root), on_note=on_note)
    if writing:
        dispatcher.ledger.check_writable()
    return dispatcher
