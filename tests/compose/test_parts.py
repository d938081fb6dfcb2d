"""Parts of an issue, and cards in columns: headings in order (never a skipped level) however
the issue is laid out; two groups side by side on a desktop, one under the other on a phone."""

import re
from pathlib import Path

import pytest
from support.browser import browser, evaluate
from support.checking import checked
from support.issues import write_issue

from bulletin.checks.context import html_tags
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

PARTS = """\
  - type: article
    heading: Welcome
    body: Before any part.
  - type: part
    heading: Children
    intro: For everyone who works with children.
  - type: training
    heading: Training
    courses:
      - title: Neglect course
        dates: [2021-01-19]
  - type: image
    image: {src: "https://www.test-partnership.org.uk/x.png", alt: A poster, width: 300}
  - type: article
    body: |
      # A heading in the text

      With no section heading above it.
  - type: part
    heading: Adults
  - type: article
    heading: Self-neglect
    body: |
      # What the review found

      Text.
  - type: part
  - type: notice
    heading: Thank you
    body: After the parts.
"""

COLUMNS = """\
  - type: key_points
    heading: The strategy at a glance
    layout: columns
    groups:
      - heading: Spot it early
        lead: Neglect is easier to change when seen early.
        body: Every practitioner should know the signs.
        points: [Training for all]
      - heading: Use one tool
        points: [The graded care profile]
      - heading: Hear the child
        points: [A young people's panel]
"""


def headings(html: str) -> list[tuple[str, str]]:
    return [(t.name, t.text) for t in html_tags(html) if re.fullmatch(r"h[1-6]", t.name)]


def test_sections_in_a_part_are_a_level_below_its_heading(project: Path):
    html = render(load_bulletin(write_issue(project, PARTS))).html
    assert headings(html) == [
        ("h1", "Test Bulletin"),
        ("h2", "Welcome"),
        ("h2", "Children"),
        ("h3", "Training"),
        ("h4", "Neglect course"),
        ("h3", "A heading in the text"),  # no section heading: right under the part's
        ("h2", "Adults"),
        ("h3", "Self-neglect"),
        ("h4", "What the review found"),
        ("h2", "Thank you"),  # the part ended: a section of its own again
    ]
    assert '<h3 class="sh"' in html  # looks like a section's heading, though an h3


def test_parts_pass_the_heading_order_check(project: Path):
    assert [p for p in checked(project, PARTS) if p.rule == "heading-order"] == []


def test_a_part_in_the_plain_text(project: Path):
    text = render(load_bulletin(write_issue(project, PARTS))).text
    assert "#" * 40 + "\nCHILDREN\n" + "#" * 40 + "\n\nFor everyone who works with children." in (
        text
    )
    assert text.count("#" * 40) == 4  # two parts; the one that ends a part shows nothing


def test_a_part_with_nothing_under_it_is_reported(project: Path):
    sections = "  - type: part\n    heading: Empty\n  - type: part\n    heading: Full\n"
    sections += "  - type: notice\n    body: Hi.\n"
    problems = [p for p in checked(project, sections) if p.rule == "section-empty"]
    assert [(p.field, p.message) for p in problems] == [
        ("sections[0]", "the part 'Empty' has no sections under it")
    ]


def test_key_points_in_columns_are_mjml_columns_with_headings_in_order(project: Path):
    html = render(load_bulletin(write_issue(project, COLUMNS))).html
    assert html.count('class="mj-outlook-group-fix mj-column-per-50"') == 3
    assert headings(html)[1:] == [
        ("h2", "The strategy at a glance"),
        ("h3", "Spot it early"),
        ("h3", "Use one tool"),
        ("h3", "Hear the child"),
    ]
    assert re.search(
        r"<strong>Neglect is easier to change when seen early\.</strong> Every practitioner", html
    )
    text = render(load_bulletin(write_issue(project, COLUMNS))).text
    assert (
        "Spot it early\n-------------\n\nNeglect is easier to change when seen early. "
        "Every practitioner should know the signs.\n\n- Training for all"
    ) in text


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


def _card_boxes(chrome, html: str, width: int) -> list[dict]:
    return evaluate(
        chrome,
        html,
        width,
        """() => [...document.querySelectorAll('h3')].map(h => {
             const r = h.getBoundingClientRect(); return {left: r.left, top: r.top}; })""",
    )


def test_columns_side_by_side_on_a_desktop_stacked_on_a_phone(chrome, project: Path):
    html = render(load_bulletin(write_issue(project, COLUMNS))).html
    first, second, third = _card_boxes(chrome, html, 600)
    assert first["top"] == second["top"] and second["left"] > first["left"] + 200
    assert third["top"] > first["top"] and third["left"] == first["left"]
    phone = _card_boxes(chrome, html, 375)
    assert len({box["left"] for box in phone}) == 1  # one under the other
    assert [box["top"] for box in phone] == sorted(box["top"] for box in phone)
