"""While one section is invalid, what the checks find in the others is still shown, at its
line in the file: a writer fixes everything in one pass, not one error at a time."""

import json
from pathlib import Path

from click.testing import CliRunner
from support.checking import findings
from support.issues import write_issue

from bulletin.cli import main

SECTIONS = """\
  - type: notice
    heading: Valid, with a vague link
    body: Read [click here](https://www.gov.uk/) for the guidance.
  - type: events
    events:
      - title: Invalid
        date: 2020-12-16
        start: 930
  - type: notice
    body: ALSO VALID BUT WRITTEN ENTIRELY IN CAPITAL LETTERS HERE
"""


def test_findings_of_valid_sections_come_with_the_validation_errors(project: Path):
    problems, rendered = findings(write_issue(project, SECTIONS))
    assert rendered is None
    assert [(p.line, p.column, p.field, p.rule or "invalid", p.severity) for p in problems] == [
        (9, 16, "sections[0].body", "link-text-vague", "warning"),
        (14, 16, "sections[1].events[0].start", "invalid", "error"),
        (16, 11, "sections[2].body", "caps-paragraph", "warning"),
    ]


def test_check_and_build_show_them_and_build_writes_nothing(project: Path):
    issue = write_issue(project, SECTIONS)
    result = CliRunner().invoke(main, ["check", str(issue), "--format", "json"])
    assert result.exit_code == 1
    rules = [row["rule"] for row in json.loads(result.output)]
    assert rules == ["link-text-vague", "invalid", "caps-paragraph"]
    out = project / "out"
    built = CliRunner().invoke(main, ["build", str(issue), "--out", str(out)])
    assert built.exit_code == 1
    lines = built.stderr.splitlines()
    assert lines[-1] == "3 problems (1 error, 2 warnings), nothing written"
    assert (
        "warning: sections[0].body: link text 'click here' does not say where it goes" in (lines[0])
    )
    assert not out.exists() or not any(out.iterdir())


def test_nothing_is_guessed_when_the_issue_itself_is_invalid(project: Path):
    """A wrong date or publication: the whole is not there to check, so only the errors."""
    problems, _ = findings(write_issue(project, SECTIONS, date="soon"))
    assert {p.rule or "invalid" for p in problems} == {"invalid"}
    assert [p.field for p in problems] == ["date", "sections[1].events[0].start"]


def test_issue_wide_findings_are_left_out_of_a_part_checked(project: Path):
    """The rules that judge the whole email (its size, its headings) would judge a part."""
    problems, _ = findings(write_issue(project, SECTIONS))
    assert all(p.field.startswith("sections[") for p in problems)


def test_a_finding_on_a_whole_valid_section_is_placed_at_that_section(project: Path):
    """A pasted repeat is reported on the section itself (a two-part location), even when an
    invalid section between them shifts which sections were checked."""
    sections = """\
  - type: notice
    body: The same notice, pasted twice by mistake.
  - type: events
    events:
      - title: Invalid
        date: 2020-12-16
        start: 930
  - type: notice
    body: The same notice, pasted twice by mistake.
"""
    problems, _ = findings(write_issue(project, sections))
    assert [(p.line, p.field, p.rule) for p in problems if p.rule] == [
        (14, "sections[2]", "section-duplicate")
    ]


def test_whole_issue_findings_are_dropped_and_the_rest_of_their_rule_still_runs(project: Path):
    """A capitalised title (the issue's, so left out of a part) comes before the capitalised
    section in the caps rule's walk: the section's finding must still be reported, and a preview
    text that repeats the subject (a one-part location) is left out."""
    issue = write_issue(
        project,
        SECTIONS,
        title="TEST BULLETIN FOR THE WHOLE PARTNERSHIP",
        preview="Test subject",
    )
    problems, _ = findings(issue)
    assert [(p.field, p.rule) for p in problems if p.rule] == [
        ("sections[0].body", "link-text-vague"),
        ("sections[2].body", "caps-paragraph"),
    ]
