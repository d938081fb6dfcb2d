"""The fake's reports endpoints, through the real SDK: figures that agree with each other and
with the activity set, items checked against the fields Mailchimp documents for them."""

from __future__ import annotations

import pytest
from fake_mailchimp import subscriber_hash
from fake_mailchimp.spec import REPORT_ITEMS, load_spec
from mailchimp_marketing.api_client import ApiClientError

HTML = (
    '<a href="https://a.example/x">x</a> <a href="https://b.example/">b</a> '
    '<a href="*|UNSUB|*">u</a>'
)
READERS = [f"r{n}@list.example" for n in range(6)]


@pytest.fixture
def sent(fake_mailchimp):
    fake_mailchimp.seed_list(
        "P",
        list_id="0a1b2c3d4e",
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        members=[{"email": e, "merge_fields": {"ORG": "School"}} for e in READERS],
    )
    client = fake_mailchimp.client()
    settings = {"subject_line": "S", "from_name": "F", "reply_to": "f@list.example", "title": "t"}
    campaign = client.campaigns.create(
        {"type": "regular", "recipients": {"list_id": "0a1b2c3d4e"}, "settings": settings}
    )
    client.campaigns.set_content(campaign["id"], {"html": HTML})
    return client, campaign["id"]


def test_a_campaign_not_sent_has_no_report(fake_mailchimp, sent):
    client, campaign_id = sent
    fake_mailchimp.state.campaigns[campaign_id].status = "save"
    with pytest.raises(ApiClientError) as caught:
        client.reports.get_campaign_report(campaign_id)
    assert caught.value.status_code == 404


def test_every_endpoint_agrees_with_the_activity_set(fake_mailchimp, sent):
    client, campaign_id = sent
    client.campaigns.send(campaign_id)
    fake_mailchimp.set_activity(
        campaign_id,
        opens={READERS[0]: 2, READERS[1]: 1},
        clicks={READERS[0]: ["https://a.example/x", "https://a.example/x"],
                READERS[2]: ["https://b.example/"]},
        bounces={READERS[5]: "hard"},
        unsubscribes=[READERS[2]],
        abuse=[READERS[1]],
    )  # fmt: skip
    report = client.reports.get_campaign_report(campaign_id)
    assert report["emails_sent"] == 6 and report["bounces"]["hard_bounces"] == 1
    assert report["opens"]["unique_opens"] == 2 and report["opens"]["opens_total"] == 3
    assert report["opens"]["open_rate"] == pytest.approx(2 / 5)  # of the deliveries
    assert report["clicks"]["unique_subscriber_clicks"] == 2
    assert (report["unsubscribed"], report["abuse_reports"]) == (1, 1)
    links = client.reports.get_campaign_click_details(campaign_id)["urls_clicked"]
    assert [(x["url"], x["total_clicks"], x["unique_clicks"]) for x in links] == [
        ("https://a.example/x", 2, 1),
        ("https://b.example/", 1, 1),
    ]  # the merge-tag link is not tracked
    activity = client.reports.get_email_activity_for_campaign(campaign_id, count=1000)
    actions = {e["email_id"]: [a["action"] for a in e["activity"]] for e in activity["emails"]}
    assert actions[subscriber_hash(READERS[0])] == ["open", "open", "click", "click"]
    assert actions[subscriber_hash(READERS[5])] == ["bounce"]
    sent_to = client.reports.get_campaign_recipients(
        campaign_id, fields=["sent_to.email_id", "sent_to.status", "sent_to.merge_fields.ORG"]
    )["sent_to"]
    assert sent_to[5] == {"email_id": subscriber_hash(READERS[5]), "status": "hard",
                          "merge_fields": {"ORG": "School"}}  # fmt: skip
    unsubscribed = client.reports.get_unsubscribed_list_for_campaign(campaign_id)
    assert [u["email_id"] for u in unsubscribed["unsubscribes"]] == [subscriber_hash(READERS[2])]
    assert fake_mailchimp.member("0a1b2c3d4e", READERS[2]).status == "unsubscribed"


def test_activity_that_could_not_happen_is_refused(fake_mailchimp, sent):
    client, campaign_id = sent
    with pytest.raises(ValueError, match="has not been sent"):
        fake_mailchimp.set_activity(campaign_id, opens={READERS[0]: 1})
    client.campaigns.send(campaign_id)
    for activity, message in (
        ({"clicks": {READERS[0]: ["https://elsewhere.example/"]}}, "not a link"),
        ({"opens": {"stranger@list.example": 1}}, "was not sent"),
        ({"bounces": {READERS[0]: "hard"}, "opens": {READERS[0]: 1}}, "bounced"),
    ):
        with pytest.raises(ValueError, match=message):
            fake_mailchimp.set_activity(campaign_id, **activity)


def test_what_tracking_was_off_for_is_not_seen(fake_mailchimp, sent):
    client, campaign_id = sent
    settings = {"subject_line": "S", "from_name": "F", "reply_to": "f@list.example"}
    client.campaigns.update(campaign_id, {"settings": settings, "tracking": {"opens": False}})
    client.campaigns.send(campaign_id)
    fake_mailchimp.set_activity(campaign_id, opens={READERS[0]: 3})
    assert client.reports.get_campaign_report(campaign_id)["opens"]["unique_opens"] == 0


def test_generated_activity_is_within_its_rates(fake_mailchimp, sent):
    client, campaign_id = sent
    client.campaigns.send(campaign_id)
    activity = fake_mailchimp.generate_activity(campaign_id, open_rate=1.0, bounce_rate=0.0)
    assert len(activity.opens) == 6 and not activity.bounces


@pytest.mark.parametrize("schema", sorted(REPORT_ITEMS))
def test_a_report_item_without_its_fields_breaks_the_spec(schema: str):
    """The items point at their own collection in the spec; ours catch a broken one."""
    spec = load_spec()
    assert spec.check(REPORT_ITEMS[schema], {"email_id": 42, "status": "lost", "url": 1})
    op = next(o for o in spec.operations.values() if o.response_ref == schema)
    assert spec.response_schema(op, {"x": 1}) is REPORT_ITEMS[schema]
