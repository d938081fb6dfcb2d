"""Fixtures of the campaign tests: the fake Mailchimp seeded with the example's audience, and a
project holding the example issue."""

from pathlib import Path

import pytest
from support.campaigns import make_project, seed


@pytest.fixture
def fake(fake_mailchimp):
    seed(fake_mailchimp)
    return fake_mailchimp


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    return make_project(tmp_path)
