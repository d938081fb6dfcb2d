"""Each command imports only what it uses: `bulletin build` never loads the Mailchimp SDK,
the charts, the preview's file watcher or the other commands' modules."""

import subprocess
import sys

import click
from support.paths import REPO

from bulletin.cli import COMMANDS, main

NOT_FOR_A_BUILD = (
    "mailchimp_marketing", "matplotlib", "playwright", "watchfiles", "jsonschema", "sqlite3",
    "bulletin.cli.campaigns", "bulletin.cli.audiences", "bulletin.cli.reports",
    "bulletin.campaigns", "bulletin.audiences", "bulletin.mailchimp", "bulletin.preview",
    "bulletin.reports", "bulletin.cli.site", "bulletin.site", "weasyprint",
)  # fmt: skip

PROBE = """
import sys
from bulletin.cli import main
try:
    main(sys.argv[1:-1])
except SystemExit as done:
    assert not done.code, done.code
print(" ".join(sorted(m for m in sys.modules if m.startswith(tuple(sys.argv[-1].split(","))))))
"""


def test_every_named_command_is_that_command():
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert isinstance(command, click.Command) and command.name == name


def test_help_lists_every_command():
    result = subprocess.run(
        [sys.executable, "-m", "bulletin", "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    listed = {
        line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()
    }
    assert listed == set(COMMANDS)


def test_build_imports_only_what_it_uses(tmp_path):
    example = REPO / "examples" / "wscp-2020-12.yaml"
    args = ["build", str(example), "--out", str(tmp_path), ",".join(NOT_FOR_A_BUILD)]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == []
