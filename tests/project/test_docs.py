"""The README documents every section type and every command, so neither can go unexplained."""

import re
from collections.abc import Iterator

import click
from support.paths import REPO

from bulletin.cli import main
from bulletin.document.project import BUILTIN_ROOT

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_section_type_has_a_row_in_the_sections_table():
    types = sorted(p.name for p in (BUILTIN_ROOT / "sections").iterdir() if p.is_dir())
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", README, re.MULTILINE))
    assert set(types) <= documented, set(types) - documented


def _commands(group: click.Group, prefix: str = "bulletin") -> Iterator[tuple[str, click.Command]]:
    """Every command a user can run, a group's subcommands each on their own."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def test_every_command_and_option_is_in_the_commands_table():
    for name, command in _commands(main):
        rows = [
            line for line in README.splitlines() if re.match(rf"\| `{re.escape(name)}[ `]", line)
        ]
        assert rows, f"{name} is not documented"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in rows[0], f"{opt} of {name} is not documented"


def test_quick_start_has_exactly_two_commands():
    quick = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in quick.strip().splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make demo", "make test"]


def test_the_rules_table_is_current():
    from bulletin.checks import all_rules
    from bulletin.checks.findings import rules_table

    table = README.split("<!-- rules:", 1)[1].split("-->", 1)[1].split("<!-- /rules -->")[0]
    assert table.strip() == rules_table(all_rules()), "run `bulletin rules` and paste it in"


def test_every_rule_has_an_id_a_severity_and_help():
    from bulletin.checks import all_rules

    rules = all_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    for r in rules:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", r.id), r.id
        assert r.severity in ("error", "warning")
        assert r.catches and r.fix
