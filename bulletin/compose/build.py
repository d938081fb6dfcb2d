"""`bulletin build`: render an issue and write its HTML and text parts, both or neither."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bulletin.checks import check_issue
from bulletin.compose.render import Rendered
from bulletin.errors import ContentError, Problem


@dataclass(frozen=True)
class Built:
    html_path: Path
    text_path: Path
    rendered: Rendered
    warnings: list[Problem]


def build(issue_path: Path, out_dir: Path) -> Built:
    """Validate, render and check first; write only when there is no error (warnings pass)."""
    problems, rendered = check_issue(issue_path)
    if rendered is None or any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / f"{issue_path.stem}.html"
    text_path = out_dir / f"{issue_path.stem}.txt"
    write_atomically({html_path: rendered.html, text_path: rendered.text})
    return Built(html_path, text_path, rendered, problems)


def write_atomically(files: dict[Path, str]) -> None:
    """Write each file to a temporary name, then rename them all: no half-written output."""
    temps: dict[Path, Path] = {}
    try:
        for path, content in files.items():
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
            temps[path] = Path(name)
        for path, temp in temps.items():
            os.replace(temp, path)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
