"""The fake Mailchimp, driven through the real SDK: it answers, refuses and fails as the API does.

Every test here runs with response checking on (the `fake_mailchimp` fixture), so each 200 the fake
sends is also checked against the spec's response schema.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from fake_mailchimp import FakeMailchimp, running, subscriber_hash
from fake_mailchimp.spec import load_spec, load_time
from mailchimp_marketing.api_client import ApiClientError

NOW = datetime(2020, 12, 1, 10, 7, tzinfo=UTC)
SETTINGS = {
    "subject_line": "December bulletin",
    "from_name": "WSCP",
    "reply_to": "wscp@example.org",
    "title": "wscp-2020-12",
}


def problem(error: ApiClientError) -> dict[str, Any]:
    """Real errors are application/problem+json, which the SDK leaves as a string in .text."""
    assert isinstance(error.text, str)
    return json.loads(error.text)


def raw(fake: FakeMailchimp, method: str, path: str, **kwargs: Any) -> requests.Response:
    """A request the SDK would not make (it refuses count > 1000 and unknown kwargs itself)."""
    return requests.request(
        method, fake.url + path, auth=("user", fake.api_key), timeout=5, **kwargs
    )


@pytest.fixture
def fake(fake_mailchimp: FakeMailchimp) -> FakeMailchimp:
    fake_mailchimp.set_now(NOW)
    return fake_mailchimp


@pytest.fixture
def audience(fake: FakeMailchimp):
    return fake.seed_list(
        "WSCP partners",
        list_id="0a1b2c3d4e",
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        interest_categories={"Topics": ["Children's safeguarding", "Training and events"]},
        tags=["Schools DSLs", "Health"],
        members=[
            {
                "email": "dsl@school.example",
                "tags": ["Schools DSLs"],
                "interests": {"Topics": ["Children's safeguarding"]},
            },
            {
                "email": "nurse@nhs.example",
                "tags": ["Health"],
                "interests": {"Topics": ["Training and events"]},
            },
            {"email": "gone@example.org", "status": "unsubscribed"},  # unsubscribed themselves
            {
                "email": "admin-removed@example.org",
                "status": "unsubscribed",
                "unsubscribed_by": "api",
            },
            {"email": "bounced@example.org", "status": "cleaned"},
            {"email": "waiting@example.org", "status": "pending"},
        ],
    )


def ready_campaign(client: Any, list_id: str, html: str = "<p>Hello</p>") -> str:
    campaign = client.campaigns.create(
        {"type": "regular", "recipients": {"list_id": list_id}, "settings": SETTINGS}
    )
    client.campaigns.set_content(campaign["id"], {"html": html, "plain_text": "Hello"})
    return campaign["id"]


def test_the_spec_loads_and_indexes_fast() -> None:
    spec = load_spec()
    assert len(spec.operations) == 270
    assert load_time() < 1.0


def test_ping_bad_key_and_unknown_list(fake: FakeMailchimp) -> None:
    client = fake.client()
    assert client.ping.get() == {"health_status": "Everything's Chimpy!"}

    bad = fake.client()
    bad.set_config({"api_key": "ffffffffffffffffffffffffffffffff-us19", "server": "us19"})
    with pytest.raises(ApiClientError) as caught:
        bad.ping.get()
    assert caught.value.status_code == 401
    assert str(caught.value) == ""  # the SDK builds HTTP errors with keywords only
    body = problem(caught.value)
    assert body["title"] == "API Key Invalid"
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert requests.get(fake.url + "/ping", timeout=5).status_code == 401  # no key at all

    with pytest.raises(ApiClientError) as caught:
        client.lists.get_list("nosuchlist")
    assert caught.value.status_code == 404
    assert problem(caught.value)["title"] == "Resource Not Found"
    assert fake.violations == []  # 401 and 404 are answers, not mistakes


def test_campaign_from_creation_to_sent(fake: FakeMailchimp, audience: Any) -> None:
    client = fake.client()
    campaign = client.campaigns.create(
        {"type": "regular", "recipients": {"list_id": audience.id}, "settings": SETTINGS}
    )
    cid = campaign["id"]
    assert campaign["status"] == "save"
    assert campaign["recipients"]["recipient_count"] == 2
    checklist = client.campaigns.get_send_checklist(cid)
    assert not checklist["is_ready"]
    assert [i["heading"] for i in checklist["items"] if i["type"] == "error"] == ["Content"]

    client.campaigns.set_content(cid, {"html": "<h1>December</h1><p>News &amp; training</p>"})
    content = client.campaigns.get_content(cid)
    assert content["html"] == "<h1>December</h1><p>News &amp; training</p>"
    assert content["plain_text"] == "December\nNews & training"  # generated when not given
    assert client.campaigns.get_send_checklist(cid)["is_ready"]

    reviewers = [f"reviewer{i}@example.org" for i in range(fake.test_email_limit + 1)]
    with pytest.raises(ApiClientError) as caught:
        client.campaigns.send_test_email(cid, {"test_emails": reviewers, "send_type": "html"})
    assert caught.value.status_code == 400
    assert [v.kind for v in fake.take_violations()] == ["rule"]
    answer = client.campaigns.send_test_email(
        cid, {"test_emails": reviewers[:-1], "send_type": "plaintext"}
    )
    assert (
        answer.status_code == 204 and answer.content == b""
    )  # 204s come back as a requests.Response
    (test,) = fake.state.test_sends
    assert (test.send_type, len(test.emails), test.plain_text) == (
        "plaintext",
        6,
        "December\nNews & training",
    )

    for when, why in [
        ("2020-12-01T10:00:00+00:00", "in the future"),
        ("2020-12-04T09:10:00+00:00", "quarter-hour"),
        ("2020-12-04T09:00:00", "UTC"),
        ("2020-12-04T09:00:00+01:00", "UTC"),
        ("2020-12-04T09:00:30Z", "quarter-hour"),
    ]:
        with pytest.raises(ApiClientError) as caught:
            client.campaigns.schedule(cid, {"schedule_time": when})
        assert caught.value.status_code == 400
        assert why in problem(caught.value)["detail"], when
        assert problem(caught.value)["errors"][0]["field"] == "schedule_time"
    assert len(fake.take_violations()) == 5

    client.campaigns.schedule(cid, {"schedule_time": "2020-12-04T09:00:00Z"})
    scheduled = client.campaigns.get(cid)
    assert (scheduled["status"], scheduled["send_time"]) == (
        "schedule",
        "2020-12-04T09:00:00+00:00",
    )
    for change in (
        lambda: client.campaigns.set_content(cid, {"html": "<p>changed</p>"}),
        lambda: client.campaigns.update(cid, {"settings": SETTINGS}),
        lambda: client.campaigns.schedule(cid, {"schedule_time": "2020-12-04T09:15:00Z"}),
        lambda: client.campaigns.send(cid),
    ):
        with pytest.raises(ApiClientError) as caught:
            change()
        assert "unschedule" in problem(caught.value)["detail"]
    assert len(fake.take_violations()) == 4

    client.campaigns.unschedule(cid)
    assert client.campaigns.get(cid)["status"] == "save"
    with pytest.raises(ApiClientError):
        client.campaigns.unschedule(cid)
    assert len(fake.take_violations()) == 1

    client.campaigns.send(cid)
    sent = client.campaigns.get(cid)
    assert (sent["status"], sent["emails_sent"]) == ("sent", 2)
    (send,) = fake.state.sends
    assert sorted(send.recipients) == ["dsl@school.example", "nurse@nhs.example"]
    assert send.html == "<h1>December</h1><p>News &amp; training</p>"
    for again in (
        lambda: client.campaigns.send(cid),
        lambda: client.campaigns.schedule(cid, {"schedule_time": "2020-12-04T09:00:00Z"}),
    ):
        with pytest.raises(ApiClientError) as caught:
            again()
        assert "already been sent" in problem(caught.value)["detail"]
    assert len(fake.take_violations()) == 2


def test_a_schedule_comes_due_on_the_fakes_clock(fake: FakeMailchimp, audience: Any) -> None:
    client = fake.client()
    cid = ready_campaign(client, audience.id)
    client.campaigns.schedule(cid, {"schedule_time": "2020-12-01T10:15:00+00:00"})
    fake.advance(minutes=7)
    assert client.campaigns.get(cid)["status"] == "schedule"
    assert fake.state.sends == []
    fake.advance(minutes=1)
    assert client.campaigns.get(cid)["status"] == "sent"
    assert [s.at for s in fake.state.sends] == [datetime(2020, 12, 1, 10, 15, tzinfo=UTC)]
    listed = client.campaigns.list(status="sent", list_id=audience.id, count=5)
    assert [c["id"] for c in listed["campaigns"]] == [cid] and listed["total_items"] == 1


def test_spec_checks_catch_bad_requests(fake: FakeMailchimp, audience: Any) -> None:
    client = fake.client()
    with pytest.raises(ApiClientError) as caught:
        client.campaigns.create({"type": "weekly", "recipients": {"list_id": audience.id}})
    body = problem(caught.value)
    assert (body["status"], body["title"]) == (400, "Invalid Resource")
    assert body["errors"] == [{"field": "type", "message": body["errors"][0]["message"]}]
    assert "weekly" in body["errors"][0]["message"]

    cid = ready_campaign(client, audience.id)
    with pytest.raises(ApiClientError) as caught:
        client.campaigns.update(
            cid, {"settings": {"title": "only a title"}}
        )  # the spec wants all three
    assert {e["field"] for e in problem(caught.value)["errors"]} == {
        "settings.subject_line",
        "settings.from_name",
        "settings.reply_to",
    }

    assert raw(fake, "GET", "/campaigns", params={"count": 5000}).status_code == 400
    assert raw(fake, "GET", "/campaigns", params={"stauts": "sent"}).status_code == 400
    assert raw(fake, "GET", "/campaigns", params={"count": "ten"}).status_code == 400
    assert raw(fake, "GET", "/nowhere").status_code == 404
    assert raw(fake, "PUT", "/campaigns").status_code == 405
    violations = fake.take_violations()
    assert [v.kind for v in violations] == ["spec"] * 9
    assert any("stauts: unknown query parameter" in v.message for v in violations)
    # What the SDK does send is fine: True/False booleans, fields lists, a literal null body.
    client.lists.get_list(
        audience.id, include_total_contacts=True, fields=["id", "stats.total_contacts"]
    )
    client.campaigns.replicate(cid)
    assert fake.violations == []


def test_fields_and_exclude_fields(fake: FakeMailchimp, audience: Any) -> None:
    client = fake.client()
    ready_campaign(client, audience.id)
    listed = client.campaigns.list(
        fields=["campaigns.id", "campaigns.settings.title", "total_items"]
    )
    assert set(listed) == {"campaigns", "total_items"}
    assert set(listed["campaigns"][0]) == {"id", "settings"}
    assert listed["campaigns"][0]["settings"] == {"title": "wscp-2020-12"}
    one = client.lists.get_list(audience.id, exclude_fields=["stats", "contact"])
    assert "stats" not in one and "contact" not in one and one["id"] == audience.id


def test_violations_fail_the_test_even_when_the_code_swallows_the_400(
    pytester: pytest.Pytester,
) -> None:
    with (
        pytest.raises(AssertionError, match=r"\[spec\] GET /campaigns: count"),
        running() as fake,
    ):
        raw(fake, "GET", "/campaigns", params={"count": 5000})

    pytester.makeconftest(
        """
        import pytest
        from fake_mailchimp import running

        @pytest.fixture
        def fake_mailchimp():
            with running() as fake:
                yield fake
        """
    )
    pytester.makepyfile(
        """
        import requests

        def test_swallows_it(fake_mailchimp):
            answer = requests.get(fake_mailchimp.url + "/campaigns", params={"count": 5000},
                                  auth=("user", fake_mailchimp.api_key), timeout=5)
            assert answer.status_code == 400  # and carries on as if nothing happened

        def test_acknowledges_it(fake_mailchimp):
            requests.get(fake_mailchimp.url + "/campaigns", params={"count": 5000},
                         auth=("user", fake_mailchimp.api_key), timeout=5)
            assert fake_mailchimp.take_violations()
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["*violation(s): requests the real API would reject*", "*count: 5000 is greater*"]
    )


