"""Sections for some readers: INTERESTED blocks in the HTML and text, the check that guards
them, and the preview as a reader with chosen preferences."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from support.audiences import AUDIENCES
from support.checking import findings
from support.issues import write_issue

from bulletin.compose.interest_blocks import for_reader
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin
from bulletin.preview.server import PreviewServer

SECTIONS = """\
  - type: article
    heading: For everyone
    body: Everyone reads this.
  - type: notice
    heading: Adults
    for_groups: [Adult safeguarding]
    body: Only for readers who chose adult safeguarding.
  - type: article
    heading: Training
    for_groups:
      - Topics:Training and events
      - Children's safeguarding
    body: Courses this term.
  - type: notice
    heading: Thanks
    body: The end.
"""
OPEN_ADULTS = "*|INTERESTED:Topics:Adult safeguarding|*"
OPEN_TRAINING = "*|INTERESTED:Topics:Training and events,Children's safeguarding|*"
END = "*|END:INTERESTED|*"


@pytest.fixture
def issue(project: Path) -> Path:
    (project / "audiences.yaml").write_text(AUDIENCES, encoding="utf-8")
    return write_issue(project, SECTIONS)


def in_order(text: str, *parts: str) -> bool:
    positions = [text.find(p) for p in parts]
    return -1 not in positions and positions == sorted(positions)


def test_rendering_uses_the_audiences_loaded_with_the_issue(issue: Path):
    """audiences.yaml is read once, with the issue, and handed down: rendering never reads it
    again (nor swallows its errors on the way)."""
    bulletin = load_bulletin(issue)
    (issue.parent / "audiences.yaml").write_text("audiences: [broken", encoding="utf-8")
    rendered = render(bulletin)
    assert OPEN_ADULTS in rendered.html and OPEN_ADULTS in rendered.text


def test_an_invalid_audiences_yaml_is_reported_not_swallowed(issue: Path):
    (issue.parent / "audiences.yaml").write_text("audiences: [broken", encoding="utf-8")
    problems, rendered = findings(issue)
    assert rendered is None
    assert [Path(p.file).name for p in problems] == ["audiences.yaml"]


def test_each_section_sits_inside_its_block_in_html_and_text(issue: Path):
    rendered = render(load_bulletin(issue))
    for part in (rendered.html, rendered.text):
        assert in_order(
            part, "Everyone reads", OPEN_ADULTS, "Only for readers", END, OPEN_TRAINING, "Courses"
        )
        assert part.count(END) == 2
        assert part.rindex(END) < part.index("The end")
    # mjml-python keeps the raw tags between the sections, outside any table of the others.
    assert f"<![endif]-->{OPEN_ADULTS}<!--[if mso | IE]>" in rendered.html
    # In the text, the block closes after the section's separator line.
    assert "Courses this term.\n\n----------------------------------------\n*|END:INTERESTED|*" in (
        rendered.text
    )
    problems, _ = findings(issue)
    assert [p for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize(
    ("groups", "column", "message"),
    [
        ("[Adults]", 18, "audience partners has no interest group 'Adults'"),
        ("[Manager, Adult safeguarding]", 17, "a section can be for groups of one category only"),
        ("['Topic:Manager']", 18, "no interest category 'Topic' (did you mean 'Topics'?)"),
    ],
)
def test_check_rejects_groups_mailchimp_would_drop(issue: Path, groups: str, column: int, message):
    issue.write_text(issue.read_text().replace("[Adult safeguarding]", groups))
    problems, _ = findings(issue)
    (found,) = [p for p in problems if p.rule == "audience-group-unknown"]
    assert found.severity == "error" and (found.line, found.column) == (12, column)
    assert message in found.message


def test_check_needs_an_audience_for_the_publication(issue: Path):
    (issue.parent / "audiences.yaml").write_text(
        AUDIENCES.replace("publication: test", "publication: x")
    )
    problems, _ = findings(issue)
    found = [p.message for p in problems if p.rule == "audience-group-unknown"]
    assert len(found) == 2
    assert "audiences.yaml has no audience for this publication" in found[0]


def test_a_reader_sees_the_blocks_for_their_groups():
    text = f"a {OPEN_ADULTS}b{END} c {OPEN_TRAINING}d*|ELSE:|*e{END} *|IF:FNAME|*f*|END:IF|*"
    assert for_reader(text, None) == "a b c d *|IF:FNAME|*f*|END:IF|*"
    assert for_reader(text, set()) == "a  c e *|IF:FNAME|*f*|END:IF|*"
    assert for_reader(text, {"Topics:Children's safeguarding"}) == "a  c d *|IF:FNAME|*f*|END:IF|*"
    assert for_reader(text, {"Topics:Adult safeguarding"}) == "a b c e *|IF:FNAME|*f*|END:IF|*"


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.read().decode()


def test_the_preview_shows_the_email_as_a_chosen_reader(issue: Path):
    with PreviewServer(issue) as server:
        groups = json.loads(get(server.url + "state.json"))["groups"]
        assert "Topics:Adult safeguarding" in groups and "Role:Manager" in groups
        everything = get(server.url + "email.html")
        assert "Only for readers" in everything and "Courses" in everything
        assert "INTERESTED" not in everything
        training = get(server.url + "email.html?groups=Topics:Training%20and%20events")
        assert "Courses" in training and "Only for readers" not in training
        nothing = get(server.url + "email.txt?groups=")
        assert "Everyone reads" in nothing and "Courses" not in nothing and "The end" in nothing


def test_the_preview_page_has_a_reader_selector(issue: Path):
    from playwright.sync_api import expect
    from support.browser import browser

    with PreviewServer(issue) as server, browser() as chrome:
        page = chrome.new_page(viewport={"width": 1100, "height": 900})
        page.goto(server.url)
        email = page.frame_locator("#email")
        expect(email.locator("body")).to_contain_text("Only for readers")
        page.locator("#reader summary").click()
        page.get_by_label("Topics:Training and events").check()
        expect(page.locator("#reader-summary")).to_have_text("Reader: Topics:Training and events")
        expect(email.locator("body")).not_to_contain_text("Only for readers")
        expect(email.locator("body")).to_contain_text("Courses this term")
        page.get_by_label("every section").check()
        expect(email.locator("body")).to_contain_text("Only for readers")
        page.close()
