"""Merge-tag checks: unknown tags, unbalanced conditional blocks, malformed tags."""

import re
from dataclasses import replace
from pathlib import Path

import pytest
from support.checking import checked, checked_rendered, found, html_edit, where
from support.issues import write_issue

from bulletin.checks import run_rules
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

# write_issue puts five header lines and `sections:` first: the body's text starts on line 10,
# and its third line, where {tags} goes, is line 12.
ARTICLE = """\
  - type: article
    heading: Hello
    body: |
      Welcome to this month's bulletin.

      Dear {tags}, read on.
"""
MERGE_RULES = ("merge-tag-unknown", "merge-tag-unbalanced", "merge-tag-malformed")


def article(tags: str) -> str:
    return ARTICLE.format(tags=tags)


def merge_problems(project: Path, tags: str, **meta: str):
    return [p for p in checked(project, article(tags), **meta) if p.rule in MERGE_RULES]


@pytest.mark.parametrize(
    "tags",
    [
        "*|FNAME|*",
        "*|IF:FNAME|**|FNAME|**|ELSE:|*colleague*|END:IF|*",
        "*|IFNOT:LNAME|*friend*|ELSEIF:LNAME=Smith|*Jo*|END:IF|*",
        '*|IF:FNAME != ""|**|TITLE:FNAME|**|END:IF|*',
        "*|INTERESTED:Topics:Training and events|*trainer*|END:INTERESTED|*",
        "*|LIST:COMPANY|*, *|DATE:d/m/Y|*, *|MC:SUBJECT|*, *|USER:COMPANY|*, *|EMAIL|*",
        "[view it online](*|ARCHIVE|*) or [forward it](*|FORWARD|*)",
    ],
)
def test_known_well_formed_balanced_tags_pass(project: Path, tags: str):
    assert merge_problems(project, tags) == []


def test_the_built_in_templates_pass(project: Path):
    assert merge_problems(project, "reader") == []


def test_merge_tags_reach_the_email_as_written(project: Path):
    rendered = render(load_bulletin(write_issue(project, article("*|FNAME|* [x](*|ARCHIVE|*)"))))
    assert re.search(
        r'Dear \*\|FNAME\|\* <a href="\*\|ARCHIVE\|\*"[^>]*>x</a>, read on', rendered.html
    )
    assert "Dear *|FNAME|* x (*|ARCHIVE|*), read on." in rendered.text


def test_an_unknown_tag_is_an_error_at_its_line_with_a_suggestion(project: Path):
    problems = merge_problems(project, "*|FNAM|*")
    assert where(problems) == [
        (
            "issue.yaml",
            12,
            "sections[0].body",
            "merge tag '*|FNAM|*' is neither Mailchimp's nor a merge field of the audience "
            "(did you mean 'FNAME'?)",
        )
    ]
    assert problems[0].rule == "merge-tag-unknown"
    assert problems[0].severity == "error"


def test_an_unknown_field_in_a_condition_is_an_error(project: Path):
    problems = merge_problems(project, "hello", subject='"*|IF:ORGANISATION|*Hi*|END:IF|*"')
    assert where(problems) == [
        (
            "issue.yaml",
            4,
            "subject",
            "merge tag '*|IF:ORGANISATION|*' names 'ORGANISATION', neither Mailchimp's nor a "
            "merge field of the audience",
        )
    ]


def test_the_audiences_merge_fields_are_known(project: Path):
    bulletin = load_bulletin(write_issue(project, article("*|ORG|* on *|PHONE|*")))
    rendered = render(bulletin)
    assert [p.message for p in found(run_rules(bulletin, rendered), "merge-tag-unknown")] == [
        "merge tag '*|ORG|*' is neither Mailchimp's nor a merge field of the audience"
    ]
    audience = frozenset({"FNAME", "LNAME", "ORG"})
    problems = found(run_rules(bulletin, rendered, merge_fields=audience), "merge-tag-unknown")
    assert [p.message for p in problems] == [
        "merge tag '*|PHONE|*' is neither Mailchimp's nor a merge field of the audience "
        "(did you mean 'LIST:PHONE'?)"
    ]