def test_status_if_new_never_resubscribes(fake: FakeMailchimp, audience: Any) -> None:
    client = fake.client()
    for email in (
        "gone@example.org",
        "admin-removed@example.org",
        "bounced@example.org",
        "waiting@example.org",
    ):
        member = client.lists.set_list_member(
            audience.id,
            subscriber_hash(email),
            {"email_address": email, "status_if_new": "subscribed"},
        )
        assert member["status"] != "subscribed", email
    new = client.lists.set_list_member(
        audience.id,
        subscriber_hash("New@Example.org"),
        {
            "email_address": "New@Example.org",
            "status_if_new": "pending",
            "merge_fields": {"ORG": "NHS"},
        },
    )
    assert (new["status"], new["merge_fields"]["ORG"]) == ("pending", "NHS")
    assert new["id"] == subscriber_hash("new@example.org")

    # An explicit status: the API re-subscribes an address an admin unsubscribed, never one that
    # unsubscribed itself or bounced.
    for email, expected in (
        ("gone@example.org", 400),
        ("bounced@example.org", 400),
        ("admin-removed@example.org", 200),
    ):
        body = {"email_address": email, "status_if_new": "subscribed", "status": "subscribed"}
        if expected == 400:
            with pytest.raises(ApiClientError) as caught:
                client.lists.set_list_member(audience.id, subscriber_hash(email), body)
            assert problem(caught.value)["title"] == "Member In Compliance State"
        else:
            assert (
                client.lists.set_list_member(audience.id, subscriber_hash(email), body)["status"]
                == "subscribed"
            )
    assert [v.kind for v in fake.take_violations()] == ["rule", "rule"]

    client.lists.delete_list_member_permanent(audience.id, subscriber_hash("waiting@example.org"))
    with pytest.raises(ApiClientError) as caught:
        client.lists.add_list_member(
            audience.id, {"email_address": "waiting@example.org", "status": "pending"}
        )
    assert problem(caught.value)["title"] == "Forgotten Email Not Subscribed"
    with pytest.raises(ApiClientError) as caught:
        client.lists.add_list_member(
            audience.id, {"email_address": "dsl@school.example", "status": "subscribed"}
        )
    assert problem(caught.value)["title"] == "Member Exists"
    assert [v.kind for v in fake.take_violations()] == ["rule"]


