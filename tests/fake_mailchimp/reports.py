"""Reports of sent campaigns: the summary, click details, email activity, sent-to, unsubscribed.

What readers did is not something a fake can observe, so tests set it: `set_activity` gives
exact opens, clicks (each a URL of the campaign's HTML), bounces, unsubscribes and abuse
reports per address; `generate_activity` makes plausible activity for thousands of readers
(benchmarks). Every figure of every endpoint is computed from that one record, so they agree
with each other as Mailchimp's do. A campaign's tracking settings are honoured: with open
tracking off no open is seen, with click tracking off no click.

Rates divide by deliveries (emails sent less bounces), as Mailchimp's do. A report of a
campaign that has not been sent is a 404.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from .api import Call, route
from .errors import not_found
from .state import Campaign, Member, Send, State, iso, subscriber_hash

if TYPE_CHECKING:
    from .server import FakeMailchimp


@dataclass
class Activity:
    """What the readers of one campaign did, keyed by subscriber hash."""

    opens: dict[str, int] = field(default_factory=dict)  # how many times each opened it
    clicks: dict[str, list[str]] = field(default_factory=dict)  # each click's URL, in order
    bounces: dict[str, str] = field(default_factory=dict)  # "hard" or "soft"
    unsubscribes: dict[str, str] = field(default_factory=dict)  # the reason given
    abuse: set[str] = field(default_factory=set)


def links(html: str) -> list[str]:
    """The campaign's tracked links: each distinct http(s) href, in document order."""
    parser = _Hrefs()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(parser.found))


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "href" and value and value.startswith(("http://", "https://")):
                self.found.append(value)


def link_id(url: str) -> str:
    return hashlib.md5(url.encode("utf-8")).hexdigest()[:10]


# -- what tests set ------------------------------------------------------------------------------


def set_activity(
    fake: FakeMailchimp,
    campaign_id: str,
    *,
    opens: Mapping[str, int] | None = None,
    clicks: Mapping[str, Iterable[str]] | None = None,
    bounces: Mapping[str, str] | None = None,
    unsubscribes: Iterable[str] = (),
    abuse: Iterable[str] = (),
) -> Activity:
    """Exact activity by address; refuses what could not happen (an address the campaign was
    not sent to, a URL not in its HTML, a bounced reader who opened)."""
    with fake.lock:
        state = fake.state
        campaign = state.campaign(campaign_id)
        send = last_send(state, campaign)
        if send is None:
            raise ValueError(f"campaign {campaign_id} has not been sent")
        sent = {subscriber_hash(e) for e in send.recipients}
        urls = set(links(send.html))

        def hashed(email: str) -> str:
            key = subscriber_hash(email)
            if key not in sent:
                raise ValueError(f"{email} was not sent campaign {campaign_id}")
            return key

        activity = Activity()
        for email, kind in (bounces or {}).items():
            if kind not in ("hard", "soft"):
                raise ValueError(f"a bounce is hard or soft, not {kind!r}")
            activity.bounces[hashed(email)] = kind
        for email, count in (opens or {}).items():
            if count > 0:
                activity.opens[hashed(email)] = count
        for email, clicked in (clicks or {}).items():
            chosen = list(clicked)
            unknown = [u for u in chosen if u not in urls]
            if unknown:
                raise ValueError(f"{unknown[0]} is not a link of campaign {campaign_id}")
            if chosen:
                activity.clicks[hashed(email)] = chosen
        for email in unsubscribes:
            activity.unsubscribes[hashed(email)] = "No longer interested"
        activity.abuse = {hashed(e) for e in abuse}
        bounced = set(activity.bounces)
        if bounced & (set(activity.opens) | set(activity.clicks) | set(activity.unsubscribes)):
            raise ValueError("a bounced email cannot be opened, clicked or unsubscribed from")
        _unsubscribe(state, send, activity)
        state.activity[campaign_id] = activity
        return activity


def generate_activity(
    fake: FakeMailchimp,
    campaign_id: str,
    *,
    open_rate: float = 0.45,
    click_rate: float = 0.12,
    bounce_rate: float = 0.01,
    unsubscribe_rate: float = 0.002,
    seed: int = 0,
) -> Activity:
    """Plausible activity for every recipient (for benchmarks): rates of those delivered."""
    rng = random.Random(seed)
    with fake.lock:
        state = fake.state
        campaign = state.campaign(campaign_id)
        send = last_send(state, campaign)
        if send is None:
            raise ValueError(f"campaign {campaign_id} has not been sent")
        urls = links(send.html) or ["https://www.example.org/"]
        activity = Activity()
        for email in send.recipients:
            key = subscriber_hash(email)
            if rng.random() < bounce_rate:
                activity.bounces[key] = "hard" if rng.random() < 0.6 else "soft"
                continue
            if rng.random() < open_rate:
                activity.opens[key] = rng.randint(1, 4)
            if rng.random() < click_rate:
                activity.clicks[key] = rng.choices(urls, k=rng.randint(1, 3))
            if rng.random() < unsubscribe_rate:
                activity.unsubscribes[key] = "No longer interested"
        _unsubscribe(state, send, activity)
        state.activity[campaign_id] = activity
        return activity


