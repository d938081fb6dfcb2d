"""What the preview shows: the last good render of the issue, what is wrong with it now, and
the email as a reader with some preferences would see it.

A save that breaks the issue never blanks the page: the last good render stays, with the
errors over it, until the next good save.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from bulletin.checks import check_file
from bulletin.checks.size import GMAIL_CLIP
from bulletin.compose.email_files import EmailFile, email_copy, local_files, shown_at
from bulletin.compose.merge_tags import merge_tag
from bulletin.compose.render import Rendered, render
from bulletin.document.audiences import Audience
from bulletin.document.issue import Bulletin
from bulletin.errors import BulletinError, ContentError, Problem
from bulletin.preview.inbox import inbox_rows

# Merge tags as a reader would see them; the links go nowhere.
SAMPLE_VALUES = {
    "FNAME": "Alex",
    "LNAME": "Morgan",
    "ORG": "Sample Primary School",
    "ARCHIVE": "#view-in-browser",
    "UNSUB": "#unsubscribe",
    "UPDATE_PROFILE": "#update-preferences",
    "CURRENT_YEAR": str(dt.date.today().year),
}


@dataclass
class PreviewState:
    """The last good render, and what is wrong now; `version` moves on every re-render."""

    issue: Path
    version: int = 0
    rendered: Rendered | None = None
    problems: list[Problem] = field(default_factory=list)
    failure: str = ""  # an error that stopped rendering: invalid YAML, a broken template
    updated: str = ""
    groups: list[str] = field(default_factory=list)  # what readers can choose, for the page
    files: dict[str, EmailFile] = field(default_factory=dict)  # by name: what /files/ serves
    inbox: list[dict[str, Any]] = field(default_factory=list)  # the Inbox view's rows
    lock: threading.Condition = field(default_factory=threading.Condition)

    def refresh(self) -> None:
        """Re-render; on any failure keep the last good render and say what went wrong."""
        rendered: Rendered | None = None
        groups, files, inbox = self.groups, self.files, self.inbox
        try:
            checked = check_file(self.issue)
            problems, rendered, failure = checked.problems, checked.rendered, ""
            groups = preference_groups(checked.bulletin.readers)
            rendered, files = _with_files(checked.bulletin, rendered)
            inbox = inbox_rows(checked.bulletin)
        except ContentError as err:
            problems = list(err.problems)
            failure = "the issue has errors; showing the last good version"
        except BulletinError as err:
            problems, failure = [], str(err)
        except Exception as err:  # the preview must outlive any bug, and say what it was
            problems, failure = [], f"internal error: {type(err).__name__}: {err}"
        with self.lock:
            self.groups, self.files, self.inbox = groups, files, inbox
            self.rendered = rendered or self.rendered
            self.problems, self.failure = problems, failure
            self.version += 1
            self.updated = dt.datetime.now().strftime("%H:%M:%S")
            self.lock.notify_all()

    def as_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "version": self.version,
                "issue": str(self.issue),
                "title": _title(self.rendered),
                "has_render": self.rendered is not None,
                "failure": self.failure,
                "updated": self.updated,
                "problems": [_problem_json(p) for p in self.problems],
                "groups": self.groups,
                "html_bytes": len(self.rendered.html.encode()) if self.rendered else 0,
                "clip_bytes": GMAIL_CLIP,
                "inbox": self.inbox,
            }

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.lock:
            self.lock.wait_for(lambda: self.version != seen, timeout=timeout)
            return self.version


FILES = "/files/"  # the one route the issue's own files are served at, by their copy's name


def _with_files(bulletin: Bulletin, rendered: Rendered) -> tuple[Rendered, dict[str, EmailFile]]:
    """The render showing the issue's files from FILES, and those files by name: the server
    serves these and nothing else (never a path from disk)."""
    copies = [email_copy(f) for f in local_files(bulletin)]
    if not copies:
        return rendered, {}
    with shown_at({c.key: FILES + c.name for c in copies}):
        return render(bulletin), {c.name: c for c in copies}


def _title(rendered: Rendered | None) -> str:
    if not rendered:
        return ""
    start = rendered.html.find("<title>")
    end = rendered.html.find("</title>")
    return rendered.html[start + 7 : end] if 0 <= start < end else ""


def _problem_json(p: Problem) -> dict[str, Any]:
    path = Path(p.file).resolve()
    return {
        "text": str(p),
        "severity": p.severity,
        "rule": p.rule or "invalid",
        "editor": f"vscode://file{path}:{p.line}:{p.column}",
    }


def chosen_groups(query: str) -> set[str] | None:
    """`?groups=Topics:A,Topics:B`: the preferences of the reader to preview as; none given
    shows every section, `?groups=` a reader who chose none."""
    values = parse_qs(query, keep_blank_values=True).get("groups")
    if values is None:
        return None
    return {g.strip() for g in values[-1].split(",") if g.strip()}


def preference_groups(readers: list[Audience]) -> list[str]:
    """Every `Category:Group` readers of the issue's publication can choose, for the page."""
    names = (f"{c.category}:{g}" for a in readers for c in a.interests for g in c.group_names)
    return list(dict.fromkeys(names))


_DARK_QUERY = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)", re.IGNORECASE)


def as_dark(html: str) -> str:
    """The email as a dark-mode reader's app shows it. A page cannot switch an iframe's
    `prefers-color-scheme` (Chromium follows only the system or DevTools), so the Dark view
    makes the email's own dark `@media` rules unconditional and its colour scheme dark: the
    same rules a dark-mode mail app applies, and nothing of the preview's own."""
    html = _DARK_QUERY.sub("@media all", html)
    return html.replace(":root{color-scheme:light dark}", ":root{color-scheme:dark}")


def with_sample_values(html: str) -> str:
    """The email as the preview shows it: sample merge values, real links open a new tab."""
    for tag, value in SAMPLE_VALUES.items():
        html = html.replace(merge_tag(tag), value)
    return html.replace("<head>", '<head><base target="_blank">', 1)
