"""The suppression list: pulled from Mailchimp, fed by the webhook receiver, used by imports."""

from __future__ import annotations

import http.client
import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from click.testing import CliRunner
from support.audiences import (
    LIST_ID,
    OTHER_LIST_ID,
    audience,
    client,
    seed_synced,
    write_csv,
)

from bulletin.audiences.member_import import import_members
from bulletin.audiences.suppression import Suppressions, pull
from bulletin.audiences.webhooks import (
    EVENTS,
    SOURCES,
    WebhookServer,
    handle_event,
    hook_url,
    register,
    webhook_secret,
)
from bulletin.cli import main
from bulletin.errors import BulletinError

SECRET = "s3cret-path-0123456789"


def request(url: str, method: str = "GET", form: dict[str, str] | None = None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    body = urlencode(form) if form is not None else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if form else {}
    connection.request(method, parts.path, body=body, headers=headers)
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer.status


def test_pull_records_unsubscribed_and_cleaned_addresses(fake_mailchimp, root: Path):
    seed_synced(
        fake_mailchimp,
        members=[
            "reader@example.org",
            {"email": "Gone@Example.org", "status": "unsubscribed"},
            {"email": "bounced@example.org", "status": "cleaned"},
            {"email": "waiting@example.org", "status": "pending"},
        ],
    )
    fake_mailchimp.seed_list("Health", list_id=OTHER_LIST_ID)
    loaded = [audience(root), audience(root, "health")]
    with Suppressions.open(root) as store:
        lines = pull(client(fake_mailchimp), loaded, store)
        assert lines[0] == (
            "partners: 1 unsubscribed and 1 cleaned in Mailchimp, 2 new to the suppression list"
        )
        assert [e.reason for e in store.lookup("gone@example.org")] == ["unsubscribed"]
        assert [(e.list_id, e.reason) for e in store.lookup("BOUNCED@example.org")] == [
            (LIST_ID, "cleaned")
        ]
        assert store.lookup("waiting@example.org") == []
        assert len(store) == 2
        assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600  # people's addresses
        again = pull(client(fake_mailchimp), loaded, store)
        assert "0 new to the suppression list" in again[0]
    assert fake_mailchimp.write_calls() == 0


def test_pull_reads_every_page_and_counts_each_address_once(fake_mailchimp, root: Path):
    """2,300 unsubscribes come in three pages of up to 1,000: each is recorded, counted once."""
    gone = [f"gone{i:04d}@example.org" for i in range(2_300)]
    seed_synced(
        fake_mailchimp,
        members=[{"email": email, "status": "unsubscribed"} for email in gone],
    )
    fake_mailchimp.check_responses = False  # 2,300 members: the answers' schema costs seconds
    with Suppressions.open(root) as store:
        lines = pull(client(fake_mailchimp), [audience(root)], store)
        assert lines == [
            "partners: 2,300 unsubscribed and 0 cleaned in Mailchimp, "
            "2,300 new to the suppression list",
            f"2,300 addresses on the suppression list ({store.path})",
        ]
        assert len(store) == 2_300
        for email in (gone[0], gone[999], gone[1_000], gone[-1]):
            assert [(e.list_id, e.reason, e.source) for e in store.lookup(email)] == [
                (LIST_ID, "unsubscribed", "pull")
            ]


def test_a_cleaned_address_stays_cleaned_and_only_in_its_audience(root: Path):
    """It bounces, whatever it chose: cleaned outranks unsubscribed, in that audience only."""
    with Suppressions.open(root) as store:
        assert store.add_many(["a@example.org", "b@example.org"], LIST_ID, "unsubscribed", "pull")
        assert store.add("a@example.org", OTHER_LIST_ID, "unsubscribed", "pull")
        assert store.add_many(["A@example.org "], LIST_ID, "cleaned", "pull") == 0
        assert sorted((e.list_id, e.reason) for e in store.lookup("a@example.org")) == sorted(
            [(LIST_ID, "cleaned"), (OTHER_LIST_ID, "unsubscribed")]
        )
        assert [e.reason for e in store.lookup("b@example.org")] == ["unsubscribed"]
        store.add("a@example.org", LIST_ID, "unsubscribed", "webhook")
        assert [e.reason for e in store.lookup("a@example.org") if e.list_id == LIST_ID] == [
            "cleaned"
        ]
        with pytest.raises(
            ValueError, match=r"reason must be one of \('unsubscribed', 'cleaned'\)"
        ):
            store.add("c@example.org", LIST_ID, "bored", "pull")
        assert store.lookup("c@example.org") == []


def test_a_changed_address_carries_every_audience_it_was_suppressed_in(root: Path):
    with Suppressions.open(root) as store:
        store.add("old@example.org", LIST_ID, "unsubscribed", "pull")
        store.add("old@example.org", OTHER_LIST_ID, "cleaned", "pull")
        assert store.carry("old@example.org", "new@example.org", "webhook") == 2
        assert sorted((e.list_id, e.reason, e.source) for e in store.lookup("new@example.org")) == [
            (LIST_ID, "unsubscribed", "webhook"),
            (OTHER_LIST_ID, "cleaned", "webhook"),
        ]
        assert store.carry("old@example.org", "new@example.org", "webhook") == 0
        assert store.carry("nobody@example.org", "new@example.org", "webhook") == 0
        assert len(store) == 2


def test_a_webhook_unsubscribe_reaches_the_suppression_list(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp)
    logged: list[str] = []
    with WebhookServer(root, SECRET, log=logged.append) as server:
        assert server.url.endswith(f"/hooks/{SECRET}")
        assert request(server.url) == 200  # Mailchimp's check when the URL is registered
        form = {
            "type": "unsubscribe",
            "fired_at": "2026-01-09 10:02:03",
            "data[action]": "unsub",
            "data[reason]": "manual",
            "data[id]": "8a25ff1d98",
            "data[list_id]": LIST_ID,
            "data[email]": "Quitter@Example.org",
            "data[email_type]": "html",
            "data[merges][EMAIL]": "quitter@example.org",
            "data[merges][FNAME]": "Quinn",
        }
        assert request(server.url, "POST", form) == 200
        assert (
            request(
                server.url,
                "POST",
                {
                    "type": "cleaned",
                    "data[email]": "b@example.org",
                    "data[list_id]": LIST_ID,
                    "data[reason]": "hard",
                },
            )
            == 200
        )
        wrong = server.url.replace(SECRET, "guessed-path-0123456789")
        assert request(wrong, "POST", form | {"data[email]": "victim@example.org"}) == 404
        assert request(wrong) == 404
    assert logged[0] == f"unsubscribe Q***@Example.org in {LIST_ID}: suppressed"
    with Suppressions.open(root) as store:
        assert [(e.list_id, e.reason, e.source) for e in store.lookup("quitter@example.org")] == [
            (LIST_ID, "unsubscribed", "webhook")
        ]
        assert store.lookup("victim@example.org") == []

    # The next import, into any audience, skips the address.
    fake_mailchimp.seed_list(
        "Health", list_id=OTHER_LIST_ID, merge_fields=[{"tag": "ORG", "name": "Organisation"}]
    )
    path = write_csv(root / "m.csv", [["quitter@example.org", "Q", "", "", "", "yes"]])
    summary = import_members(client(fake_mailchimp), audience(root, "health"), path, root)
    assert summary.suppressed == 1
    assert fake_mailchimp.member(OTHER_LIST_ID, "quitter@example.org") is None


def test_events_that_change_an_address_or_a_profile(root: Path):
    with Suppressions.open(root) as store:
        store.add("old@example.org", LIST_ID, "unsubscribed", "pull")
        done = handle_event(
            store,
            {
                "type": "upemail",
                "data[list_id]": OTHER_LIST_ID,
                "data[old_email]": "old@example.org",
                "data[new_email]": "new@example.org",
            },
        )
        assert done == "upemail o***@example.org -> n***@example.org: suppression carried over"
        assert [e.list_id for e in store.lookup("new@example.org")] == [LIST_ID]
        done = handle_event(store, {"type": "profile", "data[email]": "x@example.org"})
        assert done.endswith("nothing to suppress")
        assert handle_event(store, {"type": "subscribe"}) == "subscribe event ignored"
        assert len(store) == 2


def test_the_secret_comes_from_the_environment_or_is_made_once(root: Path):
    made, new = webhook_secret(root, {})
    assert new and len(made) >= 32
    path = root / ".bulletin" / "webhook-secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert webhook_secret(root, {}) == (made, False)
    assert webhook_secret(root, {"BULLETIN_WEBHOOK_SECRET": SECRET}) == (SECRET, False)
    with pytest.raises(BulletinError, match="at least 16"):
        webhook_secret(root, {"BULLETIN_WEBHOOK_SECRET": "short"})
    assert (
        hook_url("https://hooks.example.org/", SECRET)
        == f"https://hooks.example.org/hooks/{SECRET}"
    )


def test_the_receiver_stays_on_loopback(root: Path):
    with pytest.raises(BulletinError, match="not a loopback address"):
        WebhookServer(root, SECRET, host="0.0.0.0").start()


def test_register_once_per_audience(fake_mailchimp, root: Path):
    seed_synced(fake_mailchimp)
    url = hook_url("https://hooks.example.org", SECRET)
    mc = client(fake_mailchimp)
    assert register(mc, [audience(root)], url) == [
        "partners: registered https://hooks.example.org/hooks/..."
    ]
    hooks = fake_mailchimp.client().lists.get_list_webhooks(LIST_ID)["webhooks"]
    assert [(h["url"], h["events"], h["sources"]) for h in hooks] == [(url, EVENTS, SOURCES)]
    before = fake_mailchimp.write_calls()
    assert register(mc, [audience(root)], url) == [
        "partners: https://hooks.example.org/hooks/... already registered"
    ]
    assert fake_mailchimp.write_calls() == before


def test_the_commands(fake_mailchimp, root: Path, monkeypatch):
    seed_synced(fake_mailchimp, members=[{"email": "gone@example.org", "status": "unsubscribed"}])
    monkeypatch.chdir(root)
    monkeypatch.setenv("MAILCHIMP_API_KEY", fake_mailchimp.api_key)
    monkeypatch.setenv("MAILCHIMP_BASE_URL", fake_mailchimp.url)
    monkeypatch.setenv("BULLETIN_WEBHOOK_SECRET", SECRET)
    result = CliRunner().invoke(main, ["unsubscribes", "pull", "partners"])
    assert result.exit_code == 0, result.output
    assert "partners: 1 unsubscribed and 0 cleaned in Mailchimp, 1 new" in result.output
    result = CliRunner().invoke(main, ["webhooks", "register", "https://h.example.org", "partners"])
    assert result.exit_code == 0, result.output
    assert result.output == "partners: registered https://h.example.org/hooks/...\n"
    assert SECRET not in result.output


def test_serve_as_a_user_runs_it(root: Path):
    """The command in a process of its own: the secret shown once, an event, SIGTERM stops it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("BULLETIN_WEBHOOK_SECRET", None)
    command = [sys.executable, "-m", "bulletin", "webhooks", "serve", "--port", "0"]
    child = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        made = child.stdout.readline()
        secret = (root / ".bulletin" / "webhook-secret").read_text().strip()
        assert made.startswith("made a new secret") and made.rstrip().endswith(secret)
        listening = child.stdout.readline()
        assert secret not in listening
        port = re.search(r":(\d+)/hooks/<secret>", listening)
        assert port, listening
        url = f"http://127.0.0.1:{port[1]}/hooks/{secret}"
        form = {"type": "cleaned", "data[email]": "b@example.org", "data[list_id]": LIST_ID}
        assert request(url, "POST", form) == 200
        assert child.stdout.readline().startswith("cleaned b***@example.org")
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=10) == 0
        assert child.stdout.read() == "stopped\n"
    finally:
        if child.poll() is None:
            child.kill()
    with Suppressions.open(root) as store:
        assert [e.reason for e in store.lookup("b@example.org")] == ["cleaned"]
