"""Accessibility checks: heading order, colour contrast, lang, capitals, layout tables."""

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from support.checking import checked, checked_rendered, found, html_edit

from bulletin.checks.accessibility import _in_capitals, contrast_ratio
from bulletin.compose.render import Rendered
from bulletin.errors import Problem

# write_issue puts five header lines and `sections:` first: the first section is on line 7.
ARTICLE = """\
  - type: article
    heading: Preventing Injury to Babies
    body: |
      Over 4600 babies were born this year.

      {heading} What to look for

      Bruising in babies who are not yet mobile.
"""


def checked_html(project: Path, old: str, new: str) -> list[Problem]:
    """The checks over the issue's HTML with `old` made `new`, as a project's template might."""
    return checked_rendered(project, ARTICLE.format(heading="#"), html_edit(old, new))


def test_heading_that_skips_a_level_is_found_in_its_markdown_field(project: Path):
    problems = found(checked(project, ARTICLE.format(heading="##")), "heading-order")
    assert [(p.line, p.field, p.message, p.severity) for p in problems] == [
        (
            12,
            "sections[0].body",
            "heading 'What to look for' is an <h4> under an <h2>: it skips a level",
            "error",
        )
    ]


def test_a_first_section_of_events_without_a_heading_is_told_to_take_one(project: Path):
    events = "  - type: events\n    events:\n      - {title: Forum, date: 2021-01-20}\n"
    problems = found(checked(project, events), "heading-order")
    assert [(p.line, p.field, p.message) for p in problems] == [
        (
            9,
            "sections[0].events[0].title",
            "heading 'Forum' is an <h3> under an <h1>: it skips a level; give its section a "
            "`heading`",
        )
    ]
    headed = events.replace("events:\n", "heading: Dates\n    events:\n", 1)
    assert not found(checked(project, headed), "heading-order")


def test_markdown_heading_under_a_section_heading_is_in_order(project: Path):
    assert not found(checked(project, ARTICLE.format(heading="#")), "heading-order")


def test_a_second_h1_or_none_is_found(project: Path):
    problems = found(checked_html(project, "<h2", "<h1>Test Bulletin</h1><h2"), "heading-order")
    assert [(p.line, p.field, p.message) for p in problems] == [
        (3, "title", "a second <h1> heading 'Test Bulletin': keep one, the title")
    ]

    def no_h1(rendered: Rendered) -> Rendered:
        return replace(rendered, html=re.sub(r"<(/?)h1\b", r"<\1p", rendered.html))

    problems = found(checked_rendered(project, ARTICLE.format(heading="#"), no_h1), "heading-order")
    assert [(p.line, p.message) for p in problems] == [
        (1, "the HTML has no <h1> heading: the issue's title should be one")
    ]


PALE = """\
name: Pale Partnership
short_name: PP
website: https://www.pale-partnership.org.uk/
colours:
  primary: "#1d4f91"
  link: "#999999"
sender: {from_name: Pale Partnership, reply_to: bulletin@pale-partnership.org.uk}
footer: {copyright: Pale Partnership, address: [Town Hall, Testbury TE1 1ST]}
"""


def test_colours_below_4_5_to_1_are_found_in_the_publication(project: Path):
    (project / "publications" / "pale.yaml").write_text(PALE, encoding="utf-8")
    problems = found(
        checked(project, ARTICLE.format(heading="#"), publication="pale"), "colour-contrast"
    )
    assert {p.file for p in problems} == {str(project / "publications" / "pale.yaml")}
    assert [(p.line, p.field, p.severity) for p in problems] == [(6, "colours.link", "error")] * 3
    assert [p.message for p in problems] == [
        "link #999999 on accent #e8f0fa (links in boxed notices) has a contrast ratio of "
        "2.47:1, below the 4.5:1 WCAG asks for",
        "link #999999 on background #f2f2f2 (the footer's links) has a contrast ratio of "
        "2.54:1, below the 4.5:1 WCAG asks for",
        "link #999999 on panel #ffffff (links) has a contrast ratio of 2.84:1, below the "
        "4.5:1 WCAG asks for",
    ]


def test_default_colours_pass(project: Path):
    assert not found(checked(project, ARTICLE.format(heading="#")), "colour-contrast")


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#fff", "#fff", 1.0), ("#777777", "#ffffff", 4.478)],
)
def test_contrast_ratio_is_wcag_s(first: str, second: str, ratio: float):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.001)


def test_html_without_lang_or_dir_is_found(project: Path):
    problems = found(checked_html(project, ' lang="en-GB" dir="ltr"', ""), "html-lang")
    assert [(p.line, p.message) for p in problems] == [
        (1, "the <html> element has no dir attribute"),
        (1, "the <html> element has no lang attribute"),
    ]
    assert not found(checked(project, ARTICLE.format(heading="#")), "html-lang")


CAPS = """\
  - type: notice
    heading: ICON COVID RESOURCES
    body: |
      Resources from ICON, the WSCP and NHS England for COVID-19 are on the NICE website.

      PLEASE NOTE THAT ALL CLASSROOM TRAINING IS ON HOLD UNTIL FURTHER NOTICE.
"""


def test_paragraph_in_capitals_is_found_but_acronyms_and_short_headings_pass(project: Path):
    problems = found(checked(project, CAPS), "caps-paragraph")
    assert [(p.line, p.field, p.message, p.severity) for p in problems] == [
        (
            12,
            "sections[0].body",
            "written in capitals: 'PLEASE NOTE THAT ALL CLASSROOM TRAINING IS ON HOLD UNTIL...'",
            "warning",
        )
    ]


