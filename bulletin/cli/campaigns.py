"""Commands that put an issue's campaign in Mailchimp and send it.

Each that writes to Mailchimp holds the project's lock (`state.mailchimp_lock`) throughout,
so two of them (two terminals, a script and a person) never interleave.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from bulletin.cli.common import ISSUE, reports_errors
from bulletin.errors import BulletinError

AUDIENCE = click.option(
    "--audience", metavar="NAME", help="Audience in audiences.yaml (default: the publication's)."
)
RESEND = click.option(
    "--resend",
    is_flag=True,
    help="Go ahead even if a campaign with this subject and preview text has gone to the audience.",
)
TZ = click.option(
    "--tz",
    default="Europe/London",
    show_default=True,
    help="Time zone of the times given and shown.",
)


def _note(message: str) -> None:
    click.echo(f"note: {message}", err=True)


@contextmanager
def _locked(issue: Path, doing: str) -> Iterator[Path]:
    """The issue's project, its lock held while the command works with Mailchimp."""
    from bulletin.document.project import find_root
    from bulletin.state import mailchimp_lock

    if not issue.is_file():
        raise BulletinError(f"{issue}: no such file")
    root = find_root(issue)
    with mailchimp_lock(root, f"{doing} {issue}"):
        yield root


def _dispatcher(root: Path, *, writing: bool = True) -> Any:
    """The dispatcher, its ledger checked (and rebuilt from Mailchimp if it was damaged)."""
    from bulletin.campaigns.push import open_dispatcher

    dispatcher = open_dispatcher(root, writing=writing, on_note=_note)
    if dispatcher.ledger.damaged:
        from bulletin.campaigns.rebuild import rebuild, rebuilt_note

        _note(rebuilt_note(rebuild(dispatcher, root)))
    return dispatcher


def _campaign(issue: Path, root: Path, audience: str | None) -> tuple[Any, Any]:
    """The dispatcher and the checked issue; warnings printed, errors raised."""
    from bulletin.campaigns.uploads import host_files
    from bulletin.campaigns.wanted import wanted_campaign
    from bulletin.checks.findings import as_text

    dispatcher = _dispatcher(root)  # a missing key or unwritable ledger fails before any work
    wanted = wanted_campaign(
        issue, audience, host=lambda files: host_files(dispatcher.mc, root, files, _note)
    )
    if wanted.warnings:
        click.echo(as_text(wanted.warnings), err=True)
    return dispatcher, wanted


@click.command()
@click.argument("issue", type=ISSUE)
@AUDIENCE
@click.option("--tag", metavar="NAME", help="Only this partner list (a tag or saved segment).")
@click.option(
    "--interest",
    "interests",
    multiple=True,
    metavar="GROUP",
    help="Only readers who chose this group (repeat; `Category:Group` if ambiguous).",
)
@click.option("--everyone", is_flag=True, help="The whole audience, dropping any targeting.")
@reports_errors
def push(
    issue: Path, audience: str | None, tag: str | None, interests: tuple[str, ...], everyone: bool
) -> None:
    """Create or update ISSUE.yaml's Mailchimp campaign (never a second one)."""
    with _locked(issue, "push") as root:
        _push(issue, root, audience, tag, interests, everyone)


def _push(
    issue: Path,
    root: Path,
    audience: str | None,
    tag: str | None,
    interests: tuple[str, ...],
    everyone: bool,
) -> None:
    from dataclasses import replace

    dispatcher, wanted = _campaign(issue, root, audience)
    if tag or interests or everyone:
        if everyone and (tag or interests):
            raise BulletinError("--everyone goes alone, without --tag or --interest")
        from bulletin.campaigns.targeting import build_target

        target = build_target(dispatcher.mc, wanted.audience, tag=tag, interests=interests)
        wanted = replace(wanted, segment_opts=target.segment_opts, keep_targeting=False)
        click.echo(f"targeting {target.description}")
    done = dispatcher.push(wanted)
    who = f"{done.recipients:,} recipients of {wanted.audience.name}"
    if done.action == "unchanged":
        click.echo(f"campaign {done.campaign['id']} is up to date ({who}): nothing to push")
    elif done.action == "created":
        click.echo(f"created campaign {done.campaign['id']} for {who}")
    else:
        click.echo(f"updated campaign {done.campaign['id']} for {who}: {', '.join(done.changed)}")