def test_an_unknown_tag_from_a_template_is_found_once(project: Path):
    edit = html_edit("</body>", "*|LIST:COMPNAY|*</body>")
    problems = found(checked_rendered(project, article("*|FNAM|*"), edit), "merge-tag-unknown")
    assert where(problems) == [
        (
            "issue.yaml",
            1,
            "",
            "in the HTML, from a template or the publication: merge tag "
            "'*|LIST:COMPNAY|*' is neither Mailchimp's nor a merge field of the audience "
            "(did you mean 'LIST:COMPANY'?)",
        ),
        (
            "issue.yaml",
            12,
            "sections[0].body",
            "merge tag '*|FNAM|*' is neither Mailchimp's "
            "nor a merge field of the audience (did you mean 'FNAME'?)",
        ),
    ]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("*|IF:FNAME|*Hi", "merge tag '*|IF:FNAME|*' is never closed with '*|END:IF|*'"),
        (
            "*|INTERESTED:Topics:Health|*Hi",
            "merge tag '*|INTERESTED:Topics:Health|*' is never closed with '*|END:INTERESTED|*'",
        ),
        ("Hi*|END:IF|*", "merge tag '*|END:IF|*' closes no block: nothing opens it before"),
        ("Hi*|ELSE:|*", "merge tag '*|ELSE:|*' is outside any *|IF:...|* block"),
    ],
)
def test_an_unbalanced_block_is_an_error_at_its_line(project: Path, tags: str, message: str):
    problems = merge_problems(project, tags)
    assert where(problems) == [("issue.yaml", 12, "sections[0].body", message)]
    assert problems[0].rule == "merge-tag-unbalanced"
    assert problems[0].severity == "error"


def test_a_block_closed_by_the_wrong_end_is_unbalanced(project: Path):
    problems = merge_problems(project, "*|INTERESTED:Topics:Health|*Hi*|END:IF|*")
    assert [p.message for p in problems] == [  # in the order they stand in the text
        "merge tag '*|INTERESTED:Topics:Health|*' is never closed with '*|END:INTERESTED|*'",
        "merge tag '*|END:IF|*' closes no block: nothing opens it before",
    ]


def test_a_block_must_close_in_its_own_text(project: Path):
    problems = merge_problems(project, "*|END:IF|*", subject='"Hello *|IF:FNAME|**|FNAME|*"')
    assert [(p.line, p.field) for p in problems] == [(4, "subject"), (12, "sections[0].body")]


def test_an_unbalanced_block_from_a_template_is_found(project: Path):
    edit = html_edit("</body>", "*|IF:FNAME|*</body>")
    problems = found(checked_rendered(project, article("*|FNAME|*"), edit), "merge-tag-unbalanced")
    assert where(problems) == [
        (
            "issue.yaml",
            1,
            "",
            "in the HTML, from a template or the publication: "
            "merge tag '*|IF:FNAME|*' is never closed with '*|END:IF|*'",
        ),
    ]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("*|FNAME|", "merge tag '*|FNAME|' is not closed: end it with '|*'"),
        ("|FNAME|*", "merge tag '|FNAME|*' is not opened: start it with '*|'"),
        ("*| FNAME |*", "merge tag '*| FNAME |*' has spaces inside; write '*|FNAME|*'"),
        ("*|fname|*", "merge tag '*|fname|*' is not upper case; write '*|FNAME|*'"),
        (
            "*|IF:fname=Bob|*Hi*|END:IF|*",
            "merge tag '*|IF:fname=Bob|*' is not upper case; write '*|IF:FNAME=Bob|*'",
        ),
    ],
)
def test_a_malformed_tag_is_an_error_at_its_line(project: Path, tags: str, message: str):
    problems = merge_problems(project, tags)
    assert where(problems) == [("issue.yaml", 12, "sections[0].body", message)]
    assert problems[0].rule == "merge-tag-malformed"
    assert problems[0].severity == "error"


def test_a_malformed_tag_from_a_template_is_found(project: Path):
    edit = html_edit("</body>", "*|LIST:ADDRESS|</body>")
    problems = found(checked_rendered(project, article("*|FNAME|*"), edit), "merge-tag-malformed")
    assert [p.message for p in problems] == [
        "in the HTML, from a template or the publication: "
        "merge tag '*|LIST:ADDRESS|' is not closed: end it with '|*'"
    ]


def test_the_merge_fields_of_audiences_yaml_are_used_when_none_are_given(project: Path):
    """`bulletin check` knows the publication's audiences' own merge fields (here ORG)."""
    (project / "audiences.yaml").write_text(
        "audiences:\n"
        "  - name: test-partners\n"
        "    list_id: 0a1b2c3d4e\n"
        "    publication: test\n"
        "    merge_fields:\n"
        "      - {tag: ORG, name: Organisation}\n",
        encoding="utf-8",
    )
    bulletin = load_bulletin(write_issue(project, article("*|ORG|* in *|COUNTY|*")))
    problems = found(run_rules(bulletin, render(bulletin)), "merge-tag-unknown")
    assert [p.message.split("'")[1] for p in problems] == ["*|COUNTY|*"]


MANY_LINES = """\
  - type: article
    heading: Hello
    body: |
      Welcome, *|FNAM|*.

      Your *|LNAM|* and *|ORGG|* are on file.
      Dear *|FNAME|*, see *|LNAME for you.
      FNAME|* opens nothing.
"""


