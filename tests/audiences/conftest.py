"""Fixtures of the audience tests: a project folder with the test audiences.yaml."""

from pathlib import Path

import pytest
from support.audiences import make_project


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")
