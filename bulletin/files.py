"""Files written whole or not at all: a run that fails or is killed leaves the old file or the
new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_atomically(files: Mapping[Path, str | bytes], *, shared: bool = False) -> None:
    """Write each file (text, or bytes such as a PNG) to a temporary name beside it, then
    rename them all.

    The temporary files are made readable by their owner alone (as `mkstemp` makes them), so
    a state file holding addresses is never readable by others, even for a moment. What is
    made to be shared (`shared`: a built email, web pages, a new project's files) gets the
    permissions any new file gets under the user's umask, so a web server or a colleague on
    the same drive can read it.
    """
    temps: dict[Path, Path] = {}
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            if isinstance(content, bytes):
                with os.fdopen(fd, "wb") as binary:
                    binary.write(content)
            else:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(content)
            temps[path] = Path(name)
            if shared:
                os.chmod(name, 0o666 & ~_umask())
        for path, temp in temps.items():
            os.replace(temp, path)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)


def _umask() -> int:
    """The process's umask; reading it means setting it, so it is set straight back."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
