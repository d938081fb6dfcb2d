"""The three example issues against their golden HTML and text, plus what matters in them.

Refresh the goldens after an intended markup change with `make goldens`, then read the diff.
"""

import html as htmllib
import os
import re

import pytest
import yaml
from support.paths import REPO, TESTS

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
GOLDEN = TESTS / "golden"
UPDATE = os.environ.get("BULLETIN_UPDATE_GOLDENS") == "1"
GMAIL_CLIP = 102 * 1024
SIZE_BUDGET = 80 * 1024  # headroom for Mailchimp's click tracking, which lengthens every link


@pytest.fixture(scope="module", params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def example(request):
    path = request.param
    return path, render(load_bulletin(path))


def urls_in(value) -> set[str]:
    """Every address a reader can follow (an image's `src` is shown, not followed)."""
    if isinstance(value, dict):
        found = [urls_in(v) for k, v in value.items() if k != "src"]
        return set().union(*found) if found else set()
    if isinstance(value, list):
        return set().union(*(urls_in(v) for v in value)) if value else set()
    if isinstance(value, str):
        return set(re.findall(r"(?:https?://|mailto:)[^\s)<>\]\"']+", value))
    return set()


@pytest.mark.parametrize("suffix", ["html", "txt"])
def test_matches_golden(example, suffix: str):
    path, result = example
    actual = result.html if suffix == "html" else result.text
    golden = GOLDEN / f"{path.stem}.{suffix}"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden for {path.name}: run `make goldens`"
    assert actual == golden.read_text(encoding="utf-8"), f"{golden.name} changed: `make goldens`"


def test_size_is_under_gmail_clip_with_headroom(example):
    path, result = example
    size = len(result.html.encode("utf-8"))
    assert size < SIZE_BUDGET < GMAIL_CLIP, f"{path.name}: {size} bytes"


def test_every_link_in_the_yaml_is_in_both_parts(example):
    path, result = example
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    hrefs = {htmllib.unescape(h) for h in re.findall(r'href="([^"]+)"', result.html)}
    for url in urls_in(data):
        url = url.rstrip(".,;")
        assert url in hrefs or url.removeprefix("mailto:") in result.html, url
        assert url.removeprefix("mailto:") in result.text, url


def test_every_section_heading_is_in_both_parts(example):
    path, result = example
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section in data["sections"]:
        heading = section.get("heading")
        if heading:
            assert htmllib.escape(heading, quote=False) in result.html
            assert heading.upper() in result.text


def test_subject_and_preview(example):
    path, result = example
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert f"<title>{htmllib.escape(data['subject'], quote=False)}</title>" in result.html
    assert htmllib.escape(data["preview"], quote=False) in result.html
