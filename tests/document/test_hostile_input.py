"""Hostile or broken input gets a clear error at its line, in bounded time and memory: alias
bombs and huge files (in issues, publications and audiences.yaml alike), deeply nested HTML,
thousands of sections, publication ids that are paths, values that are not text, hidden
direction marks, numbers where times go, settings that are not numbers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.issues import write_issue

from bulletin.cli import main
from bulletin.document.audiences import load_audiences
from bulletin.document.issue import load_bulletin
from bulletin.errors import BulletinError, ContentError
from bulletin.mailchimp.client import Config

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
)  # ten to the ninth values from 400 bytes


def problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_bulletin(path)
    return [str(p) for p in info.value.problems]


def build(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`bulletin build` in a process of its own: a crash in native code shows as a signal."""
    return subprocess.run(
        [sys.executable, "-m", "bulletin", "build", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("where", ["issue", "publication", "audiences"])
def test_an_alias_bomb_is_refused_before_it_is_built(project: Path, where: str):
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Hello}\n")
    if where == "issue":
        issue.write_text(issue.read_text() + BOMB)
    elif where == "publication":
        pub = project / "publications" / "test.yaml"
        pub.write_text(pub.read_text() + BOMB)
    else:
        (project / "audiences.yaml").write_text("audiences: []\n" + BOMB)
        with pytest.raises(ContentError, match="expands to more than 200,000 values"):
            load_audiences(project)
        return
    assert any("expands to more than 200,000 values" in p for p in problems(issue))


def test_a_file_too_large_is_refused_before_it_is_read(project: Path):
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Hello}\n")
    with issue.open("a") as out:
        out.write("# " + "x" * 9_000_000 + "\n")
    size = issue.stat().st_size
    assert problems(issue) == [f"{issue}:1:1: error: {size:,} bytes: too large (at most 8,000,000)"]


def test_a_file_not_in_utf8_names_the_line_and_column_of_the_first_stray_byte(project: Path):
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Hello}\n")
    lines = issue.read_bytes().split(b"\n")
    line = next(n for n, row in enumerate(lines, 1) if b"body: Hello" in row)
    column = lines[line - 1].index(b"Hello") + len("Café ") + 1
    # Windows-1252's curly quote, after a UTF-8 accented letter that counts as one column
    lines[line - 1] = lines[line - 1].replace(b"Hello", "Café ".encode() + b"\x93Hi\x94")
    issue.write_bytes(b"\n".join(lines))
    assert problems(issue) == [
        f"{issue}:{line}:{column}: error: byte 0x93 is not UTF-8 text: save the file as UTF-8"
    ]


def test_html_nested_twenty_thousand_deep_is_an_error_not_a_crash(project: Path, tmp_path: Path):
    body = "<span>" * 20_000 + "deep" + "</span>" * 20_000
    issue = write_issue(project, f"  - type: notice\n    heading: Deep\n    body: '{body}'\n")
    result = build(issue, tmp_path)
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])  # not -SIGSEGV
    assert "sections[0].body: its HTML nests 20,000 elements deep; at most 100" in result.stderr


def test_html_nested_a_little_is_fine(project: Path):
    body = "<span>" * 50 + "deep" + "</span>" * 50
    issue = write_issue(project, f"  - type: notice\n    heading: Deep\n    body: '{body}'\n")
    assert load_bulletin(issue).issue.sections[0].body == body


def test_ten_thousand_sections_are_refused_first(project: Path):
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Hello}\n" * 10_000)
    assert problems(issue) == [
        f"{issue}:7:3: error: sections: 10,000 sections: at most 200 fit in one email (Gmail "
        "clips it at 102 KB): split the issue"
    ]


@pytest.mark.parametrize("name", ["12345", "'12345'"])
def test_a_publication_given_as_a_number_is_looked_up_by_name(project: Path, name: str):
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Hello}\n", publication=name)
    (found,) = problems(issue)
    assert "publication: unknown publication '12345'" in found


