"""The ledger made again from Mailchimp, after it was lost or damaged.

Every campaign `push` makes is titled `bulletin:<publication>:<issue file stem>`, so the rows
come back from Mailchimp's campaign list: which campaign holds which issue, its status and its
booking. What only this computer knew (when it last pushed) is gone, and nothing else is:
the next push compares the issue with what Mailchimp holds, as on a second computer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bulletin.campaigns.duplicates import sort_out
from bulletin.campaigns.ledger import Entry
from bulletin.campaigns.push import Dispatcher
from bulletin.document.project import relative_path
from bulletin.mailchimp import campaigns as api

PREFIX = "bulletin:"
SKIPPED = {".bulletin", ".git", ".venv", "build", "node_modules"}


def rebuild(dispatcher: Dispatcher, root: Path) -> int:
    """Put back a row for each issue Mailchimp holds a campaign of; how many were put back."""
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for campaign in api.titled(dispatcher.mc, None, PREFIX, page_size=dispatcher.page_size):
        title = str((campaign.get("settings") or {}).get("title"))
        list_id = str((campaign.get("recipients") or {}).get("list_id") or "")
        if title.count(":") >= 2 and list_id:
            by_key.setdefault((title, list_id), []).append(campaign)
    issues = _issue_files(root)
    put = 0
    for (title, list_id), found in sorted(by_key.items()):
        keep = sort_out(title, found).keep
        if keep is None or dispatcher.ledger.get(title, list_id) is not None:
            continue
        stem = title.split(":", 2)[2]
        path = issues.get(stem, f"{stem}.yaml")
        dispatcher.ledger.put(Entry(title, list_id, path, str(keep["id"])).seen(keep))
        put += 1
    return put


def _issue_files(root: Path) -> dict[str, str]:
    """{file stem: path in the project} of the YAML files that may be issues."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.yaml")):
        parts = set(path.relative_to(root).parts[:-1])
        if parts & SKIPPED or "publications" in parts or path.name == "audiences.yaml":
            continue
        found.setdefault(path.stem, relative_path(path, root))
    return found


def rebuilt_note(count: int) -> str:
    return f"rebuilt the ledger from Mailchimp: {count} campaign{'s' * (count != 1)} found"
