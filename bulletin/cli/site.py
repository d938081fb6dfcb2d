"""The web edition's commands: `bulletin site` (every issue of the project) and `bulletin pdf`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from bulletin.cli.common import ISSUE, reports_errors
from bulletin.errors import BulletinError


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder for the web edition, one folder per publication inside.",
)
@click.option("--public-only", is_flag=True, help="Leave out sections for some readers only.")
@click.option("--pdf", is_flag=True, help="Also write a PDF of each issue.")
@click.option("--publication", help="Only this publication's issues.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="calendar.ics holds what ends on or after this day  [default: today]",
)
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only issues dated on or before this day; later ones are drafts  [default: today]",
)
@reports_errors
def site(
    out: Path,
    public_only: bool,
    pdf: bool,
    publication: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> None:
    """Build the web edition of the issues dated up to today."""
    from bulletin.document.project import NO_PROJECT, nearest_root
    from bulletin.site.build import build_site

    root = nearest_root(Path.cwd())
    if root is None:
        raise BulletinError(NO_PROJECT)
    built = build_site(
        root,
        out,
        public_only=public_only,
        pdf=pdf,
        since=since.date() if since else None,
        until=until.date() if until else None,
        publication=publication,
    )
    click.echo(f"{len(built.files)} files in {out}, {len(built.written)} written")
    for b in built.held_back:
        click.echo(
            f"held back {b.path.relative_to(root)}: dated {b.issue.date:%Y-%m-%d}, after"
            f" {built.until:%Y-%m-%d} (--until {b.issue.date:%Y-%m-%d} puts it on)"
        )
    for page in built.stale:
        click.echo(f"warning: {page} is from a held-back issue: delete it before you upload")


@click.command()
@click.argument("issue", type=ISSUE)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The PDF's path.")
@click.option("--public-only", is_flag=True, help="Leave out sections for some readers only.")
@reports_errors
def pdf(issue: Path, out: Path | None, public_only: bool) -> None:
    """Write ISSUE.yaml as an A4 PDF (ISSUE.pdf beside it, or --out)."""
    from bulletin.site.build import issue_pdf

    target = out or issue.with_suffix(".pdf")
    if target.resolve() == issue.resolve():
        raise BulletinError(
            f"{target} is the issue itself: give --out another path, ending in .pdf "
            "(nothing written)"
        )
    if target.suffix.lower() != ".pdf":
        raise BulletinError(f"--out {target}: a PDF's path ends in .pdf (nothing written)")
    click.echo(f"wrote {target} ({issue_pdf(issue, target, public_only=public_only):,} bytes)")
