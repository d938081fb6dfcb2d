"""A sent campaign's activity, counted: totals, clicks per section, readers per group.

What Mailchimp gives per recipient (a subscriber hash, whether they opened, which links they
clicked, their organisation, their partner lists) is read a page of 1,000 at a time and held
only while it is counted here, in memory; what leaves this module is aggregate. The calls are
one per 1,000 recipients for each per-recipient collection, plus a handful: never a call per
reader.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bulletin.mailchimp import reports as api
from bulletin.mailchimp.client import Mailchimp
from bulletin.reports.figures import GroupRow, LinkRow, SectionRow, Totals
from bulletin.reports.groups import (
    Organisations,
    Person,
    by_organisation,
    by_partner_list,
    redact,
)
from bulletin.reports.links import LinkMap, loose

PAGE_ROW = "header and footer"


@dataclass
class Counted:
    totals: Totals
    sections: list[SectionRow]
    shared_links: list[LinkRow]
    by_organisation: list[GroupRow]
    organisations: int
    by_partner_list: list[GroupRow]
    gone: int = 0  # clicked links the issue file no longer holds
    notes: list[str] = field(default_factory=list)


@dataclass
class _Place:
    """Where a clicked link is: one section, several (shared), the page, or gone."""

    kind: str  # "section", "shared", "page", "gone"
    sections: list[int]
    heading: str = ""  # for "gone": the heading it was sent under


def count(
    mc: Mailchimp,
    campaign_id: str,
    *,
    tracking: Mapping[str, bool],
    link_map: LinkMap | None,
    sent_headings: Mapping[str, str],
    organisation_tag: str | None,
    list_id: str,
    partner_lists: Mapping[str, int],
) -> Counted:
    """Read the campaign's report from Mailchimp and count it (see the module's docstring)."""
    opens, clicks = bool(tracking.get("opens")), bool(tracking.get("clicks"))
    summary = api.summary(mc, campaign_id)
    links = list(api.clicked_links(mc, campaign_id)) if clicks else []
    places = {str(link["url"]): _place(str(link["url"]), link_map, sent_headings) for link in links}
    names = Organisations()
    people: dict[str, Person] = {}
    for item in api.sent_to(mc, campaign_id, organisation_tag):
        merge = item.get("merge_fields") or {}
        organisation = names.key(merge.get(organisation_tag) if organisation_tag else "")
        delivered = item.get("status", "sent") == "sent"
        people[str(item["email_id"])] = Person(
            organisation, delivered, False, False, False, frozenset()
        )
    page_readers = 0
    gone_readers: Counter[str] = Counter()
    if opens or clicks:
        for item in api.activity(mc, campaign_id):
            person = people.get(str(item.get("email_id")))
            if person is None:
                continue
            actions = item.get("activity") or []
            person.opened = opens and any(a.get("action") == "open" for a in actions)
            clicked = {
                str(a["url"]) for a in actions if a.get("action") == "click" and a.get("url")
            }
            if not clicks or not clicked:
                continue
            person.clicked = True
            found = [places.get(url) or _place(url, link_map, sent_headings) for url in clicked]
            person.sections = frozenset(p.sections[0] for p in found if p.kind == "section")
            page_readers += any(p.kind == "page" for p in found)
            gone_readers.update({p.heading for p in found if p.kind == "gone"})
    for key in api.unsubscribed(mc, campaign_id):
        if key in people:
            people[key].unsubscribed = True
    members = {
        name: set(api.segment_member_ids(mc, list_id, segment))
        for name, segment in partner_lists.items()
    }
    sections = _sections(link_map, links, places, people, clicks)
    if clicks and any(p.kind == "page" for p in places.values()):
        sections.append(_others(PAGE_ROW, "page", links, places, "page", page_readers))
    order = list(dict.fromkeys(sent_headings.values()))  # the headings as the email has them
    gone = sorted(
        {p.heading for p in places.values() if p.kind == "gone"},
        key=lambda h: (order.index(h) if h in order else len(order), h),
    )
    for heading in gone:
        row = _others(heading, "", links, places, "gone", gone_readers[heading])
        sections.append(row)
    by_index = {s.index: s.heading for s in sections if s.index is not None}
    how: dict[str, Any] = {"opens": opens, "clicks": clicks, "section_name": by_index.get}
    organisations, reached = by_organisation(people, names, **how)
    return Counted(
        _totals(summary, opens, clicks),
        sections,
        [
            LinkRow(
                redact(url),
                int(link["total_clicks"]),
                int(link["unique_clicks"]),
                places[url].sections,
            )
            for link in links
            if (url := str(link["url"])) and places[url].kind == "shared"
        ],
        organisations,
        reached,
        by_partner_list(members, people, **how),
        gone=sum(1 for p in places.values() if p.kind == "gone"),
    )


def _place(url: str, link_map: LinkMap | None, sent_headings: Mapping[str, str]) -> _Place:
    holders = link_map.holders(url) if link_map else []
    if len(holders) == 1:
        return _Place("section", holders)
    if holders:
        return _Place("shared", holders)
    if link_map and link_map.in_page(url):
        return _Place("page", [])
    heading = sent_headings.get(url)
    if heading is None:
        heading = next((h for u, h in sent_headings.items() if loose(u) == loose(url)), "")
    return _Place("gone", [], heading or "(no heading)")


def _totals(summary: Mapping[str, Any], opens: bool, clicks: bool) -> Totals:
    bounces = summary.get("bounces") or {}
    opened = summary.get("opens") or {}
    clicked = summary.get("clicks") or {}
    return Totals(
        emails_sent=int(summary.get("emails_sent") or 0),
        hard_bounces=int(bounces.get("hard_bounces") or 0),
        soft_bounces=int(bounces.get("soft_bounces") or 0),
        unsubscribes=int(summary.get("unsubscribed") or 0),
        abuse_reports=int(summary.get("abuse_reports") or 0),
        unique_opens=int(opened.get("unique_opens") or 0) if opens else None,
        opens_total=int(opened.get("opens_total") or 0) if opens else None,
        clicked=int(clicked.get("unique_subscriber_clicks") or 0) if clicks else None,
        clicks_total=int(clicked.get("clicks_total") or 0) if clicks else None,
    )


def _sections(
    link_map: LinkMap | None,
    links: list[dict[str, Any]],
    places: Mapping[str, _Place],
    people: Mapping[str, Person],
    clicks: bool,
) -> list[SectionRow]:
    if link_map is None:
        return []
    counts = {str(link["url"]): link for link in links}
    readers: Counter[int] = Counter(s for p in people.values() for s in p.sections)
    rows = []
    for section in link_map.sections:
        own = [
            u for u, p in places.items() if p.kind == "section" and p.sections == [section.index]
        ]
        shared = any(section.index in p.sections for p in places.values() if p.kind == "shared")
        row_links = [
            LinkRow(
                redact(u),
                int(counts[u]["total_clicks"]),
                int(counts[u]["unique_clicks"]),
                [section.index],
            )
            for u in own
        ]
        rows.append(
            SectionRow(
                section.index,
                section.heading,
                section.type,
                section.line,
                sum(link.clicks for link in row_links) if clicks else None,
                readers[section.index] if clicks else None,
                shared,
                row_links,
            )
        )
    return rows


def _others(
    heading: str,
    kind: str,
    links: list[dict[str, Any]],
    places: Mapping[str, _Place],
    place: str,
    readers: int,
) -> SectionRow:
    """The page's header and footer, or the links sent under a heading the issue has lost."""
    chosen = [
        LinkRow(
            redact(str(link["url"])),
            int(link["total_clicks"]),
            int(link["unique_clicks"]),
        )
        for link in links
        if places[str(link["url"])].kind == place
        and (place != "gone" or places[str(link["url"])].heading == heading)
    ]
    return SectionRow(
        None, heading, kind, None, sum(x.clicks for x in chosen), readers, False, chosen
    )
