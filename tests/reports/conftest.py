"""Fixtures of the report tests: the example issue sent to 20 known readers, with exact
activity, in a project of its own."""

from pathlib import Path

import pytest
from support.campaigns import make_project
from support.reports import Sent, exact_activity, seed_readers, send


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def fake(fake_mailchimp):
    seed_readers(fake_mailchimp)
    return fake_mailchimp


@pytest.fixture
def sent(fake, issue: Path) -> Sent:
    done = send(fake, issue)
    exact_activity(fake, done)
    return done
