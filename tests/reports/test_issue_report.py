"""`bulletin report ISSUE.yaml` against exact activity: every figure is what was set.

The activity (support/reports.py): 20 readers; p3 bounced hard and t4 soft (18 delivered);
a1 opened twice, t1 three times, a2, a3, n1 and p1 once (6 readers, 9 opens); a1 clicked the
first link of section 1 twice and that of section 2 once, a2 section 2's, n1 section 3's, t1
section 1's (4 readers, 6 clicks); a6 unsubscribed; n5 reported abuse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.campaigns import dispatcher, edit
from support.reports import Sent, send

from bulletin.errors import BulletinError
from bulletin.reports.groups import NO_LIST, OTHER_LISTS, OTHER_ORGANISATIONS
from bulletin.reports.issue import report_issue


def report(fake, issue: Path, **kwargs):
    return report_issue(dispatcher(fake, issue), issue, **kwargs)


def test_every_total_is_what_was_set(fake, issue: Path, sent: Sent):
    t = report(fake, issue).totals
    assert (t.emails_sent, t.hard_bounces, t.soft_bounces, t.delivered) == (20, 1, 1, 18)
    assert (t.unique_opens, t.opens_total, t.clicked, t.clicks_total) == (6, 9, 4, 6)
    assert (t.unsubscribes, t.abuse_reports) == (1, 1)
    assert t.open_rate == pytest.approx(6 / 18)  # rates divide by deliveries
    assert t.click_rate == pytest.approx(4 / 18)


def test_clicks_land_on_the_sections_that_hold_the_links(fake, issue: Path, sent: Sent):
    found = report(fake, issue)
    rows = [(s.index, s.heading, s.type, s.line, s.clicks, s.readers) for s in found.sections]
    assert rows == [
        (1, "Preventing Injury to Babies", "article", 10, 3, 2),
        (2, "Reducing Parental Conflict Initiative—Harmony at Home", "article", 26, 2, 2),
        (3, "ICON COVID Resources", "icon", 42, 1, 1),
        (4, "Launch of the Worcestershire GET SAFE 2020-2022 Strategy", "quote", 54, 0, 0),
    ]
    assert found.most_used is not None and found.most_used.index in (1, 2)
    assert [link.url for link in found.sections[0].links] == [sent.urls[0]]
    assert found.as_sent is True and found.notes == [] and found.shared_links == []


def test_organisations_of_fewer_than_five_are_merged_never_named(fake, issue: Path, sent: Sent):
    found = report(fake, issue)
    rows = {
        g.name: (g.recipients, g.delivered, g.opened, g.clicked, g.unsubscribed, g.merged)
        for g in found.by_organisation
    }
    assert rows == {
        "School A": (6, 6, 3, 2, 1, 0),
        "NHS Trust": (5, 5, 1, 1, 0, 0),  # "nhs  trust " is the same organisation
        # Tiny Charity (4), West Mercia Police (3) and the 2 who gave none
        OTHER_ORGANISATIONS: (9, 7, 2, 1, 0, 3),
    }
    tops = {g.name: g.top_section for g in found.by_organisation}
    assert tops["School A"] == "Reducing Parental Conflict Initiative—Harmony at Home"
    assert tops["NHS Trust"] == "ICON COVID Resources"
    assert found.organisations == 4  # reached: every organisation with a delivered reader


def test_partner_lists_of_fewer_than_five_are_merged(fake, issue: Path, sent: Sent):
    rows = {
        g.name: (g.recipients, g.delivered, g.opened, g.clicked, g.merged)
        for g in report(fake, issue).by_partner_list
    }
    # Police (3), Voluntary sector (4) and the 2 in no partner list are merged.
    assert rows == {
        "Schools DSLs": (6, 6, 3, 2, 0),
        "Health": (5, 5, 1, 1, 0),
        OTHER_LISTS: (9, 7, 2, 1, 3),
    }
    assert NO_LIST not in rows


def test_a_link_two_sections_hold_is_counted_once_and_marked(fake, issue: Path):
    shared = "https://www.safeguardingworcestershire.org.uk/wscp-safeguarding-babies-initiative/"
    edit(issue, "https://www.nice.org.uk/", f"{shared}?x=")  # keep section 3's other link
    edit(issue, "https://www.worcestershire.gov.uk/harmonyathome", shared)
    done = send(fake, issue)
    fake.set_activity(
        done.campaign_id,
        clicks={"a1@reader.example": [shared, shared], "a2@reader.example": [shared]},
    )
    found = report(fake, issue)
    assert [(s.index, s.clicks, s.readers, s.shared) for s in found.sections[:2]] == [
        (1, 0, 0, True),
        (2, 0, 0, True),
    ]
    [link] = found.shared_links
    assert (link.url, link.clicks, link.readers, link.sections) == (shared, 3, 2, [1, 2])
    assert found.totals.clicks_total == 3


def test_an_issue_edited_after_the_send_says_so_and_keeps_the_lost_links(fake, issue: Path):
    done = send(fake, issue)
    fake.set_activity(done.campaign_id, clicks={"a1@reader.example": [done.urls[0]]})
    edit(issue, done.urls[0], "https://www.example.org/moved")
    found = report(fake, issue)
    assert found.as_sent is False
    assert any("changed since the send" in note for note in found.notes)
    lost = [s for s in found.sections if s.index is None]
    assert [(s.heading, s.type, s.clicks, s.readers) for s in lost] == [
        ("Preventing Injury to Babies", "", 1, 1)  # the heading it was sent under
    ]


def test_an_issue_broken_since_the_send_is_reported_from_what_was_sent(fake, issue: Path):
    done = send(fake, issue)
    fake.set_activity(done.campaign_id, clicks={"a1@reader.example": [done.urls[1]]})
    edit(issue, "title: WSCP Newsletter", "title: [unclosed")
    found = report(fake, issue)
    assert found.as_sent is None
    assert [(s.heading, s.type, s.clicks) for s in found.sections] == [  # as the email had them
        ("Preventing Injury to Babies", "", 0),
        ("Reducing Parental Conflict Initiative—Harmony at Home", "", 1),
        ("ICON COVID Resources", "", 0),
        ("Launch of the Worcestershire GET SAFE 2020-2022 Strategy", "", 0),
    ]


def test_a_campaign_not_sent_has_no_report(fake, issue: Path):
    dispatcher(fake, issue).push(__import__("support.campaigns").campaigns.payload(issue))
    with pytest.raises(BulletinError, match="has not been sent"):
        report(fake, issue)
    assert fake.calls("GET", r"^/reports") == []


def test_an_issue_never_pushed_has_no_report(fake, issue: Path):
    with pytest.raises(BulletinError, match="no campaign"):
        report(fake, issue)


def test_the_call_count_is_one_per_thousand_readers_whatever_the_audience(
    fake_mailchimp, issue: Path
):
    extra = [
        {"email": f"r{n}@bulk.example", "merge_fields": {"ORG": f"School {n % 40}"},
         "tags": ["Schools DSLs"] if n % 2 else []}
        for n in range(2_480)
    ]  # fmt: skip
    from support.reports import seed_readers

    seed_readers(fake_mailchimp, extra)
    done = send(fake_mailchimp, issue)
    fake_mailchimp.generate_activity(done.campaign_id, seed=3)
    fake_mailchimp.clear_requests()
    found = report(fake_mailchimp, issue)
    per_reader = fake_mailchimp.calls("GET", r"/(sent-to|email-activity)$")
    assert len(per_reader) == 2 * 3  # 2,500 readers: 3 pages of 1,000 each
    assert {r.query["count"] for r in per_reader} == {"1000"}
    # campaign, content, summary, click details, unsubscribed, segments; 3 + 3 pages of
    # readers; Schools DSLs 1,246 members (2 pages), the other three tags 1 page each
    assert found.calls == len(fake_mailchimp.requests) == 6 + 6 + 2 + 3
    assert found.totals.emails_sent == 2_500
    assert sum(g.recipients for g in found.by_organisation) == 2_500


def test_a_busy_mailchimp_is_waited_out_and_the_figures_stay_exact(fake, issue: Path, sent: Sent):
    fake.inject(r"/email-activity$", "GET", times=2, fault="503")
    fake.inject(r"/sent-to$", "GET", times=1, fault="429")
    found = report(fake, issue)
    assert (found.totals.clicked, found.sections[0].readers) == (4, 2)
    assert sum(g.recipients for g in found.by_organisation) == 20  # no page counted twice


def test_a_report_mailchimp_cannot_give_is_an_error_and_nothing_is_kept(fake, issue, sent):
    from bulletin.mailchimp.client import MailchimpError

    fake.sent_at(sent.campaign_id, __import__("datetime").datetime(2025, 1, 6, 9, 0))
    fake.inject(r"/email-activity$", "GET", times=None, fault="500")
    with pytest.raises(MailchimpError, match="Mailchimp said 500"):
        report(fake, issue)
    assert len(fake.calls("GET", r"/email-activity$")) == 5  # tried, then given up
    assert not (issue.parent.parent / ".bulletin" / "reports").exists()
