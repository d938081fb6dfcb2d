"""Who may read what bulletin writes: state holding addresses or secrets is its owner's alone;
what is made to be shared (a built email, web pages, a new project) follows the user's umask,
so a web server or a colleague on the same drive can read it."""

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import REPO
from support.projects import INIT_ANSWERS

from bulletin.cli import main
from bulletin.files import write_atomically


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_state_file_is_its_owners_alone_and_a_shared_one_follows_the_umask(
    tmp_path: Path, umask_022
):
    write_atomically({tmp_path / "state.json": "{}"})
    write_atomically(
        {tmp_path / "page.html": "<p>hi</p>", tmp_path / "a.png": b"\x89PNG"}, shared=True
    )
    assert mode(tmp_path / "state.json") == 0o600
    assert mode(tmp_path / "page.html") == mode(tmp_path / "a.png") == 0o644
    os.umask(0o077)
    write_atomically({tmp_path / "page.html": "<p>again</p>"}, shared=True)
    assert mode(tmp_path / "page.html") == 0o600  # a stricter umask is kept


def test_a_build_a_site_and_a_new_project_are_readable_by_others(
    tmp_path: Path, umask_022, monkeypatch
):
    runner = CliRunner()
    example = REPO / "examples" / "herefordshire-2020-11.yaml"
    built = runner.invoke(main, ["build", str(example), "--out", str(tmp_path / "build")])
    assert built.exit_code == 0, built.output
    project = tmp_path / "project"
    made = runner.invoke(
        main,
        ["init", str(project), "--no-prompt", *INIT_ANSWERS],
    )
    assert made.exit_code == 0, made.output
    monkeypatch.chdir(REPO)  # `site` publishes the project in the current folder
    site = tmp_path / "site"
    published = runner.invoke(main, ["site", "--out", str(site)])
    assert published.exit_code == 0, published.output
    written = [*(tmp_path / "build").iterdir(), *project.rglob("*.yaml"), project / "README.md"]
    written += [p for p in site.rglob("*") if p.is_file()]
    assert written and {str(p): mode(p) for p in written if p.is_file()} == {
        str(p): 0o644 for p in written if p.is_file()
    }
