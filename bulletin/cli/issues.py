"""Commands on one issue file: build, check, new, schema, preview; the rules and sections lists."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bulletin.cli.common import ISSUE, reports_errors
from bulletin.errors import BulletinError


@click.command()
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
    from bulletin.checks import check_file
    from bulletin.checks.findings import as_text
    from bulletin.compose.output import with_copies, write_parts

    parts = {(out / f"{issue.stem}{suffix}").resolve() for suffix in (".html", ".txt")}
    if issue.resolve() in parts:
        raise BulletinError(
            f"{issue}: its {issue.suffix} part would be written over the issue itself: "
            f"name it {issue.with_suffix('.yaml').name} (nothing written)"
        )
    checked = check_file(issue)
    checked.stop_on_errors()  # warnings pass; any error, and nothing is written
    rendered, copies = with_copies(checked.bulletin, checked.rendered, out, issue.stem)
    html_path, text_path = write_parts(rendered, out, issue.stem, copies)
    if checked.problems:
        click.echo(as_text(checked.problems), err=True)
    click.echo(f"wrote {html_path} ({len(rendered.html.encode()):,} bytes)")
    click.echo(f"wrote {text_path} ({len(rendered.text.encode()):,} bytes)")
    if copies:
        click.echo(f"wrote {len(copies)} file(s) to {out / f'{issue.stem}.files'}")


@click.command()
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
    from bulletin.checks import check_file
    from bulletin.checks.findings import as_json, as_text
    from bulletin.errors import ContentError

    try:
        checked = check_file(issue, online=online)
        problems = checked.problems
    except ContentError as err:
        checked, problems = None, list(err.problems)
    click.echo(as_json(problems) if output == "json" else as_text(problems))
    if output == "text" and not online and checked is not None:
        from bulletin.checks.links import unchecked_count

        if count := unchecked_count(checked.bulletin, checked.rendered):
            click.echo(f"{count} link{'s' * (count != 1)} not checked (use --online to check them)")
    failing = {"error", "warning"} if strict else {"error"}
    sys.exit(1 if any(p.severity in failing for p in problems) else 0)


@click.command()
@click.argument("path", type=ISSUE)
@click.option("--from", "previous", type=ISSUE, help="Start from this earlier issue.")
@reports_errors
def new(path: Path, previous: Path | None) -> None:
    """Start a new issue at PATH (a skeleton, or --from the last one)."""
    from bulletin.compose.newissue import create

    create(path, previous)
    click.echo(f"created {path}")


@click.command()
@click.option("--issue", "issue", type=ISSUE, help="Use the section types of this issue's project.")
@reports_errors
def schema(issue: Path | None) -> None:
    """Print the JSON Schema of issues, for editors."""
    import json

    from bulletin.document.schema import issue_schema

    click.echo(json.dumps(issue_schema(issue), indent=2))


@click.command()
@click.argument("issue", type=ISSUE)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, help="Port (0 picks a free one).")
@click.option("--no-open", is_flag=True, help="Do not open a browser.")
@reports_errors
def preview(issue: Path, host: str, port: int, no_open: bool) -> None:
    """Show ISSUE.yaml in the browser, re-rendered on every save."""
    import webbrowser

    from bulletin.preview.server import PreviewServer

    if not issue.is_file():
        raise BulletinError(f"{issue}: no such file")
    with PreviewServer(issue, host, port) as server:
        click.echo(f"previewing {issue} at {server.url} (Ctrl-C to stop)")
        if not no_open:
            webbrowser.open(server.url)
        server.wait()
    click.echo("stopped")


@click.command()
def rules() -> None:
    """List the check rules as a Markdown table (the README's)."""
    from bulletin.checks import all_rules
    from bulletin.checks.findings import rules_table

    click.echo(rules_table(all_rules()))


@click.command()
@click.option("--issue", "issue", type=ISSUE, help="Use the section types of this issue's project.")
@reports_errors
def sections(issue: Path | None) -> None:
    """List every section type and field as Markdown tables (the README's)."""
    from bulletin.document.reference import sections_table
    from bulletin.document.schema import project_of

    types = project_of(issue).section_types.values()
    click.echo(sections_table([t.model for t in types]))
