"""`bulletin preview`: the issue in a browser, re-rendered on every save, never falling over.

A small threaded HTTP server on loopback serves a page (`static/preview.html`) that
shows the email in an iframe at desktop or phone width, the plain text, and the check
findings, as every reader or as one who chose some preference groups (`?groups=` evaluates
the INTERESTED blocks). A watcher re-renders when the issue, a publication, a section or
template, or audiences.yaml changes, and tells the page over server-sent events. Only the
fixed routes below exist: no file is ever served from disk by path. It listens on loopback
only, and answers only requests whose Host names this computer (127.0.0.1, localhost, [::1]):
a web page that points some name of its own at 127.0.0.1 (DNS rebinding) gets a 403.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bulletin import serving
from bulletin.compose.interest_blocks import for_reader
from bulletin.document.project import BUILTIN_ROOT, find_root
from bulletin.preview.state import (
    FILES,
    PreviewState,
    as_dark,
    chosen_groups,
    with_sample_values,
)

PAGE = Path(__file__).parent / "static" / "preview.html"
WATCHED_SUFFIXES = (".yaml", ".yml", ".j2", ".py", ".css")


def watched_folders(issue: Path) -> tuple[list[Path], list[Path]]:
    """(folders watched flat, folders watched with their subfolders) for this issue."""
    root = find_root(issue)
    flat = [issue.resolve().parent, root / "publications", root]
    deep = [
        root / "sections",
        root / "templates",
        BUILTIN_ROOT / "sections",
        BUILTIN_ROOT / "templates",
    ]
    return _existing(flat), _existing(deep)


def _existing(paths: list[Path]) -> list[Path]:
    return [p for p in dict.fromkeys(p.resolve() for p in paths) if p.is_dir()]


def watch(state: PreviewState, stop: threading.Event) -> list[threading.Thread]:
    """Start the watchers: each save re-renders within ~10 ms of the last change."""
    import watchfiles

    def relevant(change: watchfiles.Change, path: str) -> bool:
        return path.endswith(WATCHED_SUFFIXES)

    def loop(folders: list[Path], recursive: bool) -> None:
        for _ in watchfiles.watch(
            *folders,
            recursive=recursive,
            watch_filter=relevant,
            step=5,  # ms of quiet after a change before re-rendering (was most of save-to-screen)
            stop_event=stop,
            debounce=400,
            raise_interrupt=False,
        ):
            state.refresh()

    flat, deep = watched_folders(state.issue)
    threads = [
        threading.Thread(target=loop, args=(folders, recursive), daemon=True)
        for folders, recursive in ((flat, False), (deep, True))
        if folders
    ]
    for thread in threads:
        thread.start()
    return threads


class Handler(BaseHTTPRequestHandler):
    """The fixed routes of the preview; anything else is 404."""

    state: PreviewState
    stop: threading.Event

    def do_GET(self) -> None:
        if not serving.local_host_header(self.headers.get("Host")):
            self._send(b"forbidden\n", "text/plain; charset=utf-8", HTTPStatus.FORBIDDEN)
            return
        url = urlsplit(self.path)
        route = url.path
        reader = chosen_groups(url.query)
        if route == "/":
            self._send(PAGE.read_bytes(), "text/html; charset=utf-8")
        elif route == "/email.html":
            html = for_reader(with_sample_values(self.state.email_html() or _EMPTY), reader)
            if "scheme=dark" in url.query.split("&"):
                html = as_dark(html)
            self._send(html.encode(), "text/html; charset=utf-8")
        elif route == "/email.txt":
            text = self.state.rendered.text if self.state.rendered else ""
            self._send(for_reader(text, reader).encode(), "text/plain; charset=utf-8")
        elif route == "/state.json":
            self._send(json.dumps(self.state.as_json()).encode(), "application/json")
        elif route == "/events":
            self._events()
        elif route.startswith(FILES) and route[len(FILES) :] in self.state.files:
            copy = self.state.files[route[len(FILES) :]]
            kind = mimetypes.guess_type(copy.name)[0] or "application/octet-stream"
            self._send(copy.data, kind)
        else:
            self._send(b"not found\n", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the state as JSON on connecting and on every change (a change
        the page missed while a message was on its way is in the next), a ping meanwhile."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            with self.state.page_open():
                while not self.stop.is_set():
                    message = ": ping"
                    if self.state.wait_for_change(seen, timeout=1.0) != seen:
                        state = self.state.as_json()
                        message, seen = f"data: {json.dumps(state)}", state["version"]
                    self.wfile.write(f"{message}\n\n".encode())  # JSON is one line, as it must be
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for the URL and errors, not every request."""


_EMPTY = "<!doctype html><html lang=en><title>No preview yet</title><p>No preview yet.</p></html>"


@dataclass
class PreviewServer:
    """The server, the watchers and the state, started and stopped together."""

    issue: Path
    host: str = "127.0.0.1"
    port: int = 0
    state: PreviewState = field(init=False)
    stop: threading.Event = field(default_factory=threading.Event)
    _httpd: ThreadingHTTPServer | None = None

    def __post_init__(self) -> None:
        self.state = PreviewState(self.issue)

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return serving.base_url(self._httpd) + "/"

    def start(self) -> PreviewServer:
        serving.refuse_unless_loopback(self.host, "the preview")
        self.state.refresh()
        handler = type("BoundHandler", (Handler,), {"state": self.state, "stop": self.stop})
        self._httpd = serving.listen(self.host, self.port, handler, serving.LoopbackServer)
        watch(self.state, self.stop)
        return self

    def wait(self) -> None:
        serving.wait(self.stop)

    def close(self) -> None:
        self.stop.set()
        serving.shut(self._httpd)

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
