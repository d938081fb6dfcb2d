"""Mailchimp's campaign endpoints, each called with the retry it is safe to have.

Reads and updates are retried (repeating them changes nothing). A create, a test send, a
schedule, an unschedule and a send are made once (`Mailchimp.call_once`): after no answer,
the campaigns wing reads back what happened rather than asking again.
"""

from __future__ import annotations

from typing import Any

from bulletin.mailchimp.client import Mailchimp, MailchimpError

# What a campaign is read with: enough to compare it with an issue and to report on it.
FIELDS = [
    "id",
    "web_id",
    "create_time",
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
    "tracking.opens",
    "tracking.html_clicks",
    "tracking.text_clicks",
]


def _api(mc: Mailchimp) -> Any:
    return mc.client.campaigns


def get(mc: Mailchimp, campaign_id: str) -> dict[str, Any] | None:
    """The campaign, or None if Mailchimp has no such campaign (deleted there)."""
    try:
        found: dict[str, Any] = mc.call(_api(mc).get, campaign_id, fields=FIELDS, retry=True)
    except MailchimpError as err:
        if err.status == 404:
            return None
        raise
    return found


def content(mc: Mailchimp, campaign_id: str) -> dict[str, Any]:
    """The campaign's HTML and plain text."""
    found: dict[str, Any] = mc.call(
        _api(mc).get_content, campaign_id, fields=["html", "plain_text"], retry=True
    )
    return found


def titled(
    mc: Mailchimp, list_id: str | None, title: str | None, *, page_size: int = 100
) -> list[dict[str, Any]]:
    """The campaigns (of `list_id`, or of every list) whose title is `title` (any, for None),
    oldest first, as `get` reads them; `title` ending in `:` matches every title it starts."""
    query: dict[str, Any] = {"list_id": list_id} if list_id else {}
    found = [
        c
        for c in mc.pages(
            _api(mc).list,
            "campaigns",
            fields=[*(f"campaigns.{f}" for f in FIELDS), "total_items"],
            page_size=page_size,
            **query,
        )
        if title is None or _title_matches(str((c.get("settings") or {}).get("title") or ""), title)
    ]
    return sorted(found, key=age)


def _title_matches(held: str, title: str) -> bool:
    return held.startswith(title) if title.endswith(":") else held == title


def age(campaign: dict[str, Any]) -> tuple[str, int, str]:
    """Oldest first: created earlier, then the lower web id (Mailchimp counts them up)."""
    return (
        str(campaign.get("create_time") or ""),
        int(campaign.get("web_id") or 0),
        str(campaign.get("id") or ""),
    )


def delete(mc: Mailchimp, campaign_id: str) -> None:
    """Delete a draft (only ever a duplicate one); gone already is as good."""
    try:
        mc.call(_api(mc).remove, campaign_id, retry=True)
    except MailchimpError as err:
        if err.status != 404:
            raise


def create(
    mc: Mailchimp,
    recipients: dict[str, Any],
    settings: dict[str, Any],
    tracking: dict[str, bool] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "regular", "recipients": recipients, "settings": settings}
    if tracking is not None:
        body["tracking"] = tracking
    made: dict[str, Any] = mc.call_once(_api(mc).create, body)
    return made


def update(mc: Mailchimp, campaign_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Change settings or recipients (Mailchimp wants the subject, from name and reply-to
    in `settings` even when they do not change)."""
    changed: dict[str, Any] = mc.call(_api(mc).update, campaign_id, body, retry=True)
    return changed


def set_content(mc: Mailchimp, campaign_id: str, html: str, text: str) -> dict[str, Any]:
    body = {"html": html, "plain_text": text}
    held: dict[str, Any] = mc.call(_api(mc).set_content, campaign_id, body, retry=True)
    return held


def send_test(mc: Mailchimp, campaign_id: str, emails: list[str], send_type: str) -> None:
    """One test (`html` or `plaintext`) to up to six addresses."""
    body = {"test_emails": emails, "send_type": send_type}
    mc.call_once(_api(mc).send_test_email, campaign_id, body)


def schedule(mc: Mailchimp, campaign_id: str, schedule_time: str) -> None:
    """Book the send for `schedule_time` (ISO 8601, UTC, on the quarter hour)."""
    mc.call_once(_api(mc).schedule, campaign_id, {"schedule_time": schedule_time})


def unschedule(mc: Mailchimp, campaign_id: str) -> None:
    mc.call_once(_api(mc).unschedule, campaign_id)


def send(mc: Mailchimp, campaign_id: str) -> None:
    mc.call_once(_api(mc).send, campaign_id)


def recipient_count(campaign: dict[str, Any]) -> int | None:
    """How many readers Mailchimp says the campaign goes to, from a campaign it answered."""
    count = (campaign.get("recipients") or {}).get("recipient_count")
    return None if count is None else int(count)
