"""A run without Chromium says so plainly at its end, with the command that gets it."""

from support.chromium import NO_CHROMIUM
from support.paths import TESTS

NEEDS_BROWSER = """
from support.chromium import chromium_path

def test_needs_a_browser(monkeypatch):
    monkeypatch.setenv("PATH", "/nowhere")
    monkeypatch.delenv("CI", raising=False)
    chromium_path()

def test_needs_none():
    pass
"""


def test_the_session_ends_with_a_line_when_browser_tests_were_skipped(pytester):
    pytester.makeconftest((TESTS / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_browser=NEEDS_BROWSER)
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, skipped=1)
    assert result.outlines[-1] == (  # last, after pytest's own summary
        "1 browser test skipped: Chromium is not installed (Debian: sudo apt-get install chromium)"
    )
    assert [line for line in result.outlines if "browser test" in line] == result.outlines[-1:]
    assert "sudo apt-get install chromium" in NO_CHROMIUM


def test_no_line_when_nothing_needed_a_browser(pytester):
    pytester.makeconftest((TESTS / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1)
    assert not [line for line in result.outlines if "browser test" in line]
