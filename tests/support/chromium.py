"""Finding Debian's Chromium, and the skip reason a browser test gives without it (which the
session's summary counts: see `pytest_terminal_summary` in tests/conftest.py)."""

import os
import shutil

import pytest

NO_CHROMIUM = "needs Debian's chromium (sudo apt-get install chromium)"


def chromium_path() -> str:
    """The browser's path; missing is a failure in CI (which installs it), a skip elsewhere."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run should have installed Debian's chromium")
    pytest.skip(NO_CHROMIUM)
