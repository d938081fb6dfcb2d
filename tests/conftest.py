"""Shared fixtures: a throwaway project with its own publication, for rendering tests."""

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the test publication; write issues into it."""
    shutil.copytree(DATA / "bad" / "publications", tmp_path / "publications")
    return tmp_path


def write_issue(folder: Path, sections: str, name: str = "issue.yaml", **meta: str) -> Path:
    header = {
        "publication": "test",
        "date": "2020-12-04",
        "title": "Test Bulletin",
        "subject": "Test subject",
        "preview": "Test preview text",
        **meta,
    }
    text = "".join(f"{key}: {value}\n" for key, value in header.items())
    path = folder / name
    path.write_text(text + "sections:\n" + sections, encoding="utf-8")
    return path
