"""`bulletin --help` answers from bulletin/cli/help.txt without importing click or the
commands: the text must be click's own, to the byte, wherever the quick path is taken.

`BULLETIN_UPDATE_GOLDENS=1` (`make goldens`) rewrites help.txt from the commands.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import bulletin.__main__ as entry

SCRIPT = Path(sys.executable).parent / "bulletin"  # the console script pip installed


def run(command: list[str], columns: str | None) -> subprocess.CompletedProcess[str]:
    """`command` in a process of its own, $COLUMNS as given (None: unset), stdin no terminal."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run(
        command, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL
    )


def clicks(*args: str, columns: str | None = None) -> str:
    """What click itself prints for `bulletin ARGS` in a process of its own."""
    code = "from bulletin.cli import main; main(prog_name='bulletin')"
    result = run([sys.executable, "-c", code, *args], columns)
    assert result.returncode == 0, result.stderr
    return result.stdout


def run_script(*args: str, columns: str | None) -> subprocess.CompletedProcess[str]:
    return run([str(SCRIPT), *args], columns)


def test_the_stored_help_is_click_s_own():
    expected = clicks("--help", columns=str(entry.HELP_COLUMNS))
    stored = Path(entry.HELP)
    if os.environ.get("BULLETIN_UPDATE_GOLDENS"):
        stored.write_text(expected, encoding="ascii")
    assert stored.read_text(encoding="ascii") == expected, "run `make goldens`"


@pytest.mark.parametrize("flag", ["--help", "-h"])
@pytest.mark.parametrize("columns", [None, "80", "200", "not a number"])
def test_the_console_script_prints_click_s_help(flag: str, columns: str | None):
    result = run_script(flag, columns=columns)  # no terminal here: 80 columns, as click takes
    assert result.returncode == 0, result.stderr
    assert result.stdout == clicks(flag, columns=columns)
    assert result.stderr == ""


def test_a_narrow_terminal_gets_help_wrapped_to_it():
    result = run_script("--help", columns="60")
    assert result.returncode == 0, result.stderr
    assert result.stdout == clicks("--help", columns="60") != clicks("--help", columns="80")


def test_the_quick_path_imports_neither_click_nor_the_commands():
    probe = (
        "import sys; sys.argv = ['/usr/local/bin/bulletin', '--help']; "
        "from bulletin.__main__ import main; main(); "
        "print(sorted(m for m in sys.modules if m == 'click' or m.startswith('bulletin.')), "
        "file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == clicks("--help")
    assert result.stderr.strip() == "['bulletin.__main__']"


def test_anything_else_goes_to_the_commands():
    for args in (["--version"], ["--help", "build"], ["build", "--help"]):
        result = run_script(*args, columns=None)
        assert result.returncode == 0, result.stderr
        assert result.stdout == clicks(*args)


def test_a_reader_that_went_away_gets_no_traceback():
    """`bulletin --help | head -0`: the pipe is closed before the help is written."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [str(SCRIPT), "--help"], stdout=write, stderr=subprocess.PIPE, text=True
        )
    finally:
        os.close(write)
    assert done.returncode == 1
    assert done.stderr == ""
