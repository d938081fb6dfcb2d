"""Targeting: a partner list and preference groups become segment options Mailchimp counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.audiences import LIST_ID, audience, client, make_project, seed_synced

from bulletin.audiences.sync import sync
from bulletin.campaigns.targeting import build_target
from bulletin.errors import BulletinError
from bulletin.mailchimp import campaigns as api

ADULTS = {"Topics": ["Adult safeguarding"]}
READERS = [
    {"email": "a@example.org", "tags": ["Schools DSLs"], "interests": ADULTS},
    {"email": "b@example.org", "tags": ["Schools DSLs"],
     "interests": {"Topics": ["Training and events"]}},
    {"email": "c@example.org", "tags": ["Health"], "interests": ADULTS},
    {"email": "d@example.org", "tags": ["Schools DSLs"], "interests": {"Role": ["Manager"]}},
    {"email": "e@example.org", "tags": ["Schools DSLs"], "status": "unsubscribed",
     "interests": ADULTS},
    {"email": "f@example.org", "merge_fields": {"ORG": "Adult social care"},
     "interests": {"Topics": ["Adult safeguarding"], "Role": ["Manager"]}},
]  # fmt: skip


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def count(fake, target) -> int:
    """Push a campaign with these recipients, as `bulletin push` does, and ask for the count."""
    sdk = fake.client()
    campaign = sdk.campaigns.create({"type": "regular", "recipients": target.recipients})
    return api.recipient_count(api.get(client(fake), campaign["id"]) or {}) or 0


def test_a_tag_and_groups_narrow_the_campaign(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp, members=READERS)
    mc, partners = client(fake_mailchimp), audience(root)

    everyone = build_target(mc, partners)
    assert everyone.segment_opts is None and everyone.recipients == {"list_id": LIST_ID}
    assert count(fake_mailchimp, everyone) == 5

    tagged = build_target(mc, partners, tag="Schools DSLs")
    (condition,) = tagged.segment_opts["conditions"]
    assert condition["condition_type"] == "StaticSegment" and condition["op"] == "static_is"
    assert count(fake_mailchimp, tagged) == 3  # not the one who unsubscribed

    target = build_target(
        mc,
        partners,
        tag="Schools DSLs",
        interests=["Adult safeguarding", "Topics:Training and events"],
    )
    adult = fake_mailchimp.interest_id(LIST_ID, "Topics", "Adult safeguarding")
    training = fake_mailchimp.interest_id(LIST_ID, "Topics", "Training and events")
    interests = target.segment_opts["conditions"][1]
    assert interests["op"] == "interestcontains"
    assert interests["field"].startswith("interests-")
    assert interests["value"] == [adult, training]
    assert target.segment_opts["match"] == "all"
    assert count(fake_mailchimp, target) == 2
    assert target.description == (
        "readers of partners tagged Schools DSLs and chose Adult safeguarding or Training and "
        "events (Topics)"
    )

    both = build_target(mc, partners, interests=["Adult safeguarding", "Manager"])
    assert [c["field"] for c in both.segment_opts["conditions"]] == [
        f"interests-{c.id}" for c in _categories(fake_mailchimp)
    ]
    assert count(fake_mailchimp, both) == 1  # f: chose a group of each category


def test_a_saved_segment_alone_or_narrowed(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp, members=READERS)
    sync(client(fake_mailchimp), [audience(root)], root)  # creates the saved segment
    mc, partners = client(fake_mailchimp), audience(root)
    alone = build_target(mc, partners, tag="Social care")
    assert list(alone.segment_opts) == ["saved_segment_id"]
    assert count(fake_mailchimp, alone) == 1
    narrowed = build_target(mc, partners, tag="Social care", interests=["Training and events"])
    assert narrowed.segment_opts["conditions"][0]["condition_type"] == "TextMerge"
    assert count(fake_mailchimp, narrowed) == 0


def test_names_that_mean_nothing_fail_before_any_campaign(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp)
    mc, partners = client(fake_mailchimp), audience(root)
    with pytest.raises(BulletinError, match=r"--tag Schools: .*did you mean 'Schools DSLs'"):
        build_target(mc, partners, tag="Schools")
    with pytest.raises(BulletinError, match=r"--interest Managers: .*did you mean 'Manager'"):
        build_target(mc, partners, interests=["Managers"])
    fake_mailchimp.seed_list("Empty", list_id="0000000001")
    empty = partners.model_copy(update={"list_id": "0000000001"})
    with pytest.raises(BulletinError, match="run `bulletin audiences sync`"):
        build_target(mc, empty, interests=["Manager"])
    assert fake_mailchimp.write_calls() == 0


def _categories(fake):
    with fake.lock:
        return list(fake.state.lists[LIST_ID].categories.values())
