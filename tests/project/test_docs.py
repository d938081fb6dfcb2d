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


def test_the_sections_tables_are_current():
    """Every section type and field, its type and whether it is required, as the models say."""
    from bulletin.document.project import load_project
    from bulletin.document.reference import sections_table

    types = load_project(BUILTIN_ROOT).section_types.values()
    table = README.split("<!-- sections:", 1)[1].split("-->", 1)[1].split("<!-- /sections -->")[0]
    assert table.strip() == sections_table([t.model for t in types]), (
        "run `bulletin sections` and paste it in"
    )


def test_the_sections_table_names_every_field_of_every_type():
    """The generated table is not a stub: each field of each model is in its row, with its type."""
    from bulletin.document.project import load_project
    from bulletin.document.reference import own_fields, type_name

    for name, section in load_project(BUILTIN_ROOT).section_types.items():
        (row,) = [line for line in README.splitlines() if line.startswith(f"| `{name}` |")]
        for field, info in own_fields(section.model).items():
            written = f"**`{field}`**" if info.is_required() else f"`{field}`"
            hint = info.annotation
            assert f"{written} " in row, f"{name}.{field} is not in the sections table"
            assert type_name(hint).split(" ")[0] in row, f"{name}.{field}: no type"


def test_every_required_field_says_what_it_is_for():
    """A missing field's error message quotes its description: every required one has one."""
    from bulletin.document.models import IssueBase, Publication
    from bulletin.document.project import load_project
    from bulletin.document.reference import parts

    models = [t.model for t in load_project(BUILTIN_ROOT).section_types.values()]
    for model in [*models, *parts(models), IssueBase, Publication]:
        for field, info in model.model_fields.items():
            if info.is_required() and field != "type":
                assert info.description, f"{model.__name__}.{field} has no description"