def test_each_tag_is_placed_at_its_own_line_and_column(project: Path):
    """Several tags over several lines, a well-formed one before a broken one on a line: each
    finding is where the writer's editor puts the cursor."""
    problems = [p for p in checked(project, MANY_LINES) if p.rule in MERGE_RULES]
    assert [(p.line, p.column, p.rule, p.message.split(" ")[2]) for p in problems] == [
        (10, 16, "merge-tag-unknown", "'*|FNAM|*'"),
        (12, 12, "merge-tag-unknown", "'*|LNAM|*'"),
        (12, 25, "merge-tag-unknown", "'*|ORGG|*'"),
        (13, 27, "merge-tag-malformed", "'*|LNAME'"),
        (14, 7, "merge-tag-malformed", "'FNAME|*'"),
    ]


@pytest.mark.parametrize("tag", ["*|HTML:ORG|*", "*|HTML:LIST_ADDRESS_HTML|*", "*|html:FNAME|*"])
def test_raw_html_tags_are_refused_in_an_issue(project: Path, tag: str):
    """The reader's own data as unescaped HTML is a way to inject markup: never in a text."""
    problems = found(checked(project, article(tag)), "merge-tag-unknown")
    plain = "*|" + tag[2:-2].partition(":")[2] + "|*"
    assert [(p.line, p.message) for p in problems] == [
        (
            12,
            f"merge tag {tag!r} puts the reader's own data into the email as raw HTML "
            f"(a way to inject markup): write {plain!r}",
        )
    ]


def test_a_template_may_use_mailchimps_own_raw_html_tags_only(project: Path):
    own = html_edit("</body>", "*|HTML:LIST_ADDRESS_HTML|*</body>")
    assert found(checked_rendered(project, article("*|FNAME|*"), own), "merge-tag-unknown") == []
    theirs = html_edit("</body>", "*|HTML:ORG|*</body>")
    problems = found(checked_rendered(project, article("*|FNAME|*"), theirs), "merge-tag-unknown")
    assert [p.message for p in problems] == [
        "in the HTML, from a template or the publication: merge tag '*|HTML:ORG|*' puts the "
        "reader's own data into the email as raw HTML (a way to inject markup): write '*|ORG|*'"
    ]


def test_an_unknown_tag_in_the_plain_text_part_names_that_part(project: Path):
    def text_edit(rendered):
        return replace(rendered, text=rendered.text + "\n*|LIST:COMPNAY|*\n")

    problems = found(
        checked_rendered(project, article("*|FNAME|*"), text_edit), "merge-tag-unknown"
    )
    assert [p.message.partition(",")[0] for p in problems] == ["in the plain-text part"]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("*|ELSEIF:FNAME=Jo|*", "merge tag '*|ELSEIF:FNAME=Jo|*' is outside any *|IF:...|* block"),
        ("*|ELSE:|*", "merge tag '*|ELSE:|*' is outside any *|IF:...|* block"),
        ("*|END:IF|*", "merge tag '*|END:IF|*' closes no block: nothing opens it before"),
    ],
)
def test_a_block_tag_with_no_block(project: Path, tags: str, message: str):
    problems = found(checked(project, article(tags)), "merge-tag-unbalanced")
    assert [(p.line, p.message) for p in problems] == [(12, message)]


def test_a_keyword_without_its_colon_opens_no_block(project: Path):
    assert (
        found(checked(project, article("*|IF|* and *|INTERESTED|*")), "merge-tag-unbalanced") == []
    )


def test_an_empty_tag_and_a_broken_one_at_the_very_start_of_a_text(project: Path):
    sections = "  - type: article\n    heading: FNAME|* news\n    body: Dear *||*, read on.\n"
    problems = found(checked(project, sections), "merge-tag-malformed")
    assert [(p.line, p.field, p.message) for p in problems] == [
        (8, "sections[0].heading", "merge tag 'FNAME|*' is not opened: start it with '*|'"),
        (9, "sections[0].body", "empty merge tag '*||*'"),
    ]


def test_a_template_broken_tag_is_reported_unless_the_issue_has_that_very_tag(project: Path):
    """Each broken tag of a template is reported once, apart from the issue's own ones."""
    edit = html_edit("</body>", "*| |* *| LNAME |* *|lname|* *|fname|*</body>")
    sections = article("*||* *| FNAME |* *|fname|*")
    problems = found(checked_rendered(project, sections, edit), "merge-tag-malformed")
    from_template = [p.message.split(": ", 1)[1] for p in problems if not p.field]
    assert from_template == [
        "empty merge tag '*| |*'",
        "merge tag '*| LNAME |*' has spaces inside; write '*|LNAME|*'",
        "merge tag '*|lname|*' is not upper case; write '*|LNAME|*'",
    ]
