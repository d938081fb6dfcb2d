"""A copy of an issue that has gone: the same email again, under another file's name.

An issue's campaign is found by its title, made from the file's name, so last month's file
copied to start this month's gets a campaign of its own. If its subject and preview text are
still last month's, sending it mails the same readers the same bulletin twice. Before a send or
a schedule, the audience's other campaigns are read (one call a hundred): one already sent,
sending or booked with the same subject and preview text stops it, unless the officer says it
is meant (`--resend`, a correction sent again).
"""

from __future__ import annotations

from typing import Any

from bulletin.campaigns.sendtime import local, parse_iso
from bulletin.errors import BulletinError
from bulletin.mailchimp import campaigns as api
from bulletin.mailchimp.client import Mailchimp

GONE = ("sending", "sent", "schedule")  # a campaign that has reached, or will reach, inboxes


def gone_before(
    campaigns: list[dict[str, Any]], campaign_id: str, settings: dict[str, str]
) -> dict[str, Any] | None:
    """The first of `campaigns`, other than `campaign_id`, that has gone (or is booked to go)
    with the subject line and preview text of `settings`; None if none has."""
    same = (settings["subject_line"], settings.get("preview_text") or "")
    for other in campaigns:
        held = other.get("settings") or {}
        if (
            other.get("id") != campaign_id
            and other.get("status") in GONE
            and (held.get("subject_line"), held.get("preview_text") or "") == same
        ):
            return other
    return None


def refuse_a_copy(
    mc: Mailchimp, list_id: str, campaign_id: str, settings: dict[str, str], path: object
) -> None:
    """Stop if another campaign of the list has gone with these subject and preview text."""
    other = gone_before(api.titled(mc, list_id, None), campaign_id, settings)
    if other is not None:
        raise BulletinError(
            f"{path}: {copy_of(other)}: is this issue a copy of that one? Change the subject "
            "or the preview text and push again, or give --resend to send the same again"
        )


def copy_of(other: dict[str, Any]) -> str:
    """`campaign 1b7558bfae ('bulletin:wscp:2020-12') went to the same audience on ...`."""
    held = other.get("settings") or {}
    when = parse_iso(other.get("send_time"))
    gone = "is booked to go" if other.get("status") == "schedule" else "went"
    at = f" on {local(when)}" if when else ""
    return (
        f"campaign {other.get('id')} ('{held.get('title')}') {gone} to the same audience{at} "
        "with this subject and preview text"
    )
