"""Which Mailchimp group, category or partner list each entry of audiences.yaml is.

Names change: a group renamed in audiences.yaml must be renamed in Mailchimp, not created a
second time beside the old one (readers' choices live on the old one). So each entry is
matched to a Mailchimp id in this order:

1. its `id:` in audiences.yaml, when written: explicit, and shared with everyone through git;
2. its name;
3. a rename: the one entry left unmatched takes the one Mailchimp item left unmatched that
   the last sync from this folder recorded (in `.bulletin/sync-ids.json`) as coming from the
   file. Anything else (two renames at once, a first sync on another computer) is not
   guessed: the entry is reported, and `id:` settles it.

Items someone made in Mailchimp by hand are never in the record, so they are never taken for
a renamed entry: they are reported as extras.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from bulletin.files import write_atomically
from bulletin.state import state_path

FILE_NAME = "sync-ids.json"
T = TypeVar("T")


@dataclass
class Pairing(Generic[T]):
    matched: list[tuple[T, str]] = field(default_factory=list)  # entry, Mailchimp id
    new: list[T] = field(default_factory=list)  # to create
    extras: list[str] = field(default_factory=list)  # Mailchimp ids the file does not have
    unsure: list[str] = field(default_factory=list)  # why an entry was neither matched nor new


def pair(
    wanted: Sequence[tuple[T, str, str | None]],
    existing: dict[str, str],
    recorded: dict[str, str],
    what: str,
    *,
    prune: bool = False,
) -> Pairing[T]:
    """Match (entry, name, id from the file) to Mailchimp's {id: name}; `recorded` is the
    {id: name} the last sync took from the file. With `prune`, an unclear rename is taken for
    a replacement: the new entries are created and the old items removed."""
    result: Pairing[T] = Pairing()
    taken: set[str] = set()
    open_entries: list[tuple[T, str]] = []
    for entry, name, given in wanted:
        if given is not None:
            if given in existing and given not in taken:
                result.matched.append((entry, given))
                taken.add(given)
            else:
                result.unsure.append(
                    f"{what} '{name}' has id {given}, which Mailchimp does not have: "
                    "correct the id, or remove it to create the item"
                )
        else:
            open_entries.append((entry, name))
    by_name: dict[str, str] = {}
    for key, name in existing.items():
        if key not in taken:
            by_name.setdefault(name, key)
    still_open: list[tuple[T, str]] = []
    for entry, name in open_entries:
        item_id = by_name.pop(name, "")
        if not item_id:
            still_open.append((entry, name))
        else:
            result.matched.append((entry, item_id))
            taken.add(item_id)
    gone = [i for i in existing if i not in taken and i in recorded]
    if len(still_open) == 1 and len(gone) == 1:
        result.matched.append((still_open[0][0], gone[0]))
        taken.add(gone[0])
        still_open = []
    elif still_open and gone:
        olds = ", ".join(f"'{existing[i]}' (id: {i})" for i in gone)
        for _, name in still_open:
            result.unsure.append(
                f"{what} '{name}' is new in audiences.yaml while {olds} left it: "
                "to rename, give the entry the old one's id; to replace, run with --prune"
            )
        if not prune:
            still_open = []
    result.new = [entry for entry, _ in still_open]
    result.extras = [i for i in existing if i not in taken]
    return result


@dataclass
class SyncIds:
    """What the last sync from this folder took from audiences.yaml, per list: {id: name}."""

    path: Path
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> SyncIds:
        path = state_path(root, FILE_NAME)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        return cls(path, data.get("lists", {}) if isinstance(data, dict) else {})

    def recorded(self, list_id: str, kind: str, within: str = "") -> dict[str, str]:
        """{id: name} of `kind` (categories, groups (within a category id), partners)."""
        entry = self.lists.get(list_id, {}).get(kind, {})
        if within:
            entry = entry.get(within, {})
        return {str(k): str(v) for k, v in entry.items() if isinstance(v, str)}

    def record(self, list_id: str, ids: dict[str, Any]) -> None:
        self.lists[list_id] = ids

    def save(self) -> None:
        text = json.dumps({"lists": self.lists}, indent=2, sort_keys=True) + "\n"
        write_atomically({self.path: text})
