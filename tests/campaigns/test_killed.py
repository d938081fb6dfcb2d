"""A real `bulletin` process killed (SIGKILL) the moment Mailchimp has done a step, then run again.

The in-process tests stop a run at each step with an exception; these kill the whole process, as
a power cut or a closed laptop would, between Mailchimp doing something and the ledger hearing
of it. Each must end with exactly one campaign holding the issue as it is now.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from support.campaigns import (
    campaigns,
    dispatcher,
    edit,
    env,
    only_campaign,
    payload,
)

from bulletin.campaigns.sending import schedule
from bulletin.campaigns.sendtime import send_time

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
AT = f"{datetime.now(UTC).year + 1}-12-04 09:00"


def killed_at(fake, method: str, path: str, *args: str) -> None:
    """Run `bulletin ARGS`, SIGKILL it as soon as the fake has answered METHOD PATH."""
    proc: list[subprocess.Popen[bytes]] = []

    def on_request(record) -> None:
        if record.method == method and re.search(path, record.path) and proc:
            os.kill(proc[0].pid, signal.SIGKILL)

    fake.on_request = on_request
    proc.append(
        subprocess.Popen(
            [sys.executable, "-m", "bulletin", *args],
            env={**os.environ, **env(fake)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    )
    _, err = proc[0].communicate(timeout=60)
    fake.on_request = None
    assert proc[0].returncode == -signal.SIGKILL, err.decode()
    assert fake.calls(method, path), "the step was never reached"


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", r"^/campaigns$"), ("PUT", r"^/campaigns/\w+/content$")],
)
def test_a_first_push_killed_after_a_step(fake, issue, method, path):
    killed_at(fake, method, path, "push", str(issue))
    dispatcher(fake, issue).push(payload(issue))
    only_campaign(fake, issue)


@pytest.mark.parametrize(
    ("method", "path"),
    [("PATCH", r"^/campaigns/\w+$"), ("PUT", r"^/campaigns/\w+/content$")],
)
def test_an_update_killed_after_a_step(fake, issue, method, path):
    dispatcher(fake, issue).push(payload(issue))
    edit(issue, "keeping babies safe", "keeping babies safer")
    killed_at(fake, method, path, "push", str(issue))
    dispatcher(fake, issue).push(payload(issue))
    only_campaign(fake, issue)
    assert len(fake.calls("POST", r"^/campaigns$")) == 1


def test_a_schedule_killed_after_mailchimp_booked_it(fake, issue):
    dispatcher(fake, issue).push(payload(issue))
    killed_at(fake, "POST", r"/actions/schedule$", "schedule", str(issue), "--at", AT)
    _, booked = schedule(dispatcher(fake, issue), payload(issue), send_time(AT))
    assert booked is False  # found booked at that time: not booked again
    assert len(fake.calls("POST", r"/actions/schedule$")) == 1
    (campaign,) = campaigns(fake)
    assert campaign.status == "schedule"
    only_campaign(fake, issue)


def test_a_push_killed_while_its_create_is_on_the_way_is_not_made_twice(fake, issue):
    """Killed before Mailchimp answered the create (it lands a moment later): the re-run, at
    once, finds the intent in the ledger and waits for that campaign instead of making one."""
    import time

    fake.inject(r"^/campaigns$", "POST", fault="slow", delay=2.0)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bulletin", "push", str(issue)],
        env={**os.environ, **env(fake)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not fake.calls("POST", r"^/campaigns$") and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert campaigns(fake) == []  # not made yet
    dispatcher(fake, issue, settle=5).push(payload(issue))
    assert len(fake.calls("POST", r"^/campaigns$")) == 1
    only_campaign(fake, issue)
