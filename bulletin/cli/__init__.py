"""The `bulletin` command. Each command is a few lines over the library; errors are one line.

Commands live in modules by who uses them; `COMMANDS` is the one place that names them, each
as "module:function" in this package. A command's module is imported only when that command
runs (or `--help` lists it), so `bulletin build` never pays for the Mailchimp commands' imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

import click

COMMANDS = {
    "build": "issues:build",
    "check": "issues:check",
    "init": "project:init",
    "new": "issues:new",
    "schema": "issues:schema",
    "preview": "issues:preview",
    "push": "campaigns:push",
    "test-send": "campaigns:send_tests",
    "schedule": "campaigns:schedule",
    "unschedule": "campaigns:unschedule",
    "send": "campaigns:send",
    "status": "campaigns:status",
    "report": "reports:report",
    "site": "site:site",
    "pdf": "site:pdf",
    "rules": "issues:rules",
    "sections": "issues:sections",
    "audiences": "audiences:audiences",
    "unsubscribes": "audiences:unsubscribes",
    "webhooks": "audiences:webhooks",
}


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands by name, each imported from its "module:function" when first used."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = dict(where)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, _, function = self._where[name].partition(":")
            command = getattr(importlib.import_module(f"{__name__}.{module}"), function)
            if not isinstance(command, click.Command) or command.name != name:
                raise TypeError(f"{self._where[name]} is not the command '{name}'")
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._where.pop(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if self._where.pop(name, None) is None:
            del self._loaded[name]
        else:
            self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter({**self._where, **self._loaded})

    def __len__(self) -> int:
        return len({**self._where, **self._loaded})


@click.group(
    commands=LazyCommands(COMMANDS), context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="bulletin")
def main() -> None:
    """Write a safeguarding partnership's email bulletin in YAML, preview it, send it."""
