"""The examples in a real browser: no sideways scrolling on a 375 px phone, full width on desktop.

Screenshots land in tests/artifacts/ for a person to look at.
"""

from pathlib import Path

import pytest
from support.browser import browser, measure
from support.paths import REPO, TESTS

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

ARTIFACTS = TESTS / "artifacts"
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


@pytest.mark.parametrize("width", [375, 800])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_no_horizontal_scroll(chrome, path: Path, width: int):
    html = render(load_bulletin(path)).html
    shot = ARTIFACTS / f"{path.stem}-{width}.png"
    seen = measure(chrome, html, width, screenshot=shot)
    assert seen["viewport"] == width
    assert seen["scroll_width"] <= width, f"{path.name} is {seen['scroll_width']} px wide"
    assert shot.stat().st_size > 10_000
