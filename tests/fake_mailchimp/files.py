"""The File Manager: where an email's images and documents are hosted.

Mailchimp takes a file as base64 in JSON (`name`, `file_data`), refuses one over 10 MB, and
answers with its id and the address it serves it at (`full_size_url`).
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from typing import Any

from .api import Call, route
from .errors import FIELD_DETAIL, invalid, not_found
from .state import iso

MAX_BYTES = 10 * 1024 * 1024  # Mailchimp's File Manager limit per file
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif")
HOST = "https://mcusercontent.example/fake"


@dataclass
class StoredFile:
    id: int
    name: str
    data: bytes
    created_at: str
    width: int = 0
    height: int = 0

    @property
    def kind(self) -> str:
        return "image" if self.name.lower().endswith(IMAGE_SUFFIXES) else "file"


def file_json(stored: StoredFile) -> dict[str, Any]:
    url = f"{HOST}/{stored.id}/{stored.name}"
    return {
        "id": stored.id,
        "folder_id": 0,
        "type": stored.kind,
        "name": stored.name,
        "full_size_url": url,
        "thumbnail_url": url,
        "size": len(stored.data),
        "created_at": stored.created_at,
        "created_by": "fake",
        "width": stored.width,
        "height": stored.height,
        "_links": [],
    }


def _files(call: Call) -> dict[int, StoredFile]:
    store: dict[int, StoredFile] = call.state.files
    return store


def _refuse(field: str, message: str) -> Exception:
    return invalid(FIELD_DETAIL, [{"field": field, "message": message}])


def _dimensions(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, GIF or JPEG, read from its header as Mailchimp reports them."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    at = 2
    while data[:2] == b"\xff\xd8" and at + 9 < len(data):
        if data[at] != 0xFF:
            break
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return 0, 0


@route("POST", "/file-manager/files")
def upload_file(call: Call) -> dict[str, Any]:
    name, encoded = call.body.get("name"), call.body.get("file_data")
    if not isinstance(name, str) or not name.strip():
        raise _refuse("name", "This value should not be blank.")
    if "/" in name or "." not in name:
        raise _refuse("name", "The file name needs an extension and no folder.")
    if not isinstance(encoded, str) or not encoded:
        raise _refuse("file_data", "This value should not be blank.")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _refuse("file_data", "The file data is not valid base64.") from None
    if len(data) > MAX_BYTES:
        raise _refuse("file_data", "The file is larger than the 10 MB limit.")
    stored = StoredFile(id=call.state.new_number(), name=name, data=data, created_at=_now(call))
    if stored.kind == "image":
        stored.width, stored.height = _dimensions(data)
        if not stored.width:
            raise _refuse("file_data", "The image could not be read.")
    _files(call)[stored.id] = stored
    return file_json(stored)


@route("GET", "/file-manager/files")
def list_files(call: Call) -> dict[str, Any]:
    call.only("type", "sort_field", "sort_dir")
    kind = call.query.get("type")
    files = [f for f in _files(call).values() if kind in (None, f.kind)]
    if call.query.get("sort_dir", "").upper() == "DESC":
        files.reverse()
    return {
        "files": [file_json(f) for f in call.page(files)],
        "total_file_size": sum(len(f.data) for f in files),
        "total_items": len(files),
        "_links": [],
    }


@route("GET", "/file-manager/files/{file_id}")
def get_file(call: Call) -> dict[str, Any]:
    try:
        stored = _files(call).get(int(call.params["file_id"]))
    except ValueError:
        stored = None
    if stored is None:
        raise not_found()
    return file_json(stored)


def _now(call: Call) -> str:
    return iso(call.state.now())
