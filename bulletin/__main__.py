"""`bulletin` and `python -m bulletin`: the commands, and `bulletin --help` without them.

`bulletin --help` is what a newcomer types first, and importing click (about 40 ms) and the
command listing (about 15 ms) would take it past 80 ms. Typed as `bulletin`, at a terminal
80 columns wide or more, it prints the text click wrote at that width (`cli/help.txt`, kept
identical by tests/cli/test_quick_help.py); everything else goes to the commands.
"""

import os
import sys

HELP = os.path.join(os.path.dirname(__file__), "cli", "help.txt")
HELP_COLUMNS = 80  # click wraps help to the terminal's width, never wider than 80 columns


def main() -> None:
    if sys.argv[1:] in (["--help"], ["-h"]) and _typed_as_bulletin() and _columns() >= HELP_COLUMNS:
        with open(HELP, encoding="ascii") as stored:
            text = stored.read()
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # `bulletin --help | head -3`: as click, quietly
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - flushed at exit, never closed
            sys.exit(1)
        return
    from bulletin.cli import main as commands

    commands()


def _typed_as_bulletin() -> bool:
    """Click names the program after how it was started (`python -m bulletin` otherwise)."""
    return os.path.basename(sys.argv[0]) == "bulletin"


def _columns() -> int:
    """The terminal's width as `shutil.get_terminal_size()` gives it to click, without
    importing shutil (14 ms): $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or HELP_COLUMNS


if __name__ == "__main__":
    main()
