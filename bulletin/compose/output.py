"""`bulletin build`'s files: an issue's HTML and plain-text parts, both written or neither."""

from __future__ import annotations

from pathlib import Path

from bulletin.compose.render import Rendered
from bulletin.files import write_atomically


def write_parts(rendered: Rendered, out_dir: Path, name: str) -> tuple[Path, Path]:
    """`out_dir/<name>.html` and `out_dir/<name>.txt`; their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, text_path = out_dir / f"{name}.html", out_dir / f"{name}.txt"
    write_atomically({html_path: rendered.html, text_path: rendered.text})
    return html_path, text_path
