"""Whether Mailchimp holds what an issue asks for: the parts compared, and their hash.

The hash covers every part the issue decides (subject, preview, sender, title, recipients,
tracking, HTML, text), computed the same way from our side and from Mailchimp's answers, so
the two can be compared without a write; where they differ, `PARTS` names what differs for
the officer.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# What the officer reads when one part differs, by the name Mailchimp gives it.
PARTS = {
    "subject_line": "subject",
    "preview_text": "preview text",
    "from_name": "from name",
    "reply_to": "reply-to",
    "title": "title",
    "list_id": "audience",
    "segment_opts": "segment",
    "tracking": "tracking",
    "html": "HTML",
    "plain_text": "plain text",
}
SETTINGS = ("title", "subject_line", "preview_text", "from_name", "reply_to")
TRACKING = ("opens", "html_clicks", "text_clicks")


def tracking_of(tracking: dict[str, Any] | None) -> dict[str, bool]:
    """Mailchimp's `tracking` flags that the issue decides; what Mailchimp leaves out, it tracks."""
    given = tracking or {}
    return {k: given.get(k) is not False for k in TRACKING}


def parts(
    settings: dict[str, Any],
    recipients: dict[str, Any],
    html: str,
    text: str,
    tracking: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The parts of a campaign the issue decides, normalised so ours and Mailchimp's compare."""
    opts = recipients.get("segment_opts") or {}
    segment = {k: v for k, v in opts.items() if k == "saved_segment_id" and v}
    if opts.get("conditions"):
        segment.update(match=opts.get("match", "all"), conditions=opts["conditions"])
    return {
        **{k: settings.get(k) or "" for k in SETTINGS},
        "list_id": recipients.get("list_id") or "",
        "segment_opts": segment,
        "tracking": tracking_of(tracking),
        "html": html or "",
        "plain_text": text or "",
    }


def fingerprint(
    settings: dict[str, Any],
    recipients: dict[str, Any],
    html: str,
    text: str,
    tracking: dict[str, Any] | None = None,
) -> str:
    """The content hash: subject, preview, sender, title, recipients, tracking, HTML and text."""
    data = json.dumps(
        parts(settings, recipients, html, text, tracking), sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def remote_parts(campaign: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    return parts(
        campaign.get("settings") or {},
        campaign.get("recipients") or {},
        content.get("html") or "",
        content.get("plain_text") or "",
        campaign.get("tracking"),
    )


def remote_hash(campaign: dict[str, Any], content: dict[str, Any]) -> str:
    p = remote_parts(campaign, content)
    return fingerprint(p, p, p["html"], p["plain_text"], p["tracking"])
