"""What a report of one issue holds: aggregate figures only, never a row about a person.

These are what the terminal, the CSV, JSON and HTML exports and the charts show, and what the
project keeps in `.bulletin/reports/` for issues sent long enough ago. `None` means "not
measured" (tracking was off), never zero.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

VERSION = 1  # of the stored form; a stored report of another version is fetched again


def rate(part: int | None, whole: int) -> float | None:
    """`part` of the deliveries, or None when not measured or nothing was delivered."""
    return None if part is None or whole <= 0 else part / whole


@dataclass
class Totals:
    """The campaign's figures, as Mailchimp's report gives them."""

    emails_sent: int
    hard_bounces: int
    soft_bounces: int
    unsubscribes: int
    abuse_reports: int
    unique_opens: int | None  # readers who opened (None: open tracking was off)
    opens_total: int | None
    clicked: int | None  # readers who clicked a link (None: click tracking was off)
    clicks_total: int | None

    @property
    def delivered(self) -> int:
        return max(0, self.emails_sent - self.hard_bounces - self.soft_bounces)

    @property
    def open_rate(self) -> float | None:
        return rate(self.unique_opens, self.delivered)

    @property
    def click_rate(self) -> float | None:
        return rate(self.clicked, self.delivered)


@dataclass
class LinkRow:
    """One tracked link: its clicks, the readers who clicked it, the sections that hold it."""

    url: str
    clicks: int
    readers: int
    sections: list[int] = field(default_factory=list)  # positions (from 1) in the issue


@dataclass
class SectionRow:
    """A section of the issue (or the page's header and footer, or a link no longer in the
    issue), with the clicks on the links only it holds."""

    index: int | None  # position in the issue, from 1; None for the page or what is gone
    heading: str
    type: str  # the section type; "page" for header and footer; "" if no longer in the issue
    line: int | None  # of the section in the issue file
    clicks: int | None
    readers: int | None  # readers who clicked at least one of its links
    shared: bool = False  # it also holds a link another section holds (see shared_links)
    links: list[LinkRow] = field(default_factory=list)


@dataclass
class GroupRow:
    """An organisation or partner list of 5 people or more (or all the smaller ones merged)."""

    name: str
    recipients: int
    delivered: int
    opened: int | None
    clicked: int | None
    unsubscribed: int
    top_section: str = ""  # the section its readers clicked most
    merged: int = 0  # on the "other ..." row: how many smaller groups it holds

    @property
    def click_rate(self) -> float | None:
        return rate(self.clicked, self.delivered)


@dataclass
class IssueReport:
    issue: str  # the issue file, relative to the project
    title: str
    subject: str
    date: str  # the issue's date, YYYY-MM-DD
    publication: str
    audience: str
    campaign_id: str
    send_time: str  # UTC, ISO 8601
    tracking: dict[str, bool]  # {"opens": ..., "clicks": ...} as the campaign was sent
    totals: Totals
    organisations: int  # organisations reached (named by at least one delivered reader)
    sections: list[SectionRow] = field(default_factory=list)
    shared_links: list[LinkRow] = field(default_factory=list)
    by_organisation: list[GroupRow] = field(default_factory=list)
    by_partner_list: list[GroupRow] = field(default_factory=list)
    as_sent: bool | None = None  # the issue file is the version sent (None: cannot tell)
    issue_hash: str = ""  # of the issue as it was when this report was made
    notes: list[str] = field(default_factory=list)
    fetched_at: str = ""
    calls: int = 0  # HTTP calls it took to make (0 when read from the project's state)

    @property
    def most_used(self) -> SectionRow | None:
        """The section whose links most readers clicked (the issue's own sections only)."""
        ranked = [s for s in self.sections if s.index is not None and s.readers]
        return max(ranked, key=lambda s: (s.readers or 0, s.clicks or 0), default=None)

    def to_json(self) -> dict[str, Any]:
        return {"version": VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IssueReport:
        """The report as stored; KeyError, TypeError or ValueError if it is not one."""
        if data.get("version") != VERSION:
            raise ValueError("another version")
        body = {k: v for k, v in data.items() if k != "version"}
        body["totals"] = Totals(**body["totals"])
        body["sections"] = [_section(s) for s in body["sections"]]
        body["shared_links"] = [LinkRow(**link) for link in body["shared_links"]]
        body["by_organisation"] = [GroupRow(**g) for g in body["by_organisation"]]
        body["by_partner_list"] = [GroupRow(**g) for g in body["by_partner_list"]]
        return cls(**body)


def _section(data: dict[str, Any]) -> SectionRow:
    links = [LinkRow(**link) for link in data.get("links", [])]
    return SectionRow(**{**data, "links": links})
