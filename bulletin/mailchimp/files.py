"""Mailchimp's File Manager: where an email's own images and documents are hosted.

An upload is made once (`call_once`): after no answer, the caller looks for the file by its
name in the listing rather than upload it again.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

from bulletin.mailchimp.client import Mailchimp

FIELDS = ["id", "name", "full_size_url", "size"]


def upload(mc: Mailchimp, name: str, data: bytes) -> dict[str, Any]:
    """The file, hosted: its `id` and `full_size_url`."""
    body = {"name": name, "file_data": base64.b64encode(data).decode("ascii")}
    made: dict[str, Any] = mc.call_once(mc.client.fileManager.upload, body)
    return made


def hosted(mc: Mailchimp) -> Iterator[dict[str, Any]]:
    """Every file in the File Manager, page after page."""
    fields = [f"files.{f}" for f in FIELDS] + ["total_items"]
    yield from mc.pages(mc.client.fileManager.files, "files", fields=fields)
