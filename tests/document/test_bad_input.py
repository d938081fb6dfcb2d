"""Every bad input gives one line per problem, FILE:LINE:COL, exit status 1, nothing written.

Each file in tests/data/bad/ starts with `# expect:` lines: the exact messages it must give.
"""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import DATA

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
