"""The `bulletin` command. Each command is a few lines over the library; errors are one line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from bulletin.errors import BulletinError, ContentError

F = TypeVar("F", bound=Callable[..., Any])

ISSUE = click.Path(exists=False, dir_okay=False, path_type=Path)


def reports_errors(func: F) -> F:
    """Turn our errors into `FILE:LINE:COL: error: ...` lines and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ContentError as err:
            from bulletin.report import as_text

            outcome = getattr(err, "outcome", "nothing written")
            click.echo(f"{as_text(err.problems)}, {outcome}", err=True)
            sys.exit(1)
        except BulletinError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(1)
        except OSError as err:  # an unwritable output folder, a full disk
            click.echo(f"error: {err.filename or ''}: {err.strerror or err}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bulletin")
def main() -> None:
    """Write a safeguarding partnership's email bulletin in YAML, preview it, send it."""


@main.command()
@click.argument("issue", type=ISSUE)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder for the .html and .txt files.",
)
@reports_errors
def build(issue: Path, out: Path) -> None:
    """Render ISSUE.yaml to OUT/<name>.html and OUT/<name>.txt."""
    from bulletin.build import build as build_issue
    from bulletin.report import as_text

    built = build_issue(issue, out)
    if built.warnings:
        click.echo(as_text(built.warnings), err=True)
    click.echo(f"wrote {built.html_path} ({len(built.rendered.html.encode()):,} bytes)")
    click.echo(f"wrote {built.text_path} ({len(built.rendered.text.encode()):,} bytes)")


@main.command()
@click.argument("issue", type=ISSUE)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Compiler-style lines, or a JSON list of findings.",
)
@click.option("--online", is_flag=True, help="Also fetch every link to see that it works.")
@reports_errors
def check(issue: Path, strict: bool, output: str, online: bool) -> None:
    """Find every problem in ISSUE.yaml and its rendered email; exit 1 on errors."""
    from bulletin.checks import check_issue
    from bulletin.report import as_json, as_text

    problems, rendered = check_issue(issue, online=online)
    click.echo(as_json(problems) if output == "json" else as_text(problems))
    if output == "text" and not online and rendered is not None:
        from bulletin.checks.links import unchecked_count

        if count := unchecked_count(issue, rendered):
            click.echo(f"{count} link{'s' * (count != 1)} not checked (use --online to check them)")
    failing = {"error", "warning"} if strict else {"error"}
    sys.exit(1 if any(p.severity in failing for p in problems) else 0)


@main.command()
@click.argument("path", type=ISSUE)
@click.option("--from", "previous", type=ISSUE, help="Start from this earlier issue.")
@reports_errors
def new(path: Path, previous: Path | None) -> None:
    """Start a new issue at PATH (a skeleton, or --from the last one)."""
    from bulletin.newissue import create

    create(path, previous)
    click.echo(f"created {path}")


@main.command()
@click.option("--issue", "issue", type=ISSUE, help="Use the section types of this issue's project.")
@reports_errors
def schema(issue: Path | None) -> None:
    """Print the JSON Schema of issues, for editors."""
    import json

    from bulletin.schema import issue_schema

    click.echo(json.dumps(issue_schema(issue), indent=2))


@main.command()
@click.argument("issue", type=ISSUE)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, help="Port (0 picks a free one).")
@click.option("--no-open", is_flag=True, help="Do not open a browser.")
@reports_errors
def preview(issue: Path, host: str, port: int, no_open: bool) -> None:
    """Show ISSUE.yaml in the browser, re-rendered on every save."""
    import webbrowser

    from bulletin.preview import PreviewServer

    if not issue.is_file():
        raise BulletinError(f"{issue}: no such file")
    with PreviewServer(issue, host, port) as server:
        click.echo(f"previewing {issue} at {server.url} (Ctrl-C to stop)")
        if not no_open:
            webbrowser.open(server.url)
        server.wait()
    click.echo("stopped")


AUDIENCE = click.option(
    "--audience", metavar="NAME", help="Audience in audiences.yaml (default: the publication's)."
)
TZ = click.option(
    "--tz",
    default="Europe/London",
    show_default=True,
    help="Time zone of the times given and shown.",
)


def _campaign(issue: Path, audience: str | None) -> tuple[Any, Any]:
    """The dispatcher and the checked issue; warnings printed, errors raised."""
    from bulletin.dispatch import open_dispatcher
    from bulletin.payload import prepare
    from bulletin.project import find_root
    from bulletin.report import as_text

    if not issue.is_file():
        raise BulletinError(f"{issue}: no such file")
    dispatcher = open_dispatcher(find_root(issue))  # a missing key fails before any work
    payload = prepare(issue, audience)
    if payload.warnings:
        click.echo(as_text(payload.warnings), err=True)
    return dispatcher, payload


