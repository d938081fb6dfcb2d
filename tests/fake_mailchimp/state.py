"""What the fake Mailchimp holds: audiences and their members, groups, tags, campaigns and what was
sent.

Plain data classes and the rules about members' status that several endpoints share. The HTTP side
(server.py) and the endpoints (campaigns.py, lists.py, groups.py) read and change it under one lock.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .errors import not_found

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def subscriber_hash(email: str) -> str:
    """Mailchimp's member id: the MD5 of the lower-case address."""
    return hashlib.md5(email.strip().lower().encode("utf-8")).hexdigest()


def iso(moment: datetime | None) -> str:
    """Mailchimp writes times as 2015-10-21T15:41:36+00:00."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else ""


@dataclass
class MergeField:
    merge_id: int
    tag: str
    name: str
    type: str = "text"
    required: bool = False
    default_value: str = ""
    public: bool = True
    display_order: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    help_text: str = ""


@dataclass
class Interest:
    id: str
    category_id: str
    name: str
    display_order: int = 0


@dataclass
class InterestCategory:
    id: str
    title: str
    type: str = "checkboxes"
    display_order: int = 0
    interests: dict[str, Interest] = field(default_factory=dict)


@dataclass
class Segment:
    """A saved segment (conditions) or a static one; Mailchimp calls static segments tags."""

    id: int
    name: str
    type: str  # "static" or "saved"
    created_at: datetime
    updated_at: datetime
    options: dict[str, Any] | None = None
    members: dict[str, datetime] = field(default_factory=dict)  # subscriber hash -> date added


@dataclass
class Webhook:
    id: str
    url: str
    events: dict[str, bool]
    sources: dict[str, bool]


@dataclass
class Member:
    email: str
    status: str
    web_id: int
    created: datetime
    last_changed: datetime
    merge_fields: dict[str, Any] = field(default_factory=dict)
    interests: dict[str, bool] = field(default_factory=dict)
    email_type: str = "html"
    language: str = ""
    vip: bool = False
    # Who unsubscribed them: "user" (the link in an email, a form) puts the address in a
    # compliance state the API cannot lift; "api"/"admin" can be undone with status=subscribed.
    unsubscribed_by: str | None = None
    unsubscribe_reason: str = ""
    timestamp_signup: str = ""
    timestamp_opt: str = ""
    ip_signup: str = ""
    ip_opt: str = ""

    @property
    def id(self) -> str:
        return subscriber_hash(self.email)


@dataclass
class Audience:
    id: str
    web_id: int
    name: str
    created: datetime
    double_optin: bool = False
    from_name: str = "Partnership"
    from_email: str = "bulletin@example.org"
    members: dict[str, Member] = field(default_factory=dict)  # by subscriber hash
    merge_fields: dict[str, MergeField] = field(default_factory=dict)  # by tag
    categories: dict[str, InterestCategory] = field(default_factory=dict)
    segments: dict[int, Segment] = field(default_factory=dict)
    webhooks: dict[str, Webhook] = field(default_factory=dict)
    forgotten: set[str] = field(default_factory=set)  # hashes of permanently deleted members

    def interest(self, interest_id: str) -> Interest | None:
        for category in self.categories.values():
            if interest_id in category.interests:
                return category.interests[interest_id]
        return None

    def all_interests(self) -> Iterable[Interest]:
        for category in self.categories.values():
            yield from category.interests.values()

    def tag(self, name: str) -> Segment | None:
        for segment in self.segments.values():
            if segment.type == "static" and segment.name == name:
                return segment
        return None

    def count(self, status: str) -> int:
        return sum(1 for m in self.members.values() if m.status == status)


@dataclass
class Batch:
    id: str
    operations: list[dict[str, Any]]
    submitted_at: str = ""
    status: str = "pending"
    reads: int = 0  # GETs of its status so far
    completed_at: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)
    archive: bytes = b""  # the gzipped results, once finished


@dataclass
class TestSend:
    campaign_id: str
    emails: list[str]
    send_type: str
    subject: str
    html: str
    plain_text: str
    at: datetime


@dataclass
class Send:
    """A campaign going out, when it actually does (sent now, or a schedule coming due)."""

    campaign_id: str
    at: datetime
    list_id: str
    recipients: list[str]
    subject: str
    html: str
    plain_text: str


@dataclass
class Campaign:
    id: str
    web_id: int
    type: str
    created: datetime
    status: str = "save"
    recipients: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    tracking: dict[str, Any] = field(default_factory=dict)
    social_card: dict[str, Any] = field(default_factory=dict)
    html: str = ""
    plain_text: str = ""
    content_set: bool = False
    schedule_time: datetime | None = None
    send_time: datetime | None = None
    sending_since: datetime | None = None
    emails_sent: int = 0
    parent_campaign_id: str = ""


class State:
    """Everything the fake Mailchimp knows. Mutate only while holding `lock` (the server does)."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.lists: dict[str, Audience] = {}
        self.campaigns: dict[str, Campaign] = {}
        self.test_sends: list[TestSend] = []
        self.sends: list[Send] = []
        self.activity: dict[str, Any] = {}  # campaign id -> what its readers did (reports.py)
        self.batches: dict[str, Batch] = {}
        self.batch_polls = 1  # reads of a batch's status that answer "started" before it runs
        self.files: dict[int, Any] = {}  # File Manager id -> its file (files.py)
        self.sending_seconds = 0.0  # how long a campaign stays "sending" before it is "sent"
        self._counter = 0

    def now(self) -> datetime:
        moment = self.clock()
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def new_id(self, length: int = 10) -> str:
        self._counter += 1
        return hashlib.md5(f"fake-mailchimp-{self._counter}".encode()).hexdigest()[:length]

    def new_number(self) -> int:
        self._counter += 1
        return 1000 + self._counter

    def instance(self) -> str:
        return str(uuid.uuid4())

    def audience(self, list_id: str) -> Audience:
        audience = self.lists.get(list_id)
        if audience is None:
            raise not_found()
        return audience

    def campaign(self, campaign_id: str) -> Campaign:
        campaign = self.campaigns.get(campaign_id)
        if campaign is None:
            raise not_found()
        return campaign

    # -- time ------------------------------------------------------------------------------------

    def tick(self) -> None:
        """Let time act: a schedule that came due sends; a send that has run its course is sent."""
        from .segments import recipients  # a cycle if imported at the top

        now = self.now()
        for campaign in self.campaigns.values():
            if (
                campaign.status == "schedule"
                and campaign.schedule_time
                and campaign.schedule_time <= now
            ):
                self.start_sending(campaign, campaign.schedule_time, recipients(self, campaign))
            if (
                campaign.status == "sending"
                and campaign.sending_since is not None
                and now >= campaign.sending_since + timedelta(seconds=self.sending_seconds)
            ):
                campaign.status = "sent"

    def start_sending(self, campaign: Campaign, at: datetime, to: list[Member]) -> None:
        campaign.status = "sending"
        campaign.send_time = at
        campaign.sending_since = at
        campaign.emails_sent = len(to)
        self.sends.append(
            Send(
                campaign_id=campaign.id,
                at=at,
                list_id=campaign.recipients.get("list_id", ""),
                recipients=[m.email for m in to],
                subject=campaign.settings.get("subject_line", ""),
                html=campaign.html,
                plain_text=campaign.plain_text,
            )
        )

    # -- seeding (for tests) ---------------------------------------------------------------------

    def add_list(
        self,
        name: str = "Partners",
        *,
        list_id: str | None = None,
        merge_fields: Iterable[dict[str, Any] | str] = (),
        interest_categories: dict[str, Iterable[str]] | None = None,
        tags: Iterable[str] = (),
        members: Iterable[dict[str, Any] | str] = (),
        double_optin: bool = False,
    ) -> Audience:
        """An audience with FNAME and LNAME (as every new Mailchimp list has), and what is asked.

        `members` are addresses or dicts: email, status (default subscribed), merge_fields,
        interests ({category title: [group names]}), tags ([names]), unsubscribed_by ("user" or
        "api").
        """
        now = self.now()
        audience = Audience(
            id=list_id or self.new_id(),
            web_id=self.new_number(),
            name=name,
            created=now,
            double_optin=double_optin,
        )
        if audience.id in self.lists:
            raise ValueError(f"list {audience.id} exists")
        self.lists[audience.id] = audience
        for spec in [
            {"tag": "FNAME", "name": "First Name"},
            {"tag": "LNAME", "name": "Last Name"},
            *merge_fields,
        ]:
            spec = {"tag": spec, "name": spec.title()} if isinstance(spec, str) else dict(spec)
            tag = spec.pop("tag")
            audience.merge_fields[tag] = MergeField(
                merge_id=len(audience.merge_fields) + 1, tag=tag, **spec
            )
        for order, (title, groups) in enumerate((interest_categories or {}).items()):
            category = InterestCategory(id=self.new_id(), title=title, display_order=order)
            audience.categories[category.id] = category
            for position, group in enumerate(groups):
                interest = Interest(
                    id=self.new_id(), category_id=category.id, name=group, display_order=position
                )
                category.interests[interest.id] = interest
        for tag in tags:
            self.ensure_tag(audience, tag)
        for member in members:
            self.add_member(audience, member)
        return audience

    def add_member(self, audience: Audience, spec: dict[str, Any] | str) -> Member:
        spec = {"email": spec} if isinstance(spec, str) else dict(spec)
        now = self.now()
        status = spec.get("status", "subscribed")
        member = Member(
            email=spec["email"],
            status=status,
            web_id=self.new_number(),
            created=now,
            last_changed=now,
            merge_fields=dict(spec.get("merge_fields", {})),
            vip=bool(spec.get("vip", False)),
            language=spec.get("language", ""),
            unsubscribed_by=spec.get("unsubscribed_by", "user")
            if status == "unsubscribed"
            else None,
        )
        for title, groups in (spec.get("interests") or {}).items():
            category = next(c for c in audience.categories.values() if c.title == title)
            for interest in category.interests.values():
                member.interests[interest.id] = interest.name in groups
        audience.members[member.id] = member
        for tag in spec.get("tags", ()):
            self.ensure_tag(audience, tag).members[member.id] = now
        return member

    def ensure_tag(self, audience: Audience, name: str) -> Segment:
        segment = audience.tag(name)
        if segment is None:
            now = self.now()
            segment = Segment(
                id=self.new_number(), name=name, type="static", created_at=now, updated_at=now
            )
            audience.segments[segment.id] = segment
        return segment