def test_batch_subscribe_keeps_unsubscribed_members_unsubscribed(
    fake: FakeMailchimp, audience: Any
) -> None:
    client = fake.client()
    members = [
        {"email_address": "gone@example.org", "status": "subscribed"},
        {"email_address": "bounced@example.org", "status": "subscribed"},
        {
            "email_address": "fresh@example.org",
            "status": "subscribed",
            "merge_fields": {"ORG": "Police"},
        },
        {"email_address": "not-an-address", "status": "subscribed"},
    ]
    result = client.lists.batch_list_members(
        audience.id, {"members": members, "update_existing": False}
    )
    assert (result["total_created"], result["total_updated"], result["error_count"]) == (1, 0, 3)
    codes = {e["email_address"]: e["error_code"] for e in result["errors"]}
    assert codes == {
        "gone@example.org": "ERROR_CONTACT_EXISTS",
        "bounced@example.org": "ERROR_CONTACT_EXISTS",
        "not-an-address": "ERROR_GENERIC",
    }
    assert fake.member(audience.id, "gone@example.org").status == "unsubscribed"
    assert fake.member(audience.id, "bounced@example.org").status == "cleaned"
    assert fake.violations == []

    # update_existing with a status: refused per member, inside the 200, and recorded as a
    # violation.
    result = client.lists.batch_list_members(
        audience.id, {"members": members[:2], "update_existing": True}
    )
    assert result["error_count"] == 2 and "compliance state" in result["errors"][0]["error"]
    assert fake.member(audience.id, "gone@example.org").status == "unsubscribed"
    assert len(fake.take_violations()) == 2

    too_many = [{"email_address": f"m{i}@example.org", "status": "subscribed"} for i in range(501)]
    with pytest.raises(ApiClientError) as caught:
        client.lists.batch_list_members(audience.id, {"members": too_many})
    assert "500" in problem(caught.value)["detail"]
    assert len(fake.take_violations()) == 1
    assert fake.member(audience.id, "m0@example.org") is None