@main.command()
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
    from dataclasses import replace

    dispatcher, payload = _campaign(issue, audience)
    if tag or interests or everyone:
        if everyone and (tag or interests):
            raise BulletinError("--everyone goes alone, without --tag or --interest")
        from bulletin.targeting import build_target

        target = build_target(dispatcher.mc, payload.audience, tag=tag, interests=interests)
        payload = replace(payload, segment_opts=target.segment_opts, keep_targeting=False)
        click.echo(f"targeting {target.description}")
    done = dispatcher.push(payload)
    who = f"{done.recipients:,} recipients of {payload.audience.name}"
    if done.action == "unchanged":
        click.echo(f"campaign {done.campaign['id']} is up to date ({who}): nothing to push")
    elif done.action == "created":
        click.echo(f"created campaign {done.campaign['id']} for {who}")
    else:
        click.echo(f"updated campaign {done.campaign['id']} for {who}: {', '.join(done.changed)}")


@main.command("test-send")
@click.argument("issue", type=ISSUE)
@click.option(
    "--to", "to", multiple=True, metavar="EMAIL", help="Send to (repeat; default: reviewers)."
)
@AUDIENCE
@reports_errors
def send_tests(issue: Path, to: tuple[str, ...], audience: str | None) -> None:
    """Send HTML and plain-text tests of the pushed campaign to the reviewers."""
    from bulletin.sending import send_test

    dispatcher, payload = _campaign(issue, audience)
    sent = send_test(dispatcher, payload, list(to) or None)
    click.echo(f"sent HTML and plain-text tests to {', '.join(sent)}")


@main.command()
@click.argument("issue", type=ISSUE)
@click.option("--at", "at", required=True, metavar="'YYYY-MM-DD HH:MM'", help="Local send time.")
@TZ
@AUDIENCE
@reports_errors
def schedule(issue: Path, at: str, tz: str, audience: str | None) -> None:
    """Book the campaign's send for a local time, on the quarter hour."""
    from bulletin.sending import schedule as book
    from bulletin.sendtime import local, send_time

    moment = send_time(at, tz)
    dispatcher, payload = _campaign(issue, audience)
    ready, booked = book(dispatcher, payload, moment)
    when = f"{local(moment, tz)} ({moment:%H:%M} UTC)"
    click.echo(f"{'scheduled' if booked else 'already scheduled'}: {ready.describe()}, {when}")


@main.command()
@click.argument("issue", type=ISSUE)
@TZ
@AUDIENCE
@reports_errors
def unschedule(issue: Path, tz: str, audience: str | None) -> None:
    """Take the campaign's scheduled send off; it stays in Mailchimp as a draft."""
    from bulletin.dispatch import open_dispatcher
    from bulletin.project import find_root
    from bulletin.sending import unschedule as unbook
    from bulletin.sendtime import local

    if not issue.is_file():
        raise BulletinError(f"{issue}: no such file")
    was = unbook(open_dispatcher(find_root(issue)), issue, audience)  # even if the issue is broken
    if was is None:
        click.echo("the campaign was not scheduled: nothing to do")
    else:
        click.echo(f"unscheduled: the send booked for {local(was, tz)} is off (the campaign stays)")


@main.command()
@click.argument("issue", type=ISSUE)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@AUDIENCE
@reports_errors
def send(issue: Path, yes: bool, audience: str | None) -> None:
    """Send the campaign now, after a confirmation."""
    from bulletin.sending import ready_to_send
    from bulletin.sending import send as send_now

    dispatcher, payload = _campaign(issue, audience)
    ready = ready_to_send(dispatcher, payload)
    if not yes:
        click.confirm(f"Send {ready.describe()} now?", abort=True)
    send_now(dispatcher, ready)
    click.echo(f"sending {ready.describe()}")


@main.command()
@click.argument("issue", type=ISSUE, required=False)
@TZ
@reports_errors
def status(issue: Path | None, tz: str) -> None:
    """Show each issue's campaign: status, schedule, recipients, whether it is current."""
    from bulletin.dispatch import open_dispatcher
    from bulletin.sendtime import zone
    from bulletin.status import project_root, status_rows, table

    zone(tz)
    if issue is not None and not issue.is_file():
        raise BulletinError(f"{issue}: no such file")
    root = project_root(issue)
    click.echo(table(status_rows(open_dispatcher(root), root, issue, tz)))


@main.command()
def rules() -> None:
    """List the check rules as a Markdown table (the README's)."""
    from bulletin.checks import all_rules
    from bulletin.report import rules_table

    click.echo(rules_table(all_rules()))