def _unsubscribe(state: State, send: Send, activity: Activity) -> None:
    """Unsubscribing from a campaign's link unsubscribes the member from the audience."""
    audience = state.lists.get(send.list_id)
    for key in activity.unsubscribes:
        member = audience.members.get(key) if audience else None
        if member is not None:
            member.status = "unsubscribed"
            member.unsubscribed_by = "user"
            member.last_changed = state.now()


def last_send(state: State, campaign: Campaign) -> Send | None:
    return next((s for s in reversed(state.sends) if s.campaign_id == campaign.id), None)


# -- what the endpoints answer ------------------------------------------------------------------


@dataclass
class _Sent:
    """A sent campaign, its send, and what its readers did as its tracking lets it be seen."""

    campaign: Campaign
    send: Send
    activity: Activity
    members: dict[str, Member]
    opens_tracked: bool
    clicks_tracked: bool
    tags: list[str]  # the audience's merge fields

    def opens(self, key: str) -> int:
        return self.activity.opens.get(key, 0) if self.opens_tracked else 0

    def clicks(self, key: str) -> list[str]:
        return self.activity.clicks.get(key, []) if self.clicks_tracked else []

    def at(self, minutes: int) -> str:
        return iso(self.send.at + timedelta(minutes=minutes))

    def delivered(self) -> int:
        return len(self.send.recipients) - len(self.activity.bounces)

    def item(self, key: str, *, merge_fields: bool = False) -> dict[str, Any]:
        """The fields every per-recipient item shares (and the member's merge fields)."""
        member = self.members.get(key)
        found: dict[str, Any] = {
            "email_id": key,
            "email_address": member.email if member else "",
            "campaign_id": self.campaign.id,
            "list_id": self.send.list_id,
            "list_is_active": True,
            "_links": [],
        }
        if merge_fields:
            found["merge_fields"] = {
                tag: member.merge_fields.get(tag, "") if member else "" for tag in self.tags
            }
            found["vip"] = bool(member and member.vip)
        return found


def _sent(call: Call) -> _Sent:
    call.only()
    state = call.state
    campaign = state.campaign(call.params["campaign_id"])
    send = last_send(state, campaign)
    if send is None or campaign.status not in ("sending", "sent"):
        raise not_found("This campaign has not been sent, so it has no report.")
    audience = state.lists.get(send.list_id)
    tracking = campaign.tracking
    return _Sent(
        campaign,
        send,
        state.activity.get(campaign.id) or Activity(),
        audience.members if audience else {},
        tracking.get("opens", True) is not False,
        tracking.get("html_clicks", True) is not False or tracking.get("text_clicks") is True,
        list(audience.merge_fields) if audience else [],
    )


def _keys(sent: _Sent) -> list[str]:
    return [subscriber_hash(e) for e in sent.send.recipients]


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@route("GET", "/reports/{campaign_id}")
def summary(call: Call) -> dict[str, Any]:
    sent = _sent(call)
    keys = _keys(sent)
    delivered = sent.delivered()
    opens = [sent.opens(k) for k in keys]
    clicked = {k: sent.clicks(k) for k in keys}
    unique_per_link = sum(len(set(urls)) for urls in clicked.values())
    bounces = sent.activity.bounces.values()
    settings = sent.campaign.settings
    audience = call.state.lists.get(sent.send.list_id)
    return {
        "id": sent.campaign.id,
        "campaign_title": settings.get("title", ""),
        "type": sent.campaign.type,
        "list_id": sent.send.list_id,
        "list_is_active": audience is not None,
        "list_name": audience.name if audience else "",
        "subject_line": sent.send.subject,
        "preview_text": settings.get("preview_text", ""),
        "emails_sent": len(keys),
        "abuse_reports": len(sent.activity.abuse),
        "unsubscribed": len(sent.activity.unsubscribes),
        "send_time": iso(sent.send.at),
        "bounces": {
            "hard_bounces": sum(1 for b in bounces if b == "hard"),
            "soft_bounces": sum(1 for b in bounces if b == "soft"),
            "syntax_errors": 0,
        },
        "forwards": {"forwards_count": 0, "forwards_opens": 0},
        "opens": {
            "opens_total": sum(opens),
            "unique_opens": sum(1 for n in opens if n),
            "open_rate": _rate(sum(1 for n in opens if n), delivered),
            "last_open": sent.at(60) if any(opens) else "",
        },
        "clicks": {
            "clicks_total": sum(len(urls) for urls in clicked.values()),
            "unique_clicks": unique_per_link,
            "unique_subscriber_clicks": sum(1 for urls in clicked.values() if urls),
            "click_rate": _rate(sum(1 for urls in clicked.values() if urls), delivered),
            "last_click": sent.at(90) if unique_per_link else "",
        },
        "list_stats": {"sub_rate": 0, "unsub_rate": 0, "open_rate": 0, "click_rate": 0},
        "timeseries": [],
        "_links": [],
    }


