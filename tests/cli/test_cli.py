"""The commands as a user runs them: output, files and exit codes."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support.issues import write_issue
from support.paths import REPO

from bulletin.cli import main

ARTICLE = "  - type: article\n    heading: Hello\n    body: World\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_build_writes_html_and_text(project: Path):
    issue = write_issue(project, ARTICLE, name="2020-12.yaml")
    out = project / "out"
    result = run("build", str(issue), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["2020-12.html", "2020-12.txt"]
    assert "<h2" in (out / "2020-12.html").read_text()
    assert "HELLO" in (out / "2020-12.txt").read_text()
    assert f"wrote {out / '2020-12.html'}" in result.output


def test_build_defaults_to_build_folder(project: Path, monkeypatch):
    monkeypatch.chdir(project)
    write_issue(project, ARTICLE, name="x.yaml")
    assert run("build", "x.yaml").exit_code == 0
    assert (project / "build" / "x.html").is_file()


def test_missing_file_is_one_line(project: Path):
    result = run("build", str(project / "nope.yaml"))
    assert result.exit_code == 1
    assert f"{project / 'nope.yaml'}:1:1: error: no such file" in result.stderr


def test_failed_build_leaves_previous_output_alone(project: Path):
    out = project / "out"
    good = write_issue(project, ARTICLE, name="i.yaml")
    assert run("build", str(good), "--out", str(out)).exit_code == 0
    before = (out / "i.html").read_bytes()
    write_issue(project, "  - type: article\n", name="i.yaml")
    assert run("build", str(good), "--out", str(out)).exit_code == 1
    assert (out / "i.html").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["i.html", "i.txt"]  # no temp files


def test_new_from_skeleton_builds(project: Path):
    issue = project / "issues" / "2021-01.yaml"
    result = run("new", str(issue))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(issue.read_text())["publication"] == "test"
    assert run("build", str(issue), "--out", str(project / "out")).exit_code == 0


def test_new_from_previous_moves_on_a_month_and_keeps_comments(project: Path):
    previous = write_issue(
        project, "  # keep me\n" + ARTICLE, name="dec.yaml", subject='"News: December 2020"'
    )
    result = run("new", str(project / "jan.yaml"), "--from", str(previous))
    assert result.exit_code == 0, result.output
    text = (project / "jan.yaml").read_text()
    assert "date: 2021-01-04" in text
    assert "News: January 2021" in text
    assert "# keep me" in text


def test_new_from_previous_takes_the_next_edition_and_a_date_as_written(project: Path):
    previous = write_issue(
        project, ARTICLE, name="dec.yaml", date="4 December 2020", edition="12  # our number"
    )
    result = run("new", str(project / "jan.yaml"), "--from", str(previous))
    assert result.exit_code == 0, result.output
    text = (project / "jan.yaml").read_text()
    assert "date: 2021-01-04\n" in text
    assert "edition: 13  # our number\n" in text
    assert run("build", str(project / "jan.yaml"), "--out", str(project / "out")).exit_code == 0


def test_new_dates_an_issue_in_the_month_its_name_gives(project: Path):
    for name, month in (("2027-02.yaml", "February 2027"), ("wscp-2031-11.yaml", "November 2031")):
        issue = project / "issues" / name
        assert run("new", str(issue)).exit_code == 0
        data = yaml.safe_load(issue.read_text())
        assert f"{data['date']:%B %Y}" == month and data["subtitle"] == month
    undated = project / "issues" / "special-edition.yaml"
    assert run("new", str(undated)).exit_code == 0
    assert yaml.safe_load(undated.read_text())["date"] == dt.date.today()


def test_new_from_the_last_issue_takes_the_month_its_name_gives(project: Path):
    previous = write_issue(project, ARTICLE, name="2020-12.yaml", subject='"News: December 2020"')
    result = run("new", str(project / "2021-03.yaml"), "--from", str(previous))
    assert result.exit_code == 0, result.output
    text = (project / "2021-03.yaml").read_text()
    assert "date: 2021-03-04" in text and "News: March 2021" in text


@pytest.mark.parametrize("name", ["2027-02.txt", "2027-02.yml", "2027-02"])
def test_new_refuses_a_file_that_is_not_yaml_and_writes_nothing(project: Path, name: str):
    result = run("new", str(project / "drafts" / name))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == (
        f"error: {project / 'drafts' / name}: an issue is a .yaml file (bulletin site looks for "
        f"those): name it {project / 'drafts' / '2027-02.yaml'}\n"
    )
    assert not (project / "drafts").exists()


def test_new_outside_a_project_leaves_no_empty_folder(tmp_path: Path):
    result = run("new", str(tmp_path / "nowhere" / "2027-02.yaml"))
    assert result.exit_code == 1 and "no publications/ folder" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_new_refuses_to_overwrite(project: Path):
    issue = write_issue(project, ARTICLE)
    before = issue.read_text()
    result = run("new", str(issue))
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert issue.read_text() == before


def test_schema_lists_every_section_type_and_field():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["required"] == ["publication", "date", "title", "subject", "preview", "sections"]
    items = schema["properties"]["sections"]["items"]
    tags = set(items["discriminator"]["mapping"])
    assert {"article", "events", "icon", "webinars"} <= tags
    article = schema["$defs"]["ArticleSection"]
    assert {"heading", "body", "links", "image"} <= set(article["properties"])
    assert schema["properties"]["subject"]["maxLength"] == 150


def test_sections_prints_the_readme_tables():
    result = run("sections")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "| type | for | fields (**required** in bold) |"
    assert any(
        line.startswith("| `table` |") and "**`rows`** list of row" in line for line in lines
    )
    assert any(line.startswith("| session |") and "**`date`** date" in line for line in lines)


def test_dates_and_times_written_as_text_validate_against_the_schema():
    """An editor checks the YAML against `bulletin schema`: what validation takes, it takes."""
    import jsonschema

    schema = json.loads(run("schema").output)

    def as_written(value):  # an editor reads YAML 1.2: dates and times are text
        if isinstance(value, dict):
            return {k: as_written(v) for k, v in value.items()}
        if isinstance(value, list):
            return [as_written(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date | dt.time) else value

    for path in sorted((REPO / "examples").glob("*.yaml")):
        issue = as_written(yaml.safe_load(path.read_text(encoding="utf-8")))
        jsonschema.validate(issue, schema)
    sections = [
        as_written(yaml.safe_load(p.read_text()))
        for p in (REPO / "sections").glob("*/example.yaml")
    ]
    jsonschema.validate(
        {
            "publication": "x",
            "date": "4 December 2020",
            "title": "t",
            "subject": "s",
            "preview": "p",
            "sections": sections,
        },
        schema,
    )
    with __import__("pytest").raises(jsonschema.ValidationError):
        jsonschema.validate(
            {
                **issue,
                "sections": [
                    {
                        "type": "diary",
                        "entries": [{"title": "x", "date": "2021-01-01", "start": 930}],
                    }
                ],
            },
            schema,
        )


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "bulletin", "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0
    assert "build" in result.stdout and "schema" in result.stdout


def test_a_broken_project_template_is_one_line(project: Path):
    (project / "templates").mkdir()
    (project / "templates" / "inline.css.j2").write_text("{% if %}\n")
    issue = write_issue(project, ARTICLE)
    result = run("build", str(issue), "--out", str(project / "out"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "inline.css.j2:1:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (project / "out").exists() or not any((project / "out").iterdir())


def test_an_unwritable_output_is_one_line(project: Path):
    issue = write_issue(project, ARTICLE)
    blocker = project / "out"
    blocker.write_text("a file where the folder should be")
    result = run("build", str(issue), "--out", str(blocker / "sub"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output


PLACEHOLDER_LINK = "  - type: article\n    heading: Hello\n    body: See [the page](#) soon.\n"
VAGUE_LINK = (
    "  - type: article\n    heading: Hello\n"
    "    body: For the guide [click here](https://www.safeguarding.org.uk/guide).\n"
)


def test_a_check_rules_error_stops_the_build_and_writes_nothing(project: Path):
    issue = write_issue(project, PLACEHOLDER_LINK)
    out = project / "out"
    result = run("build", str(issue), "--out", str(out))
    assert result.exit_code == 1, result.output
    assert "error: sections[0].body: link 'the page' goes nowhere" in result.stderr
    assert "nothing written" in result.stderr
    assert not out.exists()


def test_check_exits_1_on_errors_1_on_warnings_when_strict_and_2_on_a_usage_error(project: Path):
    clean = write_issue(project, ARTICLE, name="clean.yaml")
    warned = write_issue(project, VAGUE_LINK, name="warned.yaml")
    wrong = write_issue(project, PLACEHOLDER_LINK, name="wrong.yaml")
    assert run("check", str(clean)).exit_code == 0
    assert run("check", str(clean), "--strict").exit_code == 0
    result = run("check", str(warned))
    assert (result.exit_code, "warning:" in result.output) == (0, True), result.output
    assert run("check", str(warned), "--strict").exit_code == 1
    assert run("check", str(wrong)).exit_code == 1
    assert run("check", str(wrong), "--strict").exit_code == 1
    for usage in (["check"], ["check", str(clean), "--format", "xml"], ["check", "--nope"]):
        result = run(*usage)
        assert result.exit_code == 2, (usage, result.output)
        assert "Usage:" in result.output


def test_an_os_error_without_a_file_is_one_line_with_no_empty_name():
    import click

    from bulletin.cli.common import reports_errors

    @click.command()
    @reports_errors
    def failing() -> None:
        raise OSError("No space left on device")

    @click.command()
    @reports_errors
    def failing_on_a_file() -> None:
        raise PermissionError(13, "Permission denied", "build/issue.html")

    result = CliRunner().invoke(failing, [])
    assert (result.exit_code, result.output) == (1, "error: No space left on device\n")
    result = CliRunner().invoke(failing_on_a_file, [])
    assert (result.exit_code, result.output) == (1, "error: build/issue.html: Permission denied\n")


@pytest.mark.parametrize("name", ["issue.txt", "issue.html"])
def test_build_never_writes_a_part_over_an_issue_named_like_it(project: Path, name: str):
    issue = write_issue(project, ARTICLE, name=name)
    before = issue.read_bytes()
    result = run("build", str(issue), "--out", str(project))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == (
        f"error: {issue}: its {issue.suffix} part would be written over the issue itself: "
        "name it issue.yaml (nothing written)\n"
    )
    assert issue.read_bytes() == before
    assert [p.name for p in project.glob("issue.*")] == [name]  # neither part written


def test_new_in_this_month_is_dated_today_and_another_month_on_the_28th_at_most(project: Path):
    from bulletin.compose.newissue import create

    today = dt.date(2027, 1, 30)
    create(project / "2027-01.yaml", None, today)
    create(project / "2027-02.yaml", None, today)
    dates = [yaml.safe_load((project / f"2027-0{m}.yaml").read_text())["date"] for m in (1, 2)]
    assert dates == [dt.date(2027, 1, 30), dt.date(2027, 2, 28)]
