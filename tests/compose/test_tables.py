"""Tables: Markdown pipe tables in any Markdown field, the `table` section and the `table`
block are real data tables (headings a screen reader announces, no layout role); each row
is "Heading: value" lines in the plain text, and a block of label and value on a phone."""

import re
from pathlib import Path

import pytest
from support.browser import browser, evaluate
from support.checking import checked
from support.issues import write_issue

from bulletin.checks.context import html_tags
from bulletin.compose.markdown import to_html, to_text
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin
from bulletin.errors import ContentError

MARKDOWN = (
    "Who to call:\n\n| Service | Phone |\n| --- | ---: |\n"
    "| Early help | 01632 960 200 |\n| Police | **999** |\n"
)

SECTION = """\
  - type: table
    heading: Where to get help
    caption: Help, by what the family needs
    columns: [Need, Who can help, When]
    rows:
      - label: Advice
        cells:
          - The advice line
          - |
            - weekdays 9am to 5pm
            - evenings by phone
      - label: An emergency
        cells: [Police, Any time]
  - type: table
    heading: Help for the family
    columns: [Need, Who can help]
    rows:
      - label: Help now
        lead: Ask for early help.
        body: A family worker visits.
        points: [At home, In a children's centre]
"""


def strip_styles(html: str) -> str:
    return re.sub(r' style="[^"]*"', "", html)


def test_a_markdown_table_is_a_data_table():
    html = to_html(MARKDOWN)
    tags = html_tags(html)
    (table,) = [t for t in tags if t.name == "table"]
    assert "role" not in table.attrs
    headings = [t for t in tags if t.name == "th"]
    assert [(t.text, t.attrs["scope"]) for t in headings] == [("Service", "col"), ("Phone", "col")]
    assert html.count("<td>") == 4 and "<strong>999</strong>" in html
    assert '<span class="dl" aria-hidden="true">Phone</span>01632 960 200' in html
    assert html.startswith("<p>Who to call:</p>\n<table")  # the paragraph, then the table


def test_a_markdown_table_in_the_plain_text_is_heading_value_lines():
    assert to_text(MARKDOWN) == (
        "Who to call:\n\nService: Early help\nPhone: 01632 960 200\n\nService: Police\nPhone: 999"
    )


def test_a_pasted_html_table_keeps_its_cells_but_nothing_active():
    html = to_html('<table onclick="x()"><tr><th scope="col" style="color:red">A</th></tr></table>')
    assert html == '<table><tbody><tr><th scope="col">A</th></tr></tbody></table>'


def test_the_table_section_has_a_caption_column_and_row_headings(project: Path):
    html = strip_styles(render(load_bulletin(write_issue(project, SECTION))).html)
    assert "<caption>Help, by what the family needs</caption>" in html
    assert (
        '<thead><tr><th scope="col">Need</th><th scope="col">Who can help</th>'
        '<th scope="col">When</th></tr></thead>'
    ) in html
    assert '<th scope="row">Advice</th><td><span class="dl" aria-hidden="true">Who can help' in html
    # a cell takes Markdown, a bullet list too
    assert "<li>weekdays 9am to 5pm</li><li>evenings by phone</li>" in html
    # "a label with a list": the lead runs into the body, then the points
    assert (
        '<th scope="row">Help now</th><td><span class="dl" aria-hidden="true">Who can help</span>'
        "<p><strong>Ask for early help.</strong> A family worker visits.</p>"
        "<ul><li>At home</li><li>In a children's centre</li></ul></td>"
    ) in html
    assert "@media only screen and (max-width:480px)" in html and "span.dl" in html


def test_the_table_section_in_the_plain_text(project: Path):
    text = render(load_bulletin(write_issue(project, SECTION))).text
    assert (
        "Help, by what the family needs\n\nAdvice\nWho can help: The advice line\n"
        "When:\n- weekdays 9am to 5pm\n- evenings by phone\n\n"
        "An emergency\nWho can help: Police\nWhen: Any time"
    ) in text
    assert (
        "Help now\nWho can help:\nAsk for early help. A family worker visits.\n"
        "- At home\n- In a children's centre"
    ) in text


def test_an_issue_without_a_table_carries_no_table_css(project: Path):
    html = render(load_bulletin(write_issue(project, "  - type: notice\n    body: Hi.\n"))).html
    assert "span.dl" not in html and "table.dt" not in html


def test_our_tables_pass_the_layout_table_rule(project: Path):
    sections = SECTION + f"  - type: notice\n    body: |\n{_indent(MARKDOWN, 6)}"
    assert [p for p in checked(project, sections) if p.rule == "layout-table-role"] == []


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.splitlines())


@pytest.mark.parametrize(
    "rows, message",
    [
        ("      - label: A\n        cells: [one]\n", "row 1 has 2 cells (its label counts)"),
        ("      - cells: [one, two, three, four]\n", "row 1 has 4 cells"),
    ],
)
def test_a_row_that_does_not_fit_the_columns_is_an_error(project: Path, rows: str, message: str):
    sections = f"  - type: table\n    columns: [A, B, C]\n    rows:\n{rows}"
    with pytest.raises(ContentError) as info:
        load_bulletin(write_issue(project, sections))
    (problem,) = info.value.problems
    assert problem.field == "sections[0].rows[0]" and message in problem.message
    assert "but the table has 3 columns: A, B, C" in problem.message


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


def test_on_a_phone_each_row_stacks_into_label_and_value_blocks(chrome, project: Path):
    html = render(load_bulletin(write_issue(project, SECTION))).html
    seen = evaluate(
        chrome,
        html,
        375,
        """() => {
              const table = document.querySelector('table.dt');
              const cells = [...table.querySelectorAll(':scope > tbody > tr:first-child > *')];
              const labels = [...table.querySelectorAll('span.dl')];
              return {
                scroll: document.documentElement.scrollWidth,
                display: cells.map(c => getComputedStyle(c).display),
                lefts: cells.map(c => Math.round(c.getBoundingClientRect().left)),
                tops: cells.map(c => Math.round(c.getBoundingClientRect().top)),
                labels: labels.map(l => getComputedStyle(l).display),
                gap: table.tBodies[0].getBoundingClientRect().top
                     - table.caption.getBoundingClientRect().bottom,
                head: getComputedStyle(table.querySelector('thead tr')).position,
              };
            }""",
    )
    assert seen["scroll"] <= 375
    assert seen["display"] == ["block", "block", "block"]  # the label, then each value
    assert len(set(seen["lefts"])) == 1  # one under the other, not side by side
    assert seen["tops"] == sorted(seen["tops"]) and len(set(seen["tops"])) == 3
    assert set(seen["labels"]) == {"block"}  # each value says which column it is
    # the heading row is kept for screen readers, out of the way: nothing between the
    # caption and the first row
    assert seen["head"] == "absolute" and abs(seen["gap"]) < 2


def test_on_a_desktop_the_table_is_a_table(chrome, project: Path):
    html = render(load_bulletin(write_issue(project, SECTION))).html
    seen = evaluate(
        chrome,
        html,
        600,
        """() => {
              const table = document.querySelector('table.dt');
              const cells = [...table.querySelectorAll(':scope > tbody > tr:first-child > *')];
              return {tops: cells.map(c => Math.round(c.getBoundingClientRect().top)),
                      labels: [...document.querySelectorAll('span.dl')].map(
                        l => getComputedStyle(l).display)};
            }""",
    )
    assert len(set(seen["tops"])) == 1  # a row: side by side
    assert set(seen["labels"]) == {"none"}