@pytest.mark.parametrize("name", ["../../secret/creds", "/etc/passwd", "Test", "te st", "-x"])
def test_a_publication_id_is_a_name_never_a_path(project: Path, name: str):
    secret = project.parent / "secret"
    secret.mkdir(exist_ok=True)
    (secret / "creds.yaml").write_text("name: [TOP-SECRET-VALUE]\n")
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Hello}\n", publication=name)
    found = problems(issue)
    assert len(found) == 1 and "publication:" in found[0], found
    assert "is not an id of lower-case letters, digits and -" in found[0]
    assert "TOP-SECRET-VALUE" not in " ".join(found)


@pytest.mark.parametrize(
    ("title", "says"),
    [
        ("!!binary aGVsbG8=", "binary data (!!binary) is not text"),
        ("!!float .nan", "nan is not a number a reader could read"),
        ("1.0e999", "inf is not a number a reader could read"),
        ("!!float -.inf", "-inf is not a number a reader could read"),
    ],
)
def test_values_that_are_not_text_are_errors_at_their_line(project: Path, title: str, says: str):
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Hello}\n", title=title)
    assert any(f"{issue}:3:8: error: title: {says}" in p for p in problems(issue)), problems(issue)


@pytest.mark.parametrize("mark", ["\u202e", "\u202a", "\u2066", "\u2069"])
@pytest.mark.parametrize("field", ["heading", "body", "url"])
def test_bidirectional_controls_are_errors_in_text_and_links(project: Path, mark: str, field: str):
    values = {"heading": "Hi", "body": "Hello", "url": "https://www.gov.uk/"}
    values[field] = values[field][:2] + mark + values[field][2:]
    issue = write_issue(
        project,
        f'  - type: notice\n    heading: "{values["heading"]}"\n    body: "{values["body"]}"\n'
        f'    links: [{{text: Read it, url: "{values["url"]}"}}]\n',
    )
    found = problems(issue)
    assert any("(a bidirectional control)" in p and f"U+{ord(mark):04X}" in p for p in found)


@pytest.mark.parametrize("mark", ["\u200e", "\u200f"])
def test_direction_marks_are_errors_in_links(project: Path, mark: str):
    issue = write_issue(
        project,
        "  - type: notice\n    heading: Hi\n    body: Hello\n"
        f'    links: [{{text: Read it, url: "https://www.gov.uk/{mark}x"}}]\n',
    )
    assert any("hidden left-to-right or right-to-left mark" in p for p in problems(issue))


@pytest.mark.parametrize("start", ["930", "9", "0", "1.5"])
def test_a_number_where_a_time_goes_is_an_error_with_the_forms(project: Path, start: str):
    issue = write_issue(
        project,
        "  - type: events\n    heading: Events\n    events:\n"
        f"      - {{title: Forum, date: 2020-12-10, start: {start}}}\n",
    )
    found = problems(issue)
    assert any(
        f"start: not a time; write it as 09:30 or 9.30am ({start} is a number)" in p for p in found
    ), found


def test_a_time_written_as_text_still_works(project: Path):
    issue = write_issue(
        project,
        "  - type: events\n    heading: Events\n    events:\n"
        "      - {title: Forum, date: 2020-12-10, start: '9.30am'}\n",
    )
    assert str(load_bulletin(issue).issue.sections[0].events[0].start) == "09:30:00"


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "inf", "1e9"])
def test_a_timeout_that_is_no_number_of_seconds_is_one_line(value: str):
    key = "0123456789abcdef0123456789abcdef-us19"
    with pytest.raises(BulletinError, match=r"^MAILCHIMP_TIMEOUT must be a number of seconds"):
        Config.from_env({"MAILCHIMP_API_KEY": key, "MAILCHIMP_TIMEOUT": value})


def test_a_timeout_that_is_no_number_is_one_line_from_the_command(project: Path):
    issue = write_issue(project, "  - {type: notice, heading: Hi, body: Hello}\n")
    env = {"MAILCHIMP_API_KEY": "0123456789abcdef0123456789abcdef-us19", "MAILCHIMP_TIMEOUT": "abc"}
    result = CliRunner().invoke(main, ["push", str(issue)], env=env)
    assert result.exit_code == 1
    assert result.output.startswith("error: MAILCHIMP_TIMEOUT must be a number of seconds")
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert os.environ.get("MAILCHIMP_TIMEOUT") is None
