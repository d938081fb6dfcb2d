"""Mailchimp's reports of a sent campaign, read a page of 1,000 at a time.

Every call here is a read, so each is retried. Per-recipient collections are asked for the
fields the report needs and no more: the subscriber hash (`email_id`), never the address, and
of the merge fields only the organisation. What comes back is counted by the caller, in
memory, and never written anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bulletin.mailchimp.client import Mailchimp


def _api(mc: Mailchimp) -> Any:
    return mc.client.reports


SUMMARY_FIELDS = [
    "id",
    "emails_sent",
    "abuse_reports",
    "unsubscribed",
    "send_time",
    "bounces.hard_bounces",
    "bounces.soft_bounces",
    "opens.opens_total",
    "opens.unique_opens",
    "clicks.clicks_total",
    "clicks.unique_subscriber_clicks",
]


def summary(mc: Mailchimp, campaign_id: str) -> dict[str, Any]:
    """The campaign's totals: sent, bounces, opens, clicks, unsubscribes, abuse reports."""
    found: dict[str, Any] = mc.call(
        _api(mc).get_campaign_report, campaign_id, fields=SUMMARY_FIELDS, retry=True
    )
    return found


def clicked_links(mc: Mailchimp, campaign_id: str) -> Iterator[dict[str, Any]]:
    """Each tracked link of the campaign: `url`, `total_clicks`, `unique_clicks`."""
    return mc.pages(
        _api(mc).get_campaign_click_details,
        "urls_clicked",
        campaign_id,
        fields=[
            "urls_clicked.url",
            "urls_clicked.total_clicks",
            "urls_clicked.unique_clicks",
            "total_items",
        ],
    )


def activity(mc: Mailchimp, campaign_id: str) -> Iterator[dict[str, Any]]:
    """Per recipient: `email_id` and `activity` (each `action`, and a click's `url`)."""
    return mc.pages(
        _api(mc).get_email_activity_for_campaign,
        "emails",
        campaign_id,
        fields=[
            "emails.email_id",
            "emails.activity.action",
            "emails.activity.url",
            "total_items",
        ],
    )


def sent_to(mc: Mailchimp, campaign_id: str, organisation: str | None) -> Iterator[dict[str, Any]]:
    """Per recipient: `email_id`, `status` (sent, hard, soft) and the organisation merge field."""
    fields = ["sent_to.email_id", "sent_to.status", "total_items"]
    if organisation:
        fields.append(f"sent_to.merge_fields.{organisation}")
    return mc.pages(_api(mc).get_campaign_recipients, "sent_to", campaign_id, fields=fields)


def unsubscribed(mc: Mailchimp, campaign_id: str) -> Iterator[str]:
    """The subscriber hashes of those who unsubscribed through this campaign."""
    for item in mc.pages(
        _api(mc).get_unsubscribed_list_for_campaign,
        "unsubscribes",
        campaign_id,
        fields=["unsubscribes.email_id", "total_items"],
    ):
        yield str(item["email_id"])


def segment_member_ids(mc: Mailchimp, list_id: str, segment_id: int) -> Iterator[str]:
    """The subscriber hashes of a tag's or saved segment's members, those who left since too."""
    for member in mc.pages(
        mc.client.lists.get_segment_members_list,
        "members",
        list_id,
        str(segment_id),
        include_unsubscribed=True,
        include_cleaned=True,
        fields=["members.id", "total_items"],
    ):
        yield str(member["id"])


def sent_campaigns(
    mc: Mailchimp, list_id: str, since: str, before: str
) -> Iterator[dict[str, Any]]:
    """The audience's campaigns sent in [since, before) (ISO 8601, UTC): id, title, send time."""
    return mc.pages(
        mc.client.campaigns.list,
        "campaigns",
        list_id=list_id,
        status="sent",
        since_send_time=since,
        before_send_time=before,
        fields=[
            "campaigns.id",
            "campaigns.settings.title",
            "campaigns.send_time",
            "total_items",
        ],
    )
