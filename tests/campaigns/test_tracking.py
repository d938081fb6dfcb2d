"""A publication's `tracking` (opens, clicks) goes to Mailchimp with the campaign's settings,
and is compared like them: an unchanged push still makes no write."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from support.campaigns import dispatcher, env, only_campaign, payload
from support.reports import track

from bulletin.cli import main


def test_both_are_tracked_unless_the_publication_says_otherwise(fake, issue: Path):
    dispatcher(fake, issue).push(payload(issue))
    campaign = only_campaign(fake, issue)
    assert campaign.tracking == {"opens": True, "html_clicks": True, "text_clicks": True}


def test_tracking_off_is_sent_with_the_campaign(fake, issue: Path):
    track(issue, "{opens: false, clicks: false}")
    dispatcher(fake, issue).push(payload(issue))
    campaign = only_campaign(fake, issue)
    assert campaign.tracking == {"opens": False, "html_clicks": False, "text_clicks": False}
    [create] = fake.calls("POST", r"^/campaigns$")
    assert create.body["tracking"] == campaign.tracking


def test_an_unchanged_tracking_makes_no_write_and_a_changed_one_one(fake, issue: Path):
    track(issue, "{opens: false}")
    dispatcher(fake, issue).push(payload(issue))
    fake.clear_requests()
    assert dispatcher(fake, issue).push(payload(issue)).action == "unchanged"
    assert fake.write_calls() == 0
    track(issue, "{opens: true}")
    pushed = dispatcher(fake, issue).push(payload(issue))
    assert (pushed.action, pushed.changed) == ("updated", ["tracking"])
    assert [r.method for r in fake.requests if r.method != "GET"] == ["PATCH"]
    assert only_campaign(fake, issue).tracking["opens"] is True


def test_a_tracking_that_is_not_on_or_off_is_an_error_at_its_line(fake, issue: Path):
    track(issue, "{opens: sometimes}")
    result = CliRunner().invoke(main, ["push", str(issue)], env=env(fake))
    assert result.exit_code == 1
    assert "publications/wscp.yaml:23:" in result.output and "tracking.opens" in result.output
    assert fake.requests == []
