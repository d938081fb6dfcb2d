"""Every bad input gives one line per problem, FILE:LINE:COL, exit status 1, nothing written.

Each file in tests/data/bad/ starts with `# expect:` lines: the exact messages it must give.
"""

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import DATA, REPO

from bulletin.cli import main

BAD = DATA / "bad"
CASES = sorted(BAD.glob("*.yaml"))


def expected_lines(path: Path) -> list[str]:
    heads = re.findall(r"^# expect: (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return sorted(f"{path}:{line}" for line in heads)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_input_reports_every_problem_at_its_line(path: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["build", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("nothing written")
    assert sorted(lines[:-1]) == expected_lines(path)
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_corpus_is_not_empty():
    assert len(CASES) >= 12
    assert all(expected_lines(p) for p in CASES)


def _patterns(schema: object) -> set[str]:
    if isinstance(schema, dict):
        own = {schema["pattern"]} if isinstance(schema.get("pattern"), str) else set()
        return own.union(*(_patterns(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_patterns(v) for v in schema))
    return set()


def test_every_pattern_a_field_takes_is_said_in_words():
    """A regular expression in an error says nothing to the officer who mistyped a list id."""
    from bulletin.document.audiences import Audiences
    from bulletin.document.models import Publication
    from bulletin.document.schema import issue_schema
    from bulletin.document.validation import PATTERN_WORDS

    schemas = [issue_schema(), Publication.model_json_schema(), Audiences.model_json_schema()]
    found = set().union(*(_patterns(s) for s in schemas))
    assert len(found) >= 5 and found <= set(PATTERN_WORDS), found - set(PATTERN_WORDS)


def test_a_mistyped_list_id_says_what_an_id_looks_like(tmp_path: Path):
    from support.campaigns import make_project

    issue = make_project(tmp_path)
    audiences = issue.parent.parent / "audiences.yaml"
    text = audiences.read_text(encoding="utf-8")
    audiences.write_text(text.replace("list_id: 0a1b2c3d4e", "list_id: 0A1B2C3D4E", 1))
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if ": error: " in x]
    assert line.startswith(f"{audiences}:")
    assert line.endswith(
        "audiences[0].list_id: '0A1B2C3D4E' is not a Mailchimp id (10 characters, digits and a to"
        " f, such as 0a1b2c3d4e)"
    )
    assert "pattern" not in line and "^" not in line


BOUNDS = """\
  - type: image
    image: {src: "https://example.org/a.png", alt: "", width: 900}
  - type: table
    columns: [a]
    rows: []
  - type: article
    body: ""
"""


def test_lengths_and_numbers_out_of_bounds_are_said_in_words(tmp_path: Path):
    """Not pydantic's "list should have at least 1 item after validation, not 0"."""
    from support.issues import write_issue

    (tmp_path / "publications").mkdir()
    shutil.copy(REPO / "publications" / "wscp.yaml", tmp_path / "publications")
    issue = write_issue(tmp_path, BOUNDS, publication="wscp")
    result = CliRunner().invoke(main, ["check", str(issue)])
    errors = [
        line.split(": error: ", 1)[1] for line in result.output.splitlines() if ": error: " in line
    ]
    assert errors == [
        "sections[0].image.alt: is empty: write what the image shows, for screen readers",
        "sections[0].image.width: is 900; it takes at most 600",
        "sections[1].rows: is empty: give at least 1",
        "sections[2].body: is empty: write the article's text",
    ]
    assert not any("after validation" in e or "should" in e for e in errors)
