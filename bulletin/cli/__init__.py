"""The `bulletin` command. Each command is a few lines over the library; errors are one line.

Commands live in four modules by who uses them; this is the one place that gathers them.
"""

from __future__ import annotations

import click

from bulletin.cli import audiences, campaigns, issues, reports, site


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bulletin")
def main() -> None:
    """Write a safeguarding partnership's email bulletin in YAML, preview it, send it."""


for command in (
    issues.build,
    issues.check,
    issues.new,
    issues.schema,
    issues.preview,
    campaigns.push,
    campaigns.send_tests,
    campaigns.schedule,
    campaigns.unschedule,
    campaigns.send,
    campaigns.status,
    reports.report,
    site.site,
    site.pdf,
    issues.rules,
    issues.sections,
    audiences.audiences,
    audiences.unsubscribes,
    audiences.webhooks,
):
    main.add_command(command)
