"""Fixtures every wing uses: a throwaway project with its own publication, and the fake
Mailchimp. Each wing's conftest.py adds its own; plain helpers live in `support/`."""

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from support.paths import DATA

# `make test` and CI (CI=true): the same examples on every run, so a red build is a change of
# ours and a failure replays by running again; the failing example is printed as a
# @reproduce_failure blob. Derandomised runs keep no example database (Hypothesis ties the two);
# other runs search afresh and keep what failed in .hypothesis/ for the next run.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,  # a loaded machine is slow, not wrong
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the test publication; write issues into it."""
    shutil.copytree(DATA / "bad" / "publications", tmp_path / "publications")
    return tmp_path


# -- The fake Mailchimp (tests/fake_mailchimp/) ----------------------------------------------

# tests/mailchimp/test_fake_mailchimp.py checks that a violation fails a test.
pytest_plugins = ["pytester"]


@pytest.fixture
def fake_mailchimp():
    """A running fake Mailchimp on 127.0.0.1, stopped after the test.

    The test fails at teardown if the fake received any request the real API would reject (or that
    the fake does not model), even if the code under test swallowed the 400: a test that provokes
    a rejection on purpose acknowledges it with `fake_mailchimp.take_violations()`. Answers are
    checked against the spec too (`check_responses`); set it False for bulk tests where that costs
    time. Seed audiences with `fake_mailchimp.seed_list(...)`; point the SDK at it with
    `fake_mailchimp.client()`.
    """
    from fake_mailchimp import running

    with running(check_responses=True) as fake:
        yield fake


# -- Browser tests without Chromium -------------------------------------------------------------


def pytest_unconfigure(config):
    """Say plainly, last of all, that browser tests did not run for want of Chromium, and how to
    get it (pytest's own summary shows it only among the other skips)."""
    from support.chromium import NO_CHROMIUM

    terminalreporter = config.pluginmanager.get_plugin("terminalreporter")
    if terminalreporter is None:
        return
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and NO_CHROMIUM in str(report.longrepr[2])
    ]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} browser test{'s' * (len(skipped) != 1)} skipped: Chromium is not "
            "installed (Debian: sudo apt-get install chromium)",
            yellow=True,
            bold=True,
        )