@route("GET", "/reports/{campaign_id}/click-details")
def click_details(call: Call) -> dict[str, Any]:
    sent = _sent(call)
    total: dict[str, int] = {}
    unique: dict[str, int] = {}
    for key in _keys(sent):
        urls = sent.clicks(key)
        for url in urls:
            total[url] = total.get(url, 0) + 1
        for url in set(urls):
            unique[url] = unique.get(url, 0) + 1
    all_clicks, all_unique = sum(total.values()), sum(unique.values())
    items = [
        {
            "id": link_id(url),
            "url": url,
            "total_clicks": total.get(url, 0),
            "click_percentage": _rate(total.get(url, 0), all_clicks),
            "unique_clicks": unique.get(url, 0),
            "unique_click_percentage": _rate(unique.get(url, 0), all_unique),
            "last_click": sent.at(90) if url in total else "",
            "ab_split": {"a": {}, "b": {}},
            "campaign_id": sent.campaign.id,
            "_links": [],
        }
        for url in links(sent.send.html)
    ]
    return {
        "urls_clicked": call.page(items),
        "campaign_id": sent.campaign.id,
        "total_items": len(items),
        "_links": [],
    }


@route("GET", "/reports/{campaign_id}/email-activity")
def email_activity(call: Call) -> dict[str, Any]:
    call.only()  # `since` is not modelled
    sent = _sent(call)
    keys = _keys(sent)
    page = call.page(keys)
    emails = []
    for key in page:
        events: list[dict[str, Any]] = []
        kind = sent.activity.bounces.get(key)
        if kind:
            events.append({"action": "bounce", "type": kind, "timestamp": sent.at(1), "ip": ""})
        events += [
            {"action": "open", "timestamp": sent.at(10 + n), "ip": "192.0.2.1"}
            for n in range(sent.opens(key))
        ]
        events += [
            {"action": "click", "url": url, "timestamp": sent.at(20 + n), "ip": "192.0.2.1"}
            for n, url in enumerate(sent.clicks(key))
        ]
        emails.append({**sent.item(key), "activity": events})
    return {
        "emails": emails,
        "campaign_id": sent.campaign.id,
        "total_items": len(keys),
        "_links": [],
    }


@route("GET", "/reports/{campaign_id}/sent-to")
def sent_to(call: Call) -> dict[str, Any]:
    sent = _sent(call)
    keys = _keys(sent)
    items = []
    for key in call.page(keys):
        opened = sent.opens(key)
        items.append(
            {
                **sent.item(key, merge_fields=True),
                "status": sent.activity.bounces.get(key, "sent"),
                "open_count": opened,
                "last_open": sent.at(10 + opened - 1) if opened else "",
                "absplit_group": "",
                "gmt_offset": 0,
            }
        )
    return {
        "sent_to": items,
        "campaign_id": sent.campaign.id,
        "total_items": len(keys),
        "_links": [],
    }


@route("GET", "/reports/{campaign_id}/unsubscribed")
def unsubscribed(call: Call) -> dict[str, Any]:
    sent = _sent(call)
    keys = [k for k in _keys(sent) if k in sent.activity.unsubscribes]
    items = []
    for key in call.page(keys):
        items.append(
            {
                **sent.item(key, merge_fields=True),
                "timestamp": sent.at(30),
                "reason": sent.activity.unsubscribes[key],
            }
        )
    return {
        "unsubscribes": items,
        "campaign_id": sent.campaign.id,
        "total_items": len(keys),
        "_links": [],
    }


def sent_at(fake: FakeMailchimp, campaign_id: str, moment: datetime) -> None:
    """Move a sent campaign's send back in time (a report of an issue sent months ago)."""
    with fake.lock:
        campaign = fake.state.campaign(campaign_id)
        send = last_send(fake.state, campaign)
        if send is None:
            raise ValueError(f"campaign {campaign_id} has not been sent")
        send.at = moment
        campaign.send_time = moment
        campaign.sending_since = moment
