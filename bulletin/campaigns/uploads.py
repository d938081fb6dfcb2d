"""Each file an issue names, hosted in Mailchimp's File Manager once.

`.bulletin/uploads.json` remembers, by content hash, the id and address of each file
uploaded. It is only a cache: a copy is named by its content (`flyer-3f2a9c1d0b7e.jpg`), so
when the record is missing the file is looked for by that name in the File Manager before
anything is uploaded. The same bytes are never uploaded twice; changed bytes are a new file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bulletin.compose.email_files import EmailFile, email_copy
from bulletin.document.local_files import LocalFile
from bulletin.files import write_atomically
from bulletin.mailchimp import files as file_manager
from bulletin.mailchimp.client import Mailchimp, MailchimpError, ambiguous
from bulletin.state import private, set_aside, state_path

FILE_NAME = "uploads.json"


class Uploads:
    """The project's record of hosted files: content hash -> {name, id, url}."""

    def __init__(self, root: Path) -> None:
        self.path = state_path(root, FILE_NAME)

    def read(self) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and all(
                isinstance(v, dict) and isinstance(v.get("url"), str) for v in data.values()
            ):
                return data
            why = "not a record of uploads"
        except (OSError, ValueError) as err:
            why = str(err) or type(err).__name__
        set_aside(self.path, why)
        return {}

    def write(self, records: dict[str, dict[str, Any]]) -> None:
        write_atomically({self.path: json.dumps(records, indent=1, sort_keys=True) + "\n"})
        private(self.path)


def host_files(
    mc: Mailchimp, root: Path, files: list[LocalFile], on_note: Callable[[str], None]
) -> dict[str, str]:
    """Each file's hosted address, by its key; uploading only what Mailchimp lacks.

    Called under the project's Mailchimp lock (push holds it), so the record is not raced.
    """
    if not files:
        return {}
    uploads = Uploads(root)
    records = uploads.read()
    copies = [email_copy(f) for f in files]
    missing = [c for c in copies if c.digest not in records]
    if missing:
        listed = {f["name"]: f for f in file_manager.hosted(mc)}
        for copy in missing:
            found = listed.get(copy.name) or _upload(mc, copy, on_note)
            records[copy.digest] = {
                "name": copy.name,
                "id": found["id"],
                "url": found["full_size_url"],
            }
            uploads.write(records)  # each one as it is hosted: a later failure keeps it
    return {c.key: records[c.digest]["url"] for c in copies}


def recorded_urls(root: Path, files: list[LocalFile]) -> dict[str, str]:
    """The addresses the last push hosted the files at, for those it hosted (no upload)."""
    if not files:
        return {}
    records = Uploads(root).read()
    copies = [email_copy(f) for f in files]
    return {c.key: records[c.digest]["url"] for c in copies if c.digest in records}


def _upload(mc: Mailchimp, copy: EmailFile, on_note: Callable[[str], None]) -> dict[str, Any]:
    """Upload once; after no answer or a server error, look for it by name before the one
    more try (a file named by its content found there is the same file)."""
    try:
        made = file_manager.upload(mc, copy.name, copy.data)
    except MailchimpError as err:
        if not ambiguous(err):
            raise
        found = {f["name"]: f for f in file_manager.hosted(mc)}.get(copy.name)
        if found is not None:
            return found
        made = file_manager.upload(mc, copy.name, copy.data)
    on_note(f"uploaded {copy.key} as {copy.name} ({len(copy.data):,} bytes)")
    return made