# -- Audiences, members, unsubscribes and webhooks ------------------------------------------------


def _mailchimp() -> Any:
    from bulletin.mailchimp import Config, Mailchimp

    return Mailchimp(Config.from_env())


def _project() -> tuple[Path, Any]:
    """The folder with audiences.yaml (here or above), and its audiences."""
    from bulletin.audiences import audiences_root, require_audiences

    root = audiences_root()
    return root, require_audiences(root)


@main.group()
def audiences() -> None:
    """Keep Mailchimp's audiences in line with audiences.yaml; import members."""


@audiences.command("sync")
@click.argument("audience", required=False)
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option("--prune", is_flag=True, help="Also remove what audiences.yaml does not have.")
@reports_errors
def audiences_sync(audience: str | None, dry_run: bool, prune: bool) -> None:
    """Make Mailchimp's groups, tags, segments and merge fields match audiences.yaml."""
    from bulletin.audience_sync import sync

    root, known = _project()
    result = sync(_mailchimp(), known.chosen(audience), root, dry_run=dry_run, prune=prune)
    for line in result.lines:
        click.echo(line)
    done = "to make" if dry_run else "made"
    click.echo(
        f"{result.changes} change{'s' * (result.changes != 1)} {done}, "
        f"{result.extras} extra{'s' * (result.extras != 1)} in Mailchimp kept"
    )
    if result.unsure:
        click.echo(f"{result.unsure} item(s) need your attention: see the notes above", err=True)
        sys.exit(1)


@audiences.command("import")
@click.argument("audience")
@click.argument("members", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tag", help="Also tag every imported member with this partner list.")
@reports_errors
def audiences_import(audience: str, members: Path, tag: str | None) -> None:
    """Import MEMBERS (a CSV) into AUDIENCE; nobody who unsubscribed is subscribed again."""
    from bulletin.member_import import import_members

    root, known = _project()
    chosen = known.get(audience)
    mc = _mailchimp()
    with click.progressbar(
        length=members.stat().st_size, label=f"importing {members.name}", file=sys.stderr
    ) as bar:
        summary = import_members(mc, chosen, members, root, tag=tag, progress=bar.update)
    for problem in summary.problems:
        click.echo(problem, err=True)
    hidden = summary.invalid + summary.failed - len(summary.problems)
    if hidden > 0:
        click.echo(f"... and {hidden:,} more rows like these", err=True)
    if summary.ignored_columns:
        click.echo(f"note: columns not used: {', '.join(summary.ignored_columns)}", err=True)
    click.echo(summary.report())
    sys.exit(1 if summary.invalid or summary.failed else 0)


@main.group()
def unsubscribes() -> None:
    """The local suppression list, which every import skips."""


@unsubscribes.command("pull")
@click.argument("audience", required=False)
@reports_errors
def unsubscribes_pull(audience: str | None) -> None:
    """Record each audience's unsubscribed and cleaned addresses in the suppression list."""
    from bulletin.suppression import Suppressions, pull

    root, known = _project()
    with Suppressions.open(root) as store:
        for line in pull(_mailchimp(), known.chosen(audience), store):
            click.echo(line)


@main.group()
def webhooks() -> None:
    """Receive Mailchimp's unsubscribe events as they happen."""


@webhooks.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address.")
@click.option("--port", default=8790, show_default=True, help="Port (0 picks a free one).")
@reports_errors
def webhooks_serve(host: str, port: int) -> None:
    """Take Mailchimp's webhook calls at a secret path and update the suppression list."""
    from bulletin.audiences import audiences_root
    from bulletin.webhooks import SECRET_FILE, WebhookServer, webhook_secret

    root = audiences_root()
    secret, made = webhook_secret(root)
    if made:
        click.echo(f"made a new secret (kept in {root / SECRET_FILE}): {secret}")
    with WebhookServer(root, secret, host, port, log=click.echo) as server:
        shown = server.url.replace(secret, "<secret>")
        click.echo(f"receiving Mailchimp's webhooks at {shown} (Ctrl-C to stop)")
        server.wait()
    click.echo("stopped")


@webhooks.command("register")
@click.argument("url")
@click.argument("audience", required=False)
@reports_errors
def webhooks_register(url: str, audience: str | None) -> None:
    """Ask Mailchimp to post unsubscribes to URL (the public address of `webhooks serve`)."""
    from bulletin.webhooks import hook_url, register, webhook_secret

    root, known = _project()
    secret, made = webhook_secret(root)
    if made:
        click.echo(f"made a new secret: {secret}; `webhooks serve` uses it too")
    for line in register(_mailchimp(), known.chosen(audience), hook_url(url, secret)):
        click.echo(line)