@click.command("test-send")
@click.argument("issue", type=ISSUE)
@click.option(
    "--to", "to", multiple=True, metavar="EMAIL", help="Send to (repeat; default: reviewers)."
)
@AUDIENCE
@click.option(
    "--again", is_flag=True, help="Send even though the last test got no answer (it may have gone)."
)
@reports_errors
def send_tests(issue: Path, to: tuple[str, ...], audience: str | None, again: bool) -> None:
    """Send HTML and plain-text tests of the pushed campaign to the reviewers."""
    from bulletin.campaigns.sending import send_test

    with _locked(issue, "test-send") as root:
        dispatcher, wanted = _campaign(issue, root, audience)
        sent = send_test(dispatcher, wanted, list(to) or None, again=again)
    click.echo(f"sent HTML and plain-text tests to {', '.join(sent)}")


@click.command()
@click.argument("issue", type=ISSUE)
@click.option("--at", "at", required=True, metavar="'YYYY-MM-DD HH:MM'", help="Local send time.")
@TZ
@AUDIENCE
@RESEND
@reports_errors
def schedule(issue: Path, at: str, tz: str, audience: str | None, resend: bool) -> None:
    """Book the campaign's send for a local time, on the quarter hour."""
    from bulletin.campaigns.sending import schedule as book
    from bulletin.campaigns.sendtime import local, send_time

    moment = send_time(at, tz)
    with _locked(issue, "schedule") as root:
        dispatcher, wanted = _campaign(issue, root, audience)
        ready, booked = book(dispatcher, wanted, moment, resend=resend)
    when = f"{local(moment, tz)} ({moment:%H:%M} UTC)"
    click.echo(f"{'scheduled' if booked else 'already scheduled'}: {ready.describe()}, {when}")


@click.command()
@click.argument("issue", type=ISSUE)
@TZ
@AUDIENCE
@reports_errors
def unschedule(issue: Path, tz: str, audience: str | None) -> None:
    """Take the campaign's scheduled send off; it stays in Mailchimp as a draft."""
    from bulletin.campaigns.sending import unschedule as unbook
    from bulletin.campaigns.sendtime import local

    with _locked(issue, "unschedule") as root:
        was = unbook(_dispatcher(root), issue, audience)  # even if the issue is broken
    if was is None:
        click.echo("the campaign was not scheduled: nothing to do")
    else:
        click.echo(f"unscheduled: the send booked for {local(was, tz)} is off (the campaign stays)")


@click.command()
@click.argument("issue", type=ISSUE)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@AUDIENCE
@RESEND
@reports_errors
def send(issue: Path, yes: bool, audience: str | None, resend: bool) -> None:
    """Send the campaign now, after a confirmation."""
    from bulletin.campaigns.sending import ready_to_send
    from bulletin.campaigns.sending import send as send_now

    with _locked(issue, "send") as root:
        dispatcher, wanted = _campaign(issue, root, audience)
        ready = ready_to_send(dispatcher, wanted, resend=resend)
        if not yes:
            click.confirm(f"Send {ready.describe()} now?", abort=True)
        send_now(dispatcher, ready)
    click.echo(f"sending {ready.describe()}")


@click.command()
@click.argument("issue", type=ISSUE, required=False)
@TZ
@reports_errors
def status(issue: Path | None, tz: str) -> None:
    """Show each issue's campaign: status, schedule, recipients, whether it is current."""
    from bulletin.campaigns.sendtime import zone
    from bulletin.campaigns.status import project_root, status_rows, table

    zone(tz)
    if issue is not None and not issue.is_file():
        raise BulletinError(f"{issue}: no such file")
    root = project_root(issue)
    click.echo(table(status_rows(_dispatcher(root, writing=False), root, issue, tz)))