def test_plain_field_in_capitals_is_found(project: Path):
    sections = CAPS.replace("ICON COVID RESOURCES", "IMPORTANT CHANGES TO TRAINING COURSES")
    problems = found(checked(project, sections), "caps-paragraph")
    assert [(p.line, p.field) for p in problems] == [
        (8, "sections[0].heading"),
        (12, "sections[0].body"),
    ]
    assert problems[0].message == "written in capitals: 'IMPORTANT CHANGES TO TRAINING COURSES'"


def test_data_table_in_the_html_is_found(project: Path):
    table = '</h2><table role="grid"><tr><td>1</td></tr></table>'
    problems = found(checked_html(project, "</h2>", table), "layout-table-role")
    assert [(p.line, p.severity) for p in problems] == [(1, "error")]
    pattern = r"table \d+ of \d+ in the HTML has role='grid', not presentation"
    assert re.fullmatch(pattern, problems[0].message)


def test_mjml_layout_tables_pass(project: Path):
    assert not found(checked(project, ARTICLE.format(heading="#")), "layout-table-role")


@pytest.mark.parametrize(
    "table",
    [
        '<table><tr><th scope="col">Day</th></tr><tr><td>Monday</td></tr></table>',
        "<table><caption>Opening hours</caption>"
        '<tr><th scope="row">Mon</th><td>9am</td></tr></table>',
    ],
)
def test_a_data_table_with_scoped_headings_needs_no_layout_role(project: Path, table: str):
    problems = found(checked_html(project, "</h2>", f"</h2>{table}"), "layout-table-role")
    assert problems == []


def test_a_data_table_hidden_as_layout_is_found(project: Path):
    table = '<table role="presentation"><tr><th scope="col">Day</th></tr></table>'
    problems = found(checked_html(project, "</h2>", f"</h2>{table}"), "layout-table-role")
    assert len(problems) == 1
    assert re.fullmatch(
        r"table \d+ of \d+ in the HTML is a data table \(it has headings or a caption\), but "
        r"role='presentation' hides them from screen readers: take the role off",
        problems[0].message,
    )


def test_a_heading_cell_without_scope_is_found(project: Path):
    table = "<table><tr><th>Day</th><th>Time</th></tr><tr><td>Mon</td><td>9am</td></tr></table>"
    problems = found(checked_html(project, "</h2>", f"</h2>{table}"), "layout-table-role")
    assert len(problems) == 1  # once per table, naming its first unscoped heading
    assert problems[0].message.endswith(
        "is a data table, but its heading 'Day' has no scope: "
        'write scope="col" (or "row") on each <th>'
    )


def test_a_layout_table_inside_a_data_table_is_told_apart(project: Path):
    """Each table is judged by its own cells, not those of a table nested in it."""
    table = (
        '<table><tr><th scope="col">A</th></tr><tr><td>'
        "<table><tr><td>layout, no role</td></tr></table></td></tr></table>"
    )
    problems = found(checked_html(project, "</h2>", f"</h2>{table}"), "layout-table-role")
    assert len(problems) == 1 and problems[0].message.endswith("has no role, not presentation")


def test_capitals_in_a_list_item_are_found_at_their_column(project: Path):
    sections = (
        "  - type: notice\n    body: |\n      Some text.\n\n"
        "      - PLEASE NOTE THAT ALL TRAINING IS ON HOLD NOW\n"
    )
    problems = found(checked(project, sections), "caps-paragraph")
    assert [(p.line, p.column) for p in problems] == [(11, 9)]


DIM = """\
name: Dim Partnership
short_name: DP
website: https://www.dim-partnership.org.uk/
colours:
  dark:
    background: "#1e1e1e"
    link: "#333333"
sender: {from_name: Dim Partnership, reply_to: bulletin@dim-partnership.org.uk}
footer: {copyright: Dim Partnership, address: [Town Hall, Testbury TE1 1ST]}
"""


def test_dark_pairs_are_checked_at_the_dark_colour_given(project: Path):
    (project / "publications" / "dim.yaml").write_text(DIM, encoding="utf-8")
    problems = found(
        checked(project, ARTICLE.format(heading="#"), publication="dim"), "colour-contrast"
    )
    assert [(p.line, p.field) for p in problems] == [(7, "colours.dark.link")] * 2
    assert {p.message.split(" (")[0] for p in problems} == {
        "colours.dark.link #333333 on colours.dark.accent #1e2733",
        "colours.dark.link #333333 on colours.dark.background #1e1e1e",
    }


@pytest.mark.parametrize("primary", ["#1d4f91", "#00594f", "#ffcc00", "#000000", "#6a1b9a"])
def test_derived_dark_colours_meet_4_5_to_1(primary: str):
    from bulletin.document.models import Colours

    dark = Colours(primary=primary, link=primary).dark_palette
    for fore in ("text", "primary", "link"):
        for back in ("background", "accent"):
            assert contrast_ratio(getattr(dark, fore), getattr(dark, back)) >= 4.5, (fore, back)


def _in_capitals_as_the_rule_says(text: str) -> bool:
    """caps-paragraph's definition, written plainly: 4 words and 20 letters or more, 80% of
    the letters capitals."""
    letters = [c for c in text if c.isalpha()]
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    capitals = [c for c in letters if c.isupper()]
    return len(words) >= 4 and len(letters) >= 20 and len(capitals) >= 0.8 * len(letters)


@example("ABCD EFGH IJKL MNOP abcd")  # exactly 80% capitals: written in capitals
@example("ABCD EFGH IJKL MNOPabcde")  # 20 letters, 3 words: not a paragraph
@given(st.text(alphabet="ABCDEFGHIJ abcdÉéß\u2167\u24b6-1.\n", max_size=80))
def test_the_quick_count_of_capitals_agrees_with_the_rule(text: str):
    assert _in_capitals(text) == _in_capitals_as_the_rule_says(text)
