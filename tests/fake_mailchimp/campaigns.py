"""Campaigns: create, update, content, send checklist, test sends, schedule, send.

The spec has no state machine (ENDPOINTS.md, "What the spec does NOT say"); this one follows the
API's prose and, where that is silent, the stricter reading: only a campaign in `save` (or `paused`)
can be changed, scheduled or sent; a scheduled one must be unscheduled first; a sending or sent one
is final.
"""

from __future__ import annotations

import html as htmllib
import operator
import re
from datetime import datetime
from typing import Any

from .api import Call, route
from .errors import FIELD_DETAIL, bad_request, invalid, unmodelled
from .segments import check_options, recipients, segment_text
from .state import EMAIL, Campaign, State, iso

EDITABLE = ("save", "paused")
SETTINGS_DEFAULTS: dict[str, Any] = {
    "subject_line": "",
    "preview_text": "",
    "title": "",
    "from_name": "",
    "reply_to": "",
    "use_conversation": False,
    "to_name": "",
    "folder_id": "",
    "authenticate": True,
    "auto_footer": False,
    "inline_css": False,
    "auto_tweet": False,
    "fb_comments": True,
    "timewarp": False,
    "template_id": 0,
    "drag_and_drop": False,
}
TRACKING_DEFAULTS = {
    "opens": True,
    "html_clicks": True,
    "text_clicks": True,  # "Defaults to `true`" (the spec)
    "goal_tracking": False,
    "ecomm360": False,
    "google_analytics": "",
    "clicktale": "",
}


def campaign_json(state: State, campaign: Campaign) -> dict[str, Any]:
    audience = state.lists.get(campaign.recipients.get("list_id", ""))
    opts = campaign.recipients.get("segment_opts") or {}
    body: dict[str, Any] = {
        "id": campaign.id,
        "web_id": campaign.web_id,
        "parent_campaign_id": campaign.parent_campaign_id,
        "type": campaign.type,
        "create_time": iso(campaign.created),
        "archive_url": f"http://eepurl.com/{campaign.id[:6]}",
        "long_archive_url": f"https://us19.campaign-archive.com/?u=fake&id={campaign.id}",
        "status": campaign.status,
        "emails_sent": campaign.emails_sent,
        "send_time": iso(campaign.schedule_time or campaign.send_time),
        "content_type": "html" if campaign.content_set else "template",
        "needs_block_refresh": False,
        "resendable": False,
        "recipients": {
            "list_id": campaign.recipients.get("list_id", ""),
            "list_is_active": audience is not None,
            "list_name": audience.name if audience else "",
            "segment_text": segment_text(audience, opts) if audience else "",
            "recipient_count": len(recipients(state, campaign)),
        },
        "settings": {**SETTINGS_DEFAULTS, **campaign.settings},
        "tracking": {**TRACKING_DEFAULTS, **campaign.tracking},
        "delivery_status": {"enabled": False},
        "_links": [],
    }
    if opts:
        body["recipients"]["segment_opts"] = opts
    if campaign.social_card:
        body["social_card"] = campaign.social_card
    if campaign.status == "canceled":
        body["delivery_status"] = {
            "enabled": True,
            "can_cancel": False,
            "status": "canceled",
            "emails_sent": 0,
            "emails_canceled": campaign.emails_sent,
        }
    return body


def _check_recipients(state: State, recipients_: dict[str, Any]) -> None:
    list_id = recipients_.get("list_id", "")
    audience = state.lists.get(list_id)
    if audience is None:
        raise invalid(
            FIELD_DETAIL,
            [{"field": "recipients.list_id", "message": f"Invalid list id: {list_id!r}"}],
        )
    opts = recipients_.get("segment_opts") or {}
    saved = opts.get("saved_segment_id")
    if saved and int(saved) not in audience.segments:
        raise invalid(
            FIELD_DETAIL,
            [
                {
                    "field": "recipients.segment_opts.saved_segment_id",
                    "message": f"Invalid segment id: {saved}",
                }
            ],
        )
    if opts.get("prebuilt_segment_id"):
        raise unmodelled("prebuilt segments")
    check_options(audience, opts, "recipients.segment_opts")


def _check_settings(settings: dict[str, Any]) -> None:
    reply_to = settings.get("reply_to")
    if reply_to and not EMAIL.match(reply_to):
        raise invalid(
            FIELD_DETAIL,
            [{"field": "settings.reply_to", "message": "This value should be a valid email."}],
        )


