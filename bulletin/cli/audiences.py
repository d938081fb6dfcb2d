"""Commands for audience managers: audiences, members, unsubscribes and webhooks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from bulletin.cli.common import reports_errors


def _mailchimp() -> Any:
    from bulletin.mailchimp.client import Config, Mailchimp

    return Mailchimp(Config.from_env())


def _locked(root: Path, doing: str) -> Any:
    """The project's lock, held while the command writes to Mailchimp."""
    from bulletin.state import mailchimp_lock

    return mailchimp_lock(root, doing)


def _project() -> tuple[Path, Any]:
    """The folder with audiences.yaml (here or above), and its audiences."""
    from bulletin.document.audiences import audiences_root, require_audiences

    root = audiences_root()
    return root, require_audiences(root)


@click.group()
def audiences() -> None:
    """Keep Mailchimp's audiences in line with audiences.yaml; import members."""


@audiences.command("sync")
@click.argument("audience", required=False)
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option("--prune", is_flag=True, help="Also remove what audiences.yaml does not have.")
@reports_errors
def audiences_sync(audience: str | None, dry_run: bool, prune: bool) -> None:
    """Make Mailchimp's groups, tags, segments and merge fields match audiences.yaml."""
    from bulletin.audiences.sync import sync

    root, known = _project()
    with _locked(root, "audiences sync"):
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
    from bulletin.audiences.member_import import import_members

    root, known = _project()
    chosen = known.get(audience)
    mc = _mailchimp()
    with (
        _locked(root, f"audiences import {audience} {members}"),
        click.progressbar(
            length=members.stat().st_size, label=f"importing {members.name}", file=sys.stderr
        ) as bar,
    ):
        summary = import_members(
            mc, chosen, members, root, tag=tag, progress=bar.update, every=known.audiences
        )
    for problem in summary.problems:
        click.echo(problem, err=True)
    hidden = summary.invalid + summary.failed - len(summary.problems)
    if hidden > 0:
        click.echo(f"... and {hidden:,} more rows like these", err=True)
    if summary.ignored_columns:
        click.echo(f"note: columns not used: {', '.join(summary.ignored_columns)}", err=True)
    if summary.stopped is not None:
        click.echo(summary.stopped_note(), err=True)
    click.echo(summary.report())
    sys.exit(1 if summary.invalid or summary.failed or summary.stopped else 0)


@click.group()
def unsubscribes() -> None:
    """The local suppression list, which every import skips."""


@unsubscribes.command("pull")
@click.argument("audience", required=False)
@reports_errors
def unsubscribes_pull(audience: str | None) -> None:
    """Record each audience's unsubscribed and cleaned addresses in the suppression list."""
    from bulletin.audiences.suppression import Suppressions, pull

    root, known = _project()
    with Suppressions.open(root) as store:
        for line in pull(_mailchimp(), known.chosen(audience), store):
            click.echo(line)


@click.group()
def webhooks() -> None:
    """Receive Mailchimp's unsubscribe events as they happen."""


@webhooks.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="A loopback address.")
@click.option("--port", default=8790, show_default=True, help="Port (0 picks a free one).")
@reports_errors
def webhooks_serve(host: str, port: int) -> None:
    """Take Mailchimp's webhook calls at a secret path and update the suppression list."""
    from bulletin.audiences.webhooks import WebhookServer, secret_path, webhook_secret
    from bulletin.document.audiences import audiences_root

    root = audiences_root()
    secret, made = webhook_secret(root)
    if made:
        click.echo(f"made a new secret (kept in {secret_path(root)}): {secret}")
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
    from bulletin.audiences.webhooks import hook_url, register, webhook_secret

    root, known = _project()
    secret, made = webhook_secret(root)
    if made:
        click.echo(f"made a new secret: {secret}; `webhooks serve` uses it too")
    with _locked(root, "webhooks register"):
        for line in register(_mailchimp(), known.chosen(audience), hook_url(url, secret)):
            click.echo(line)
