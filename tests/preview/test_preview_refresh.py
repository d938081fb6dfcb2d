"""A save's two steps: the email is shown as soon as it is rendered, the checks' findings when
the rules have run over it; rules wait for an open page to fetch the new email, never longer
than a moment; the events carry the state itself."""

import http.client
import json
import threading
from pathlib import Path

import pytest
from preview.test_preview import issue  # noqa: F401 - the fixture: a copy of an example

import bulletin.preview.state as preview_state
from bulletin.preview.server import PreviewServer
from bulletin.preview.state import PreviewState

VAGUE = "For the full article [click here](https://www.safeguardingworcestershire.org.uk/)."


@pytest.fixture
def vague(issue: Path) -> Path:  # noqa: F811 - the fixture imported above
    """The preview tests' example, edited to draw one warning (a vague link) from the rules."""
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("Please follow the link below", VAGUE, 1), encoding="utf-8")
    return issue


def rules_held(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Rules that, once started (the second event), wait to be released (the first)."""
    release, started = threading.Event(), threading.Event()
    real = preview_state.run_rules

    def held(bulletin, rendered, **kwargs):
        started.set()
        assert release.wait(10)
        return real(bulletin, rendered, **kwargs)

    monkeypatch.setattr(preview_state, "run_rules", held)
    return release, started


def wait_for(state: PreviewState, condition) -> None:
    with state.lock:
        assert state.lock.wait_for(lambda: condition(state), timeout=10)


def test_the_email_is_shown_before_the_rules_have_run(vague: Path, monkeypatch):
    release, _ = rules_held(monkeypatch)
    state = PreviewState(vague)
    refreshing = threading.Thread(target=state.refresh)
    refreshing.start()
    wait_for(state, lambda s: s.render == 1)
    shown = state.as_json()
    assert shown["has_render"] and shown["checking"] and not shown["failure"]
    assert "click here" in state.email_html()
    assert shown["problems"] == []  # the findings come with the second state

    release.set()
    refreshing.join(10)
    checked = state.as_json()
    assert not checked["checking"]
    assert checked["render"] == 1 and checked["version"] == shown["version"] + 1
    assert [p["rule"] for p in checked["problems"]] == ["link-text-vague"]


def test_a_rule_that_fails_is_reported_and_the_email_stays(vague: Path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(preview_state, "run_rules", broken)
    state = PreviewState(vague)
    state.refresh()
    shown = state.as_json()
    assert shown["has_render"] and shown["render"] == 1 and not shown["checking"]
    assert shown["failure"] == "internal error: RuntimeError: a bug in a rule"


def test_rules_wait_for_an_open_page_to_fetch_the_email(vague: Path, monkeypatch):
    release, started = rules_held(monkeypatch)
    monkeypatch.setattr(preview_state, "_PAGE_WAIT", 30.0)
    state = PreviewState(vague)
    with state.page_open():
        refreshing = threading.Thread(target=state.refresh, daemon=True)
        refreshing.start()
        wait_for(state, lambda s: s.render == 1)
        assert not started.wait(0.3)  # the page has not fetched the email: the rules wait
        state.email_html()
        assert started.wait(10)  # it has: they run
        release.set()
        refreshing.join(10)
    assert not state.checking


def test_rules_never_wait_without_a_page_nor_for_long_with_one(vague: Path, monkeypatch):
    monkeypatch.setattr(preview_state, "_PAGE_WAIT", 30.0)
    state = PreviewState(vague)
    alone = threading.Thread(target=state.refresh, daemon=True)
    alone.start()
    alone.join(10)
    assert not alone.is_alive() and not state.checking

    monkeypatch.setattr(preview_state, "_PAGE_WAIT", 0.2)
    with state.page_open():  # a page that never fetches the email
        state.refresh()
    assert state.render == 2 and not state.checking
    assert [p.rule for p in state.problems] == ["link-text-vague"]


def test_each_event_carries_the_state(vague: Path):
    with PreviewServer(vague) as server:
        host, port = server.url.removeprefix("http://").rstrip("/").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/events")
        events = connection.getresponse()
        first = _next_event(events)
        assert first == server.state.as_json()
        server.state.refresh()
        later = [_next_event(events), _next_event(events)]
        connection.close()
    assert [e["version"] for e in later] == [first["version"] + 1, first["version"] + 2]
    assert [e["checking"] for e in later] == [True, False]
    assert later[0]["render"] == first["render"] + 1 == later[1]["render"]


def _next_event(stream: http.client.HTTPResponse) -> dict:
    """The next `data:` message of a server-sent event stream, as JSON (pings skipped)."""
    while True:
        line = stream.readline().decode()
        if line.startswith("data: "):
            assert stream.readline() == b"\n"
            return json.loads(line.removeprefix("data: "))
