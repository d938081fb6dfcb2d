"""What the preview shows: the last good render of the issue, what is wrong with it now, and
the email as a reader with some preferences would see it.

A save that breaks the issue never blanks the page: the last good render stays, with the
errors over it, until the next good save.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from bulletin.checks import load_to_check, run_rules
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
    """The last good render, and what is wrong now. `version` moves whenever either changes,
    `render` only when the email does (the page fetches the email again only then)."""

    issue: Path
    version: int = 0
    render: int = 0
    rendered: Rendered | None = None
    problems: list[Problem] = field(default_factory=list)
    checking: bool = False  # the email shown is new; the rules are still running over it
    failure: str = ""  # an error that stopped rendering: invalid YAML, a broken template
    updated: str = ""
    groups: list[str] = field(default_factory=list)  # what readers can choose, for the page
    files: dict[str, EmailFile] = field(default_factory=dict)  # by name: what /files/ serves
    inbox: list[dict[str, Any]] = field(default_factory=list)  # the Inbox view's rows
    pages: int = 0  # pages open on the preview (listening to its events)
    fetched: int = 0  # the last render a page has fetched the email of
    lock: threading.Condition = field(default_factory=threading.Condition)
    _refreshing: threading.Lock = field(default_factory=threading.Lock)  # one save at a time

    def refresh(self) -> None:
        """Re-render and show the email, then run the rules and show what they find: the
        rules take two thirds of a refresh, and the email need not wait for them. On any
        failure keep the last good render and say what went wrong."""
        with self._refreshing:
            checked = self._render()
            if checked is not None:
                self._check(*checked)

    def _render(self) -> tuple[Bulletin, Rendered] | None:
        """Load and render; publish the email, or the errors that stopped it."""
        try:
            bulletin = load_to_check(self.issue)
            rendered = render(bulletin)
            shown, files = _with_files(bulletin, rendered)
            groups, inbox = preference_groups(bulletin.readers), inbox_rows(bulletin)
        except ContentError as err:
            self._publish(problems=list(err.problems), failure=_INVALID)
        except BulletinError as err:
            self._publish(problems=[], failure=str(err))
        except Exception as err:  # the preview must outlive any bug, and say what it was
            self._publish(problems=[], failure=_internal(err))
        else:
            self._publish(
                rendered=shown, files=files, groups=groups, inbox=inbox, checking=True, failure=""
            )
            return bulletin, rendered
        return None

    def _check(self, bulletin: Bulletin, rendered: Rendered) -> None:
        """Run every offline rule over the render just shown, and publish the findings.

        Python runs one thread at a time, so rules running while an open page fetches the
        new email would hold that up (by 20 ms on the largest example): they wait until a
        page has it, or half a second."""
        with self.lock:
            self.lock.wait_for(lambda: self.fetched >= self.render or not self.pages, _PAGE_WAIT)
        try:
            problems = run_rules(bulletin, rendered)
        except Exception as err:  # as above: a rule's bug is shown, never fatal
            self._publish(checking=False, failure=_internal(err))
        else:
            self._publish(checking=False, problems=problems)

    def _publish(self, **changes: Any) -> None:
        with self.lock:
            if changes.get("rendered"):
                self.render += 1
            for name, value in changes.items():
                setattr(self, name, value)
            self.version += 1
            self.updated = dt.datetime.now().strftime("%H:%M:%S")
            self.lock.notify_all()

    def email_html(self) -> str:
        """The last good render's HTML ("" before the first), for a page that shows it."""
        with self.lock:
            self.fetched = self.render
            self.lock.notify_all()
            return self.rendered.html if self.rendered else ""

    @contextmanager
    def page_open(self) -> Iterator[None]:
        """While a page listens to the preview's events."""
        with self.lock:
            self.pages += 1
        try:
            yield
        finally:
            with self.lock:
                self.pages -= 1
                self.lock.notify_all()

    def as_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "version": self.version,
                "render": self.render,
                "checking": self.checking,
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


_PAGE_WAIT = 0.5  # seconds the checks wait for an open page to fetch the new email
_INVALID = "the issue has errors; showing the last good version"


def _internal(err: Exception) -> str:
    return f"internal error: {type(err).__name__}: {err}"


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