@route("POST", "/campaigns")
def create(call: Call) -> dict[str, Any]:
    body = call.body
    if body["type"] not in ("regular", "plaintext"):
        raise unmodelled(f"campaigns of type {body['type']!r}")
    for key in ("variate_settings", "rss_opts"):
        if key in body:
            raise unmodelled(f"campaign {key}")
    if "recipients" in body:
        _check_recipients(call.state, body["recipients"])
    _check_settings(body.get("settings", {}))
    state = call.state
    campaign = Campaign(
        id=state.new_id(),
        web_id=state.new_number(),
        type=body["type"],
        created=state.now(),
        recipients=dict(body.get("recipients", {})),
        settings=dict(body.get("settings", {})),
        tracking=dict(body.get("tracking", {})),
        social_card=dict(body.get("social_card", {})),
    )
    state.campaigns[campaign.id] = campaign
    return campaign_json(state, campaign)


@route("GET", "/campaigns")
def list_campaigns(call: Call) -> dict[str, Any]:
    call.only(
        "type",
        "status",
        "list_id",
        "before_create_time",
        "since_create_time",
        "before_send_time",
        "since_send_time",
        "sort_field",
        "sort_dir",
    )
    q = call.query
    found = list(call.state.campaigns.values())
    for key in ("type", "status"):
        if key in q:
            found = [c for c in found if getattr(c, key) == q[key]]
    if "list_id" in q:
        found = [c for c in found if c.recipients.get("list_id") == q["list_id"]]
    for key, attr in (("create_time", "created"), ("send_time", "send_time")):
        for prefix, keep in (("before_", operator.lt), ("since_", operator.ge)):
            if prefix + key in q:
                limit = _parse_time(q[prefix + key])
                found = [c for c in found if getattr(c, attr) and keep(getattr(c, attr), limit)]
    if "sort_field" in q:
        attr = "created" if q["sort_field"] == "create_time" else "send_time"
        found.sort(
            key=lambda c: getattr(c, attr) or datetime.min.replace(tzinfo=c.created.tzinfo),
            reverse=q.get("sort_dir") == "DESC",
        )
    return {
        "campaigns": [campaign_json(call.state, c) for c in call.page(found)],
        "total_items": len(found),
        "_links": [],
    }


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.now().astimezone().tzinfo)


@route("GET", "/campaigns/{campaign_id}")
def get(call: Call) -> dict[str, Any]:
    return campaign_json(call.state, call.state.campaign(call.params["campaign_id"]))


def _editable(campaign: Campaign, doing: str) -> None:
    if campaign.status == "schedule":
        raise bad_request(f"This campaign is scheduled: unschedule it before you {doing}.")
    if campaign.status not in EDITABLE:
        raise bad_request(f"This campaign's status is {campaign.status!r}: you cannot {doing}.")


@route("PATCH", "/campaigns/{campaign_id}")
def update(call: Call) -> dict[str, Any]:
    campaign = call.state.campaign(call.params["campaign_id"])
    _editable(campaign, "change its settings")
    body = call.body
    if "recipients" in body:
        _check_recipients(call.state, body["recipients"])
        campaign.recipients = dict(body["recipients"])
    _check_settings(body["settings"])
    campaign.settings.update(body["settings"])
    for key in ("tracking", "social_card"):
        if key in body:
            getattr(campaign, key).update(body[key])
    for key in ("variate_settings", "rss_opts"):
        if key in body:
            raise unmodelled(f"campaign {key}")
    return campaign_json(call.state, campaign)


@route("DELETE", "/campaigns/{campaign_id}")
def delete(call: Call) -> None:
    campaign = call.state.campaign(call.params["campaign_id"])
    if campaign.status in ("schedule", "sending"):
        raise bad_request(f"This campaign's status is {campaign.status!r}: it cannot be deleted.")
    del call.state.campaigns[campaign.id]


def content_json(campaign: Campaign) -> dict[str, Any]:
    return {
        "plain_text": campaign.plain_text,
        "html": campaign.html,
        "archive_html": campaign.html,
        "_links": [],
    }


@route("GET", "/campaigns/{campaign_id}/content")
def get_content(call: Call) -> dict[str, Any]:
    return content_json(call.state.campaign(call.params["campaign_id"]))


@route("PUT", "/campaigns/{campaign_id}/content")
def set_content(call: Call) -> dict[str, Any]:
    campaign = call.state.campaign(call.params["campaign_id"])
    _editable(campaign, "change its content")
    body = call.body
    for key in ("url", "template", "archive", "variate_contents"):
        if key in body:
            raise unmodelled(f"campaign content from {key!r}")
    if "html" in body:
        campaign.html = body["html"]
        # "plain_text: When left unspecified, we'll generate this automatically" (spec).
        campaign.plain_text = body.get("plain_text") or plain_from_html(body["html"])
    elif "plain_text" in body:
        campaign.plain_text = body["plain_text"]
    campaign.content_set = bool(campaign.html or campaign.plain_text)
    return content_json(campaign)


def plain_from_html(markup: str) -> str:
    text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", markup)
    text = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr)>", "\n", text)
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()