def test_members_groups_tags_segments_and_webhooks(fake: FakeMailchimp, audience: Any) -> None:
    client = fake.client()
    lid = audience.id
    sent: list[str] = []  # the method of every request the SDK sent, counted on its side
    request = client.api_client.request

    def counted(method: str, *args: Any, **kwargs: Any) -> requests.Response:
        sent.append(method)
        return request(method, *args, **kwargs)

    client.api_client.request = counted
    assert (
        client.lists.get_list_members_info(lid, status="unsubscribed", count=1)["total_items"] == 2
    )
    page = client.lists.get_list_members_info(lid, count=2, offset=1)
    assert (len(page["members"]), page["total_items"]) == (2, 6)
    member = client.lists.get_list_member(lid, subscriber_hash("dsl@school.example"))
    assert member["tags"][0]["name"] == "Schools DSLs" and member["status"] == "subscribed"
    client.lists.update_list_member(
        lid, subscriber_hash("dsl@school.example"), {"merge_fields": {"ORG": "X"}}
    )
    with pytest.raises(ApiClientError) as caught:
        client.lists.update_list_member(
            lid, subscriber_hash("dsl@school.example"), {"merge_fields": {"ORGG": "X"}}
        )
    assert problem(caught.value)["errors"][0]["field"] == "ORGG"
    assert len(fake.take_violations()) == 1
    with pytest.raises(ApiClientError) as caught:
        client.lists.get_list_member(lid, subscriber_hash("nobody@example.org"))
    assert caught.value.status_code == 404

    categories = client.lists.get_list_interest_categories(lid)["categories"]
    (topics,) = categories
    category = client.lists.create_list_interest_category(
        lid, {"title": "Sector", "type": "checkboxes"}
    )
    group = client.lists.create_interest_category_interest(lid, category["id"], {"name": "Schools"})
    renamed = client.lists.update_interest_category_interest(
        lid, category["id"], group["id"], {"name": "Education"}
    )
    assert renamed["id"] == group["id"] and renamed["subscriber_count"] == "0"
    with pytest.raises(ApiClientError):
        client.lists.create_list_interest_category(lid, {"title": "Sector", "type": "checkboxes"})
    assert len(fake.take_violations()) == 1
    interests = client.lists.list_interest_category_interests(lid, topics["id"])["interests"]
    assert [i["subscriber_count"] for i in interests] == ["1", "1"]
    client.lists.delete_interest_category_interest(lid, category["id"], group["id"])
    client.lists.delete_interest_category(lid, category["id"])

    client.lists.update_list_member_tags(
        lid,
        subscriber_hash("nurse@nhs.example"),
        {
            "tags": [
                {"name": "Police", "status": "active"},
                {"name": "Health", "status": "inactive"},
            ]
        },
    )
    tags = client.lists.get_list_member_tags(lid, subscriber_hash("nurse@nhs.example"))["tags"]
    assert [t["name"] for t in tags] == ["Police"]
    assert [t["name"] for t in client.lists.tag_search(lid, name="po")["tags"]] == ["Police"]
    static = client.lists.list_segments(lid, type="static")["segments"]
    assert {s["name"] for s in static} == {"Schools DSLs", "Health", "Police"}
    police = next(s for s in static if s["name"] == "Police")
    batch = client.lists.batch_segment_members(
        {"members_to_add": ["dsl@school.example", "stranger@example.org"]}, lid, police["id"]
    )
    assert (batch["total_added"], batch["error_count"]) == (1, 1)

    children = interests[0]["id"]
    saved = client.lists.create_segment(
        lid,
        {
            "name": "Children's readers",
            "options": {
                "match": "all",
                "conditions": [
                    {
                        "condition_type": "Interests",
                        "field": f"interests-{topics['id']}",
                        "op": "interestcontains",
                        "value": [children],
                    }
                ],
            },
        },
    )
    assert (saved["type"], saved["member_count"]) == ("saved", 1)
    client.lists.update_segment(lid, saved["id"], {"name": "Children's safeguarding readers"})
    campaign = client.campaigns.create(
        {
            "type": "regular",
            "settings": SETTINGS,
            "recipients": {
                "list_id": lid,
                "segment_opts": {
                    "match": "any",
                    "conditions": [
                        {
                            "condition_type": "StaticSegment",
                            "field": "static_segment",
                            "op": "static_is",
                            "value": police["id"],
                        },
                        {
                            "condition_type": "Interests",
                            "field": f"interests-{topics['id']}",
                            "op": "interestcontains",
                            "value": [children],
                        },
                    ],
                },
            },
        }
    )
    assert campaign["recipients"]["recipient_count"] == 2
    client.lists.delete_segment(lid, saved["id"])

    fields = client.lists.get_list_merge_fields(lid)["merge_fields"]
    assert [f["tag"] for f in fields] == ["FNAME", "LNAME", "ORG"]
    added = client.lists.add_list_merge_field(lid, {"name": "Role", "type": "text", "tag": "ROLE"})
    assert added["tag"] == "ROLE"

    hook = client.lists.create_list_webhook(
        lid,
        {
            "url": "https://example.org/hooks/secret",
            "events": {"campaign": False},
            "sources": {"api": True},
        },
    )
    assert hook["events"]["unsubscribe"] and not hook["events"]["campaign"]
    client.lists.update_list_webhook(lid, hook["id"], {"events": {"profile": False}})
    assert client.lists.get_list_webhook(lid, hook["id"])["events"]["profile"] is False
    assert client.lists.get_list_webhooks(lid)["total_items"] == 1
    client.lists.delete_list_webhook(lid, hook["id"])
    with pytest.raises(ApiClientError):
        client.lists.create_list_webhook(lid, {"events": {"campaign": False}})  # no url
    assert len(fake.take_violations()) == 1

    assert client.lists.get_all_lists(email="dsl@school.example")["total_items"] == 1
    client.lists.delete_list_member(lid, subscriber_hash("dsl@school.example"))
    assert fake.member(lid, "dsl@school.example").status == "archived"
    writes = sum(1 for method in sent if method != "GET")
    assert writes == 20 and fake.write_calls() == writes  # the 20 write calls above


