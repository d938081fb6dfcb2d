"""Campaign actions: send checklist, test send, schedule, unschedule, send, cancel, replicate.

Schedule times follow the API's prose (UTC, on the quarter hour) and plain sense (in the future, by
the fake's clock). A campaign is scheduled or sent only when its checklist is clear.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .api import Call, route
from .campaigns import campaign_json
from .errors import bad_request, invalid, unmodelled
from .segments import recipients
from .state import EMAIL, Campaign, State, TestSend, iso


def checklist(state: State, campaign: Campaign) -> list[dict[str, Any]]:
    settings = campaign.settings
    audience = state.lists.get(campaign.recipients.get("list_id", ""))
    has_content = bool(campaign.plain_text if campaign.type == "plaintext" else campaign.html)
    checks = [
        (1, "Audience", audience is not None, "Choose an audience to send to."),
        (
            2,
            "Recipients",
            audience is not None and bool(recipients(state, campaign)),
            "The audience or segment has no subscribed recipients.",
        ),
        (3, "Subject line", bool(settings.get("subject_line")), "Add a subject line."),
        (4, "From name", bool(settings.get("from_name")), "Add a from name."),
        (5, "Reply-to address", bool(settings.get("reply_to")), "Add a reply-to email address."),
        (6, "Content", has_content, "Add content to the campaign."),
    ]
    return [
        {
            "type": "success" if ok else "error",
            "id": ident,
            "heading": heading,
            "details": "Ready." if ok else details,
        }
        for ident, heading, ok, details in checks
    ]


@route("GET", "/campaigns/{campaign_id}/send-checklist")
def send_checklist(call: Call) -> dict[str, Any]:
    items = checklist(call.state, call.state.campaign(call.params["campaign_id"]))
    return {"is_ready": all(i["type"] != "error" for i in items), "items": items, "_links": []}


def _ready(state: State, campaign: Campaign, doing: str) -> None:
    problems = [i["details"] for i in checklist(state, campaign) if i["type"] == "error"]
    if problems:
        raise bad_request(
            f"Your Campaign is not ready to {doing}. " + " ".join(problems), title="Bad Request"
        )


def _final(campaign: Campaign, doing: str) -> None:
    if campaign.status in ("sending", "sent", "canceled", "canceling"):
        raise bad_request(
            f"This campaign has already been sent (status {campaign.status!r}): cannot {doing}."
        )


@route("POST", "/campaigns/{campaign_id}/actions/test")
def send_test(call: Call) -> None:
    campaign = call.state.campaign(call.params["campaign_id"])
    _final(campaign, "send a test")
    emails = call.body["test_emails"]
    limit = call.fake.test_email_limit
    if not emails:
        raise invalid(
            "Please provide at least one email address for the test.",
            [{"field": "test_emails", "message": "This value should not be blank."}],
        )
    if len(emails) > limit:
        raise invalid(
            f"You can send a test to at most {limit} email addresses at a time; "
            f"you gave {len(emails)}.",
            [{"field": "test_emails", "message": f"At most {limit} addresses."}],
        )
    for email in emails:
        if not EMAIL.match(email):
            raise invalid(
                f"{email!r} is not a valid email address.",
                [{"field": "test_emails", "message": "This value should be a valid email."}],
            )
    if not (campaign.html or campaign.plain_text):
        raise bad_request("Your campaign has no content to test.")
    call.state.test_sends.append(
        TestSend(
            campaign_id=campaign.id,
            emails=list(emails),
            send_type=call.body["send_type"],
            subject=campaign.settings.get("subject_line", ""),
            html=campaign.html,
            plain_text=campaign.plain_text,
            at=call.state.now(),
        )
    )


def parse_schedule_time(text: str, now: datetime) -> datetime:
    """The rules the API states in prose: UTC, on the quarter hour; and, plainly, in the future."""
    if not (text.endswith("Z") or text.endswith("+00:00")):
        raise invalid(
            f"Schedule time must be in UTC (ISO 8601 ending in Z or +00:00); got {text!r}.",
            [{"field": "schedule_time", "message": "Must be UTC."}],
        )
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(
            f"{text!r} is not an ISO 8601 time.",
            [{"field": "schedule_time", "message": "Must be ISO 8601."}],
        ) from None
    if moment.minute % 15 or moment.second or moment.microsecond:
        raise invalid(
            "Campaigns may only be scheduled on the quarter-hour (:00, :15, :30, :45); "
            f"got {text!r}.",
            [{"field": "schedule_time", "message": "Must be on the quarter-hour."}],
        )
    if moment <= now:
        raise invalid(
            f"Schedule time must be in the future; got {text!r}, and it is now {iso(now)}.",
            [{"field": "schedule_time", "message": "Must be in the future."}],
        )
    return moment


@route("POST", "/campaigns/{campaign_id}/actions/schedule")
def schedule(call: Call) -> None:
    campaign = call.state.campaign(call.params["campaign_id"])
    _final(campaign, "schedule it")
    if campaign.status == "schedule":
        raise bad_request("This campaign is already scheduled: unschedule it first.")
    body = call.body
    if body.get("timewarp") and body.get("batch_delivery"):
        raise invalid(
            "Timewarp and batch delivery cannot be used together.",
            [{"field": "batch_delivery", "message": "Not with timewarp."}],
        )
    if body.get("batch_delivery"):
        raise unmodelled("batch delivery")
    moment = parse_schedule_time(body["schedule_time"], call.state.now())
    _ready(call.state, campaign, "schedule")
    campaign.status = "schedule"
    campaign.schedule_time = moment
    campaign.settings["timewarp"] = bool(body.get("timewarp"))


@route("POST", "/campaigns/{campaign_id}/actions/unschedule")
def unschedule(call: Call) -> None:
    campaign = call.state.campaign(call.params["campaign_id"])
    if campaign.status != "schedule":
        raise bad_request(
            "Only a scheduled campaign can be unscheduled; "
            f"this one's status is {campaign.status!r}."
        )
    campaign.status = "save"
    campaign.schedule_time = None


@route("POST", "/campaigns/{campaign_id}/actions/send")
def send(call: Call) -> None:
    campaign = call.state.campaign(call.params["campaign_id"])
    _final(campaign, "send it again")
    if campaign.status == "schedule":
        raise bad_request("This campaign is scheduled: unschedule it before sending it now.")
    _ready(call.state, campaign, "send")
    call.state.start_sending(campaign, call.state.now(), recipients(call.state, campaign))
    call.state.tick()


@route("POST", "/campaigns/{campaign_id}/actions/cancel-send")
def cancel_send(call: Call) -> None:
    campaign = call.state.campaign(call.params["campaign_id"])
    if campaign.status != "sending":
        raise bad_request(
            "Only a campaign that is sending can be canceled; "
            f"this one's status is {campaign.status!r}."
        )
    campaign.status = "canceled"


@route("POST", "/campaigns/{campaign_id}/actions/replicate")
def replicate(call: Call) -> dict[str, Any]:
    state = call.state
    original = state.campaign(call.params["campaign_id"])
    copy = Campaign(
        id=state.new_id(),
        web_id=state.new_number(),
        type=original.type,
        created=state.now(),
        recipients=dict(original.recipients),
        settings={
            **original.settings,
            "title": f"{original.settings.get('title', '')} (copy 01)".strip(),
        },
        tracking=dict(original.tracking),
        social_card=dict(original.social_card),
        html=original.html,
        plain_text=original.plain_text,
        content_set=original.content_set,
        parent_campaign_id=original.id,
    )
    state.campaigns[copy.id] = copy
    return campaign_json(state, copy)
