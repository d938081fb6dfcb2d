"""`bulletin build`'s files: an issue's HTML and plain-text parts, and the email-ready copies
of the files it names (in `<name>.files/`, linked relatively), all written or none."""

from __future__ import annotations

from pathlib import Path

from bulletin.compose.email_files import email_copy, local_files, relative_urls, shown_at
from bulletin.compose.render import Rendered, render
from bulletin.document.issue import Bulletin
from bulletin.files import write_atomically


def with_copies(
    bulletin: Bulletin, rendered: Rendered, out_dir: Path, name: str
) -> tuple[Rendered, dict[Path, bytes]]:
    """The issue rendered to show its files from `out_dir/<name>.files/`, and those copies."""
    files = local_files(bulletin)
    if not files:
        return rendered, {}
    folder = f"{name}.files"
    with shown_at(relative_urls(files, folder)):
        rendered = render(bulletin)
    copies = {out_dir / folder / email_copy(f).name: email_copy(f).data for f in files}
    return rendered, copies


def write_parts(
    rendered: Rendered, out_dir: Path, name: str, copies: dict[Path, bytes] | None = None
) -> tuple[Path, Path]:
    """`out_dir/<name>.html` and `out_dir/<name>.txt` (and `copies`); their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, text_path = out_dir / f"{name}.html", out_dir / f"{name}.txt"
    write_atomically(
        {**(copies or {}), html_path: rendered.html, text_path: rendered.text}, shared=True
    )
    return html_path, text_path