def test_faults_as_the_sdk_sees_them(fake: FakeMailchimp, audience: Any) -> None:
    client = fake.client(timeout=0.5)

    # The SDK keeps only .status_code and .text: Retry-After is visible only to a wrapper of
    # ApiClient.request (or a plain requests call), not on ApiClientError.
    seen: list[requests.Response] = []
    request = client.api_client.request

    def keep(*args: Any, **kwargs: Any) -> requests.Response:
        seen.append(request(*args, **kwargs))
        return seen[-1]

    client.api_client.request = keep
    fake.inject(r"^/ping$", fault="429", retry_after=3)
    with pytest.raises(ApiClientError) as caught:
        client.ping.get()
    assert caught.value.status_code == 429 and problem(caught.value)["title"] == "Too Many Requests"
    assert not hasattr(caught.value, "headers")
    assert seen[-1].headers["Retry-After"] == "3"

    for status in ("500", "503"):
        fake.inject(r"^/ping$", "GET", fault=status)
        with pytest.raises(ApiClientError) as caught:
            client.ping.get()
        assert caught.value.status_code == int(status)
    fake.inject(r"^/ping$", fault="500", body="")
    assert client.ping.get().status_code == 500  # an empty error body: the SDK returns, not raises

    fake.inject(r"^/ping$", fault="drop")
    with pytest.raises(ApiClientError) as caught:
        client.ping.get()
    assert caught.value.status_code is None
    assert isinstance(caught.value.text, requests.ConnectionError)

    fake.inject(r"^/ping$", fault="slow", delay=30)  # the fake's stop cuts the wait short
    with pytest.raises(ApiClientError) as caught:
        client.ping.get()
    assert isinstance(caught.value.text, requests.Timeout)
    assert fake.requests[-1].fault == "slow" and fake.requests[-1].status is None  # not answered
    fake.inject(r"^/ping$", fault="slow", delay=0.2)
    assert client.ping.get()["health_status"]

    cid = ready_campaign(client, audience.id)
    fake.inject(r"/actions/schedule$", "POST", fault="after")
    with pytest.raises(ApiClientError) as caught:
        client.campaigns.schedule(cid, {"schedule_time": "2020-12-04T09:00:00Z"})
    assert isinstance(caught.value.text, requests.ConnectionError)
    assert client.campaigns.get(cid)["status"] == "schedule"  # it happened; the client never heard

    assert [r.fault for r in fake.requests if r.fault] == [
        "429",
        "500",
        "503",
        "500",
        "drop",
        "slow",
        "slow",
        "after",
    ]
    assert [r.status for r in fake.requests if r.fault in ("drop", "after")] == [None, None]
    assert client.ping.get()["health_status"]  # every injection was used up


