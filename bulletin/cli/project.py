"""`bulletin init`: make a project, asking for what only the partnership knows."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from bulletin.cli.common import reports_errors

_QUESTIONS = {
    "name": "The partnership's full name",
    "short_name": "Its short name or initials (e.g. WSCP)",
    "website": "Its website (https://...)",
    "reply_to": "The inbox replies go to",
}


@click.command()
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."), required=False
)
@click.option("--name", help="The partnership's full name.")
@click.option(
    "--short-name", help="Its short name or initials; the publication's id comes from it."
)
@click.option("--website", help="Its website, https://...")
@click.option("--reply-to", help="The inbox replies go to.")
@click.option(
    "--address", multiple=True, help="A line of the postal address Mailchimp requires (repeat)."
)
@click.option("--id", "pub_id", help="The publication's id  [default: from the short name]")
@click.option(
    "--prompt/--no-prompt",
    default=None,
    help="Ask for what the options do not give  [default: when input is a terminal]",
)
@reports_errors
def init(
    folder: Path,
    name: str | None,
    short_name: str | None,
    website: str | None,
    reply_to: str | None,
    address: tuple[str, ...],
    pub_id: str | None,
    prompt: bool | None,
) -> None:
    """Make a bulletin project in FOLDER (default: here): a publication, audiences, a first
    issue, editor settings and a README. A file already there is kept, never replaced."""
    from bulletin.compose.newproject import (
        OPTIONS,
        Refused,
        create_project,
        id_problem,
        publication_id,
    )
    from bulletin.compose.newproject import refusals as refusals_of

    given: dict[str, Any] = {
        k: v
        for k, v in {
            "name": name,
            "short_name": short_name,
            "website": website,
            "reply_to": reply_to,
            "address": list(address) or None,
        }.items()
        if v is not None
    }
    if wrong := refusals_of(given):
        _usage_error(*Refused(wrong).lines)
    if pub_id is not None and (problem := id_problem(pub_id)):
        _usage_error(f"--id: {problem}")
    missing = [k for k in OPTIONS if k not in given]
    if missing and not (sys.stdin.isatty() if prompt is None else prompt):
        options = ", ".join(OPTIONS[k] for k in missing)
        _usage_error(f"no terminal to ask: give {options} (nothing written)")
    answers = {**given, **{k: _ask(k, refusals_of) for k in missing}}
    chosen_id = pub_id if pub_id is not None else publication_id(answers["short_name"])
    if problem := id_problem(chosen_id):
        _usage_error(f"--short-name gives no usable id: give --id ({problem})")
    try:
        made = create_project(folder, answers, chosen_id)
    except Refused as err:
        _usage_error(*err.lines)
    for path in made.written:
        click.echo(f"wrote {folder / path}")
    for path in made.kept:
        click.echo(f"kept {folder / path} (already there)")
    where = "" if folder == Path(".") else f"cd {folder} && "
    click.echo(f"next: {where}bulletin preview {made.first_issue.as_posix()}")


def _ask(key: str, refusals_of: Any) -> Any:
    """One answer from the terminal, asked again until the publication model takes it."""
    if key == "address":
        return _ask_address(refusals_of)

    def accept(text: str) -> str:
        if wrong := refusals_of({key: text}).get(key):
            raise click.BadParameter(wrong)
        return text.strip()

    return click.prompt(_QUESTIONS[key], value_proc=accept)


def _ask_address(refusals_of: Any) -> list[str]:
    click.echo("The postal address Mailchimp requires, a line at a time (an empty line ends it)")
    lines: list[str] = []
    while True:
        line = click.prompt(f"  line {len(lines) + 1}", default="", show_default=False).strip()
        if not line:
            if lines:
                return lines
            click.echo("Error: give at least one line", err=True)
            continue
        if wrong := refusals_of({"address": [line]}).get("address"):
            click.echo(f"Error: {wrong}", err=True)
            continue
        lines.append(line)


def _usage_error(*lines: str) -> NoReturn:
    """Refused answers: a line each, exit status 2 (as click's own usage errors)."""
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(2)
