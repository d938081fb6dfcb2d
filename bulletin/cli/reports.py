"""`bulletin report`: what a sent issue, or every issue of a period, reached."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from bulletin.cli.common import ISSUE, reports_errors
from bulletin.errors import BulletinError


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        message = f"{value!r} is not a date like 2025-04-01"
        raise click.BadParameter(message, param_hint=option) from None


@click.command()
@click.argument("issue", type=ISSUE, required=False)
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of a period (sent on).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the period.")
@click.option(
    "--audience", metavar="NAME", help="Audience in audiences.yaml (default: the publication's)."
)
@click.option("--refresh", is_flag=True, help="Fetch again reports kept in .bulletin/.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write CSV, JSON, charts (SVG, PNG) and an HTML page into this folder.",
)
@click.option(
    "--tz", default="Europe/London", show_default=True, help="Time zone of the period's days."
)
@reports_errors
def report(
    issue: Path | None,
    start: str | None,
    end: str | None,
    audience: str | None,
    refresh: bool,
    out: Path | None,
    tz: str,
) -> None:
    """What ISSUE.yaml reached (or every issue sent --from a day --to a day): aggregate only."""
    from bulletin.campaigns.push import open_dispatcher
    from bulletin.campaigns.sendtime import zone
    from bulletin.campaigns.status import project_root

    zone(tz)
    first, last = _day(start, "--from"), _day(end, "--to")
    if issue is not None and (first or last):
        raise click.UsageError("give ISSUE.yaml, or --from and --to, not both")
    if issue is None and not (first and last):
        raise click.UsageError("give ISSUE.yaml, or a period with --from and --to")
    if issue is not None and not issue.is_file():
        raise BulletinError(f"{issue}: no such file")
    root = project_root(issue)
    dispatcher = open_dispatcher(root)
    if issue is not None:
        from bulletin.reports.issue import report_issue
        from bulletin.reports.text import issue_text

        found = report_issue(dispatcher, issue, audience, refresh=refresh)
        click.echo(issue_text(found))
        if out is not None:
            from bulletin.reports.exports import write_issue

            written = write_issue(found, out)
            click.echo(f"\nwrote {', '.join(str(p) for p in written)}")
        click.echo(_cost(found.calls))
        return
    assert first is not None and last is not None
    if last < first:
        raise click.BadParameter("the period ends before it begins", param_hint="--to")
    from bulletin.reports.period import period_report
    from bulletin.reports.text import period_text

    period = period_report(dispatcher, root, first, last, audience=audience, refresh=refresh, tz=tz)
    click.echo(period_text(period))
    if out is not None:
        from bulletin.reports.exports import write_period

        written = write_period(period, out)
        click.echo(f"\nwrote {', '.join(str(p) for p in written)}")
    click.echo(_cost(period.calls))


def _cost(calls: int) -> str:
    return f"({calls:,} Mailchimp call{'s' if calls != 1 else ''})"
