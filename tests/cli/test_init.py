"""`bulletin init` in-process: answers from options or prompts, every answer checked by the
publication model before anything is written, and no file ever replaced."""

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support.projects import INIT_ANSWERS as ANSWERS

from bulletin.cli import main

FILES = [
    ".gitignore",
    ".vscode/settings.json",
    "README.md",
    "audiences.yaml",
    "build/issue.schema.json",
    "publications/hsp.yaml",
]


def init(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["init", *args], input=input)


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def first_issue() -> str:
    today = dt.date.today()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"issues/{year}-{month:02}.yaml"


def test_options_make_a_project_that_checks_and_builds(tmp_path: Path):
    folder = tmp_path / "bulletins"  # created, as it is missing
    result = init(str(folder), *ANSWERS, "--no-prompt")
    assert result.exit_code == 0, result.output
    assert files_in(folder) == sorted([*FILES, first_issue()])
    for name in files_in(folder):
        assert f"wrote {folder / name}" in result.output
    publication = yaml.safe_load((folder / "publications/hsp.yaml").read_text())
    assert publication["sender"] == {
        "from_name": "Hollinvale Safeguarding Partnership",
        "reply_to": "bulletin@hollinvale-partnership.org.uk",
    }
    assert publication["footer"]["address"] == [
        "The Old Library, Mill Street",
        "Hollinvale HV1 2AB",
    ]
    issue = folder / first_issue()
    assert yaml.safe_load(issue.read_text())["publication"] == "hsp"
    checked = CliRunner().invoke(main, ["check", str(issue)])
    assert checked.exit_code == 0, checked.output
    assert "no problems" in checked.output
    built = CliRunner().invoke(main, ["build", str(issue), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    html = (tmp_path / "out" / f"{issue.stem}.html").read_text()
    assert "The Old Library, Mill Street" in html


def test_the_editor_mapping_points_at_the_schema_init_writes(tmp_path: Path):
    assert init(str(tmp_path), *ANSWERS, "--no-prompt").exit_code == 0
    settings = json.loads((tmp_path / ".vscode/settings.json").read_text())
    ((schema_path, pattern),) = settings["yaml.schemas"].items()
    assert pattern == "issues/*.yaml"
    schema = json.loads((tmp_path / schema_path).read_text())
    assert schema["title"] == "bulletin issue"
    assert "ArticleSection" in json.dumps(schema)
    modeline = (tmp_path / first_issue()).read_text().splitlines()[0]
    assert (tmp_path / "issues" / modeline.split("$schema=")[1]).resolve() == (
        tmp_path / schema_path
    ).resolve()


def test_gitignore_keeps_state_and_builds_out(tmp_path: Path):
    assert init(str(tmp_path), *ANSWERS, "--no-prompt").exit_code == 0
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert {".bulletin/", "build/"} <= set(lines)


def test_readme_gives_the_monthly_routine(tmp_path: Path):
    assert init(str(tmp_path), *ANSWERS, "--no-prompt").exit_code == 0
    readme = (tmp_path / "README.md").read_text()
    for command in ("new", "preview", "check", "push", "test-send", "schedule", "status", "site"):
        assert f"bulletin {command}" in readme


def test_prompts_ask_for_each_answer_and_again_after_a_bad_one(tmp_path: Path):
    answers = "\n".join([
        "Hollinvale Safeguarding Partnership",
        "HSP",
        "http://www.hollinvale-partnership.org.uk/",  # refused: not https
        "https://www.hollinvale-partnership.org.uk/",
        "not-an-address",  # refused
        "bulletin@hollinvale-partnership.org.uk",
        "",  # no line yet: asked again
        "The Old Library",
        "Hollinvale HV1 2AB",
        "",
    ])  # fmt: skip
    result = init(str(tmp_path), "--prompt", input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "write 'https://www.hollinvale-partnership.org.uk/'" in result.output
    assert "not a valid e-mail address ('not-an-address')" in result.output
    publication = yaml.safe_load((tmp_path / "publications/hsp.yaml").read_text())
    assert publication["website"] == "https://www.hollinvale-partnership.org.uk/"
    assert publication["footer"]["address"] == ["The Old Library", "Hollinvale HV1 2AB"]


def test_options_given_are_not_asked_for(tmp_path: Path):
    result = init(str(tmp_path), "--prompt", *ANSWERS[:8], input="Mill Street\n\n")
    assert result.exit_code == 0, result.output
    assert "full name" not in result.output
    publication = yaml.safe_load((tmp_path / "publications/hsp.yaml").read_text())
    assert publication["footer"]["address"] == ["Mill Street"]


def test_no_terminal_and_answers_missing_names_them_and_writes_nothing(tmp_path: Path):
    result = init(str(tmp_path), *ANSWERS[:4], input="")  # CliRunner's input is no terminal
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: no terminal to ask: give --website, --reply-to, --address (nothing written)"
    ]
    assert files_in(tmp_path) == []


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--reply-to", "bulletin at hollinvale", "--reply-to: not a valid e-mail address"),
        ("--website", "http://www.hollinvale.org.uk/", "--website: not secure"),
        ("--website", "www.hollinvale.org.uk", "--website: not a valid URL"),
        ("--name", "   ", "--name: is blank"),
        ("--address", "Line one\nLine two", "--address: is more than one line"),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_written(tmp_path, option, value, message):
    args = list(ANSWERS)
    args[args.index(option) + 1] = value
    result = init(str(tmp_path), *args, "--no-prompt")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {message}")
    assert line.endswith("(nothing written)")
    assert "Traceback" not in result.output
    assert files_in(tmp_path) == []


def test_the_id_comes_from_the_short_name_or_id(tmp_path: Path):
    args = list(ANSWERS)
    args[args.index("--short-name") + 1] = "St. Elm's SP"
    assert init(str(tmp_path / "a"), *args, "--no-prompt").exit_code == 0
    assert (tmp_path / "a/publications/st-elms-sp.yaml").is_file()
    assert init(str(tmp_path / "b"), *ANSWERS, "--id", "hollinvale", "--no-prompt").exit_code == 0
    assert (tmp_path / "b/publications/hollinvale.yaml").is_file()
    refused = init(str(tmp_path / "c"), *ANSWERS, "--id", "Hollin Vale", "--no-prompt")
    assert refused.exit_code == 2
    assert "error: --id: not a publication id ('Hollin Vale')" in refused.stderr
    assert not (tmp_path / "c").exists()


def test_an_existing_file_is_kept_and_named(tmp_path: Path):
    (tmp_path / "README.md").write_text("Our own notes\n")
    (tmp_path / "audiences.yaml").write_text("audiences: []\n")
    result = init(str(tmp_path), *ANSWERS, "--no-prompt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "README.md").read_text() == "Our own notes\n"
    assert f"kept {tmp_path / 'README.md'} (already there)" in result.output
    assert f"kept {tmp_path / 'audiences.yaml'} (already there)" in result.output
    assert f"wrote {tmp_path / 'README.md'}" not in result.output
    before = {name: (tmp_path / name).read_bytes() for name in files_in(tmp_path)}
    again = init(str(tmp_path), *ANSWERS, "--no-prompt")
    assert again.exit_code == 0
    assert "wrote" not in again.output
    assert {name: (tmp_path / name).read_bytes() for name in files_in(tmp_path)} == before


def test_a_name_yaml_would_misread_is_written_so_it_reads_back_exactly(tmp_path: Path):
    args = list(ANSWERS)
    args[args.index("--name") + 1] = "Safeguarding: Hollinvale #1"
    args[args.index("--address") + 1] = "- Unit 4"
    assert init(str(tmp_path), *args, "--no-prompt").exit_code == 0
    publication = yaml.safe_load((tmp_path / "publications/hsp.yaml").read_text())
    assert publication["name"] == "Safeguarding: Hollinvale #1"
    assert publication["footer"]["address"][0] == "- Unit 4"


def test_init_is_here_by_default(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = init(*ANSWERS, "--no-prompt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "publications/hsp.yaml").is_file()
    assert f"next: bulletin preview {first_issue()}" in result.output


def test_no_project_says_to_run_init(tmp_path: Path):
    result = CliRunner().invoke(main, ["new", str(tmp_path / "issues/2027-01.yaml")])
    assert result.exit_code == 1
    assert "no publications/ folder here or in any folder above" in result.stderr
    assert "run `bulletin init`" in result.stderr


def test_the_audiences_example_is_valid_once_uncommented(tmp_path: Path):
    from bulletin.document.audiences import load_audiences

    assert init(str(tmp_path), *ANSWERS, "--no-prompt").exit_code == 0
    assert load_audiences(tmp_path).audiences == []  # valid as written: `check` accepts it
    text = (tmp_path / "audiences.yaml").read_text()
    example = text.replace("audiences: []", "audiences:").replace("\n#  ", "\n  ")
    (tmp_path / "audiences.yaml").write_text(example)
    (audience,) = load_audiences(tmp_path).audiences
    assert audience.publication == "hsp"
    assert audience.reviewers == ["bulletin@hollinvale-partnership.org.uk"]
