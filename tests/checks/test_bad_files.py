"""A file an issue names that Mailchimp or the mail apps cannot take is an error at its line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.campaigns import make_project
from support.local_files import pdf, photo, with_files

from bulletin.cli import main


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    issue = make_project(tmp_path)
    photo(issue.parent / "flyer.jpg", 300, 200)
    pdf(issue.parent / "strategy.pdf", 5_000)
    return issue


def line_of(issue: Path, text: str) -> int:
    lines = issue.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def big(path: Path) -> Path:
    with path.open("wb") as sparse:
        sparse.truncate(10 * 1024 * 1024 + 1)
    return path


def svg(path: Path) -> Path:
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    return path


CASES = {
    "missing": ("gone.jpg", "strategy.pdf", None, "no file 'gone.jpg'"),
    "svg": ("logo.svg", "strategy.pdf", svg, "an SVG, which Gmail and Outlook do not show"),
    "too large": ("flyer.jpg", "huge.pdf", big, "Mailchimp's File Manager takes 10 MB at most"),
    "outside": ("../../../etc/passwd", "strategy.pdf", None, "leads outside the project"),
    "absolute": ("/etc/passwd", "strategy.pdf", None, "leads outside the project"),
    "unsupported": ("flyer.jpg", "run.exe", lambda p: p.write_bytes(b"MZ") and p, "cannot be sent"),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_file_that_cannot_go_is_one_error_at_its_line(issue, case, command, tmp_path):
    image, document, make, message = CASES[case]
    if make:
        make(issue.parent / (document if make is big or case == "unsupported" else image))
    with_files(issue, image=image, document=document)
    named = image if document == "strategy.pdf" else document
    args = [command, str(issue)] + (
        ["--out", str(tmp_path / "build")] if command == "build" else []
    )
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"{issue}:{line_of(issue, named)}:")
    assert message in errors[0]
    assert not (tmp_path / "build").exists()


def test_the_files_that_go_pass_check(issue):
    result = CliRunner().invoke(main, ["check", str(with_files(issue))])
    assert result.exit_code == 0, result.output


def test_a_path_through_a_link_out_of_the_project_is_refused(issue, tmp_path):
    outside = tmp_path / "elsewhere.pdf"
    pdf(outside, 100)
    os.symlink(outside, issue.parent / "linked.pdf")
    with_files(issue, document="linked.pdf")
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code != 0 and "leads outside the project" in result.output