def test_a_batch_runs_later_and_reports_each_operation(fake: FakeMailchimp, audience: Any) -> None:
    import io
    import tarfile

    client = fake.client()
    tag = fake.state.lists[audience.id].tag("Health")
    assert tag is not None
    add = {"members_to_add": ["dsl@school.example"]}
    batch = client.batches.start(
        {
            "operations": [
                {"method": "POST", "path": f"/lists/{audience.id}/segments/{tag.id}",
                 "operation_id": "ok", "body": json.dumps(add)},
                {"method": "POST", "path": "/lists/nosuchlist/segments/1",
                 "operation_id": "gone", "body": json.dumps(add)},
            ]
        }
    )  # fmt: skip
    assert (batch["status"], batch["finished_operations"]) == ("pending", 0)
    assert client.batches.status(batch["id"])["status"] == "started"
    assert len(tag.members) == 1  # nothing run yet
    done = client.batches.status(batch["id"])
    assert (done["status"], done["total_operations"], done["errored_operations"]) == (
        "finished", 2, 1,
    )  # fmt: skip
    assert len(tag.members) == 2
    archive = requests.get(done["response_body_url"], timeout=5)
    assert "Authorization" not in archive.request.headers
    with tarfile.open(fileobj=io.BytesIO(archive.content), mode="r:gz") as tar:
        [member] = [m for m in tar.getmembers() if m.isfile()]
        handle = tar.extractfile(member)
        assert handle is not None
        results = {r["operation_id"]: r for r in json.load(handle)}
    assert results["ok"]["status_code"] == 200
    assert json.loads(results["ok"]["response"])["total_added"] == 1
    assert results["gone"]["status_code"] == 404
    assert json.loads(results["gone"]["response"])["title"] == "Resource Not Found"
