"""Mailchimp's webhooks: unsubscribes reach the suppression list the moment they happen.

`bulletin webhooks serve` listens on loopback (a reverse proxy or tunnel brings Mailchimp's
calls to it) at `/hooks/<secret>`, so only someone who knows the secret can post to it. It
answers Mailchimp's GET check with 200 and takes the form-encoded events Mailchimp posts:
`unsubscribe` and `cleaned` add the address to the suppression list, `upemail` carries a
suppressed address over to its new spelling, `profile` needs nothing. `bulletin webhooks
register URL` tells Mailchimp where to post, for each audience.

Nothing is acknowledged that was not recorded: an event for a list audiences.yaml does not
have (404) or without a valid address (400) is refused, a body of unknown or wrong length
(400, 411, 413) is never read, and a failure to record is a 500, so Mailchimp tries again.
A client that hangs up early is no error of ours and leaves no traceback.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bulletin import serving
from bulletin.audiences.suppression import Suppressions
from bulletin.document.audiences import Audience
from bulletin.errors import BulletinError
from bulletin.files import write_atomically
from bulletin.mailchimp import audiences as lists
from bulletin.mailchimp.client import Mailchimp
from bulletin.state import state_path

SECRET_FILE = "webhook-secret"
ENV = "BULLETIN_WEBHOOK_SECRET"
MAX_BODY = 64 * 1024  # an event is well under 2 KB
EVENTS = {
    "subscribe": False,
    "unsubscribe": True,
    "profile": True,
    "cleaned": True,
    "upemail": True,
    "campaign": False,
}
SOURCES = {"user": True, "admin": True, "api": True}


def webhook_secret(root: Path, environ: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """The secret path part: $BULLETIN_WEBHOOK_SECRET, else the one kept in .bulletin/, else a
    new one, kept there (readable by you alone) so the registered URL outlives a restart.
    Returns (secret, whether it was made just now)."""
    env = os.environ if environ is None else environ
    given = env.get(ENV, "").strip()
    if given:
        if len(given) < 16 or not given.replace("-", "").replace("_", "").isalnum():
            raise BulletinError(f"{ENV} must be at least 16 letters, digits, - or _")
        return given, False
    path = secret_path(root)
    with contextlib.suppress(OSError):
        kept = path.read_text(encoding="utf-8").strip()
        if kept:
            return kept, False
    made = secrets.token_urlsafe(24)
    write_atomically({path: made + "\n"})  # readable by its owner alone
    return made, True


def secret_path(root: Path) -> Path:
    return state_path(root, SECRET_FILE)


def hook_path(secret: str) -> str:
    return f"/hooks/{secret}"


def hook_url(public_url: str, secret: str) -> str:
    """Where Mailchimp should post: the public address with the secret path, unless given."""
    if "/hooks/" in public_url:
        return public_url
    return public_url.rstrip("/") + hook_path(secret)


def masked(email: str) -> str:
    """An address as the server's log shows it: enough to recognise, not to harvest."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


class Refused(Exception):
    """An event that is not recorded, and the status that says why."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def handle_event(
    store: Suppressions, form: Mapping[str, str], known_lists: frozenset[str] | None = None
) -> str:
    """Apply one event (Mailchimp's form fields, `data[email]` and so on); what was done.

    Refused (not recorded): an event of a list not in `known_lists`, or with no valid address.
    """
    from bulletin.audiences.members_csv import valid_email

    kind = form.get("type", "")
    list_id = form.get("data[list_id]", "")
    email = form.get("data[email]", "")
    if kind in ("unsubscribe", "cleaned", "upemail", "profile"):
        if known_lists is not None and list_id not in known_lists:
            raise Refused(HTTPStatus.NOT_FOUND, f"{kind} event for an unknown list {list_id!r}")
        addresses = (
            [form.get("data[old_email]", ""), form.get("data[new_email]", "")]
            if kind == "upemail"
            else [email]
        )
        if not all(valid_email(a.strip()) for a in addresses):
            raise Refused(HTTPStatus.BAD_REQUEST, f"{kind} event without a valid address")
    if kind in ("unsubscribe", "cleaned") and email:
        reason = "unsubscribed" if kind == "unsubscribe" else "cleaned"
        new = store.add(email, list_id, reason, "webhook")
        return f"{kind} {masked(email)} in {list_id}: " + ("suppressed" if new else "already")
    if kind == "upemail":
        old, new_email = form.get("data[old_email]", ""), form.get("data[new_email]", "")
        if old and new_email:
            carried = store.carry(old, new_email, "webhook")
            return f"upemail {masked(old)} -> {masked(new_email)}: " + (
                "suppression carried over" if carried else "not suppressed"
            )
    if kind == "profile":
        return f"profile {masked(email)} in {list_id}: nothing to suppress"
    return f"{kind or 'unknown'} event ignored"


class _Handler(BaseHTTPRequestHandler):
    """Answers only at the secret path; everything else is 404, as if nothing were here."""

    server: _Server

    def do_GET(self) -> None:  # Mailchimp checks a webhook URL with a GET before saving it
        self._reply(HTTPStatus.OK if self._ours() else HTTPStatus.NOT_FOUND)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        if not self._ours():
            self._reply(HTTPStatus.NOT_FOUND)
            return
        length = self._length()
        if length is None:
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        form = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
        try:
            done = handle_event(self.server.store, form, self.server.known_lists)
        except Refused as refused:
            self.server.log(f"refused: {refused}")
            self._reply(refused.status)
            return
        except Exception as err:  # the list could not be written: Mailchimp must try again
            self.server.log(f"could not record the event ({type(err).__name__}: {err})")
            self._reply(HTTPStatus.INTERNAL_SERVER_ERROR)
            return
        self.server.log(done)
        self._reply(HTTPStatus.OK)

    def _length(self) -> int | None:
        """The body's length, or None once the error is answered: never read blind."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._reply(HTTPStatus.LENGTH_REQUIRED)
            return None
        given = self.headers.get_all("Content-Length") or []
        text = given[0].strip() if len(given) == 1 else ""
        if not text.isdigit():  # missing, repeated, `abc`, `1e3`, `-1`, `5, 5`
            self.close_connection = True
            status = HTTPStatus.LENGTH_REQUIRED if not given else HTTPStatus.BAD_REQUEST
            self._reply(status)
            return None
        length = int(text)
        if length > MAX_BODY:
            self.close_connection = True
            self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return None
        return length

    def _ours(self) -> bool:
        return hmac.compare_digest(urlsplit(self.path).path.encode(), self.server.path.encode())

    def _reply(self, status: HTTPStatus) -> None:
        body = b"ok\n" if status == HTTPStatus.OK else b""
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request line holds the secret."""


class _Server(serving.LoopbackServer):
    store: Suppressions
    path: str
    log: Callable[[str], None]
    known_lists: frozenset[str] | None


@dataclass
class WebhookServer:
    """The receiver, started and stopped with its suppression list."""

    root: Path
    secret: str
    host: str = "127.0.0.1"
    port: int = 0
    log: Callable[[str], None] = print
    known_lists: frozenset[str] | None = None  # default: the list ids of audiences.yaml
    _httpd: _Server | None = field(default=None, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)

    def start(self) -> WebhookServer:
        if not serving.is_loopback(self.host):
            raise BulletinError(
                f"{self.host} is not a loopback address: serve on 127.0.0.1 and put a reverse "
                "proxy or tunnel in front"
            )
        store = Suppressions.open(self.root)
        try:
            httpd = serving.listen(self.host, self.port, _Handler, _Server)
        except BulletinError:
            store.close()
            raise
        httpd.store, httpd.path, httpd.log = store, hook_path(self.secret), self.log
        httpd.known_lists = self.known_lists if self.known_lists is not None else _lists(self.root)
        self._httpd = httpd
        return self

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return serving.base_url(self._httpd) + hook_path(self.secret)

    def wait(self) -> None:
        serving.wait(self._stop)

    def close(self) -> None:
        self._stop.set()
        serving.shut(self._httpd)
        if self._httpd:
            self._httpd.store.close()

    def __enter__(self) -> WebhookServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _lists(root: Path) -> frozenset[str]:
    from bulletin.document.audiences import load_audiences

    audiences = load_audiences(root)
    return frozenset(a.list_id for a in audiences.audiences) if audiences else frozenset()


def register(mc: Mailchimp, audiences: Sequence[Audience], url: str) -> list[str]:
    """Register `url` for each audience, once: an existing registration is corrected, not
    doubled."""
    body = {"url": url, "events": EVENTS, "sources": SOURCES}
    shown = url.split("/hooks/")[0] + "/hooks/..." if "/hooks/" in url else url
    lines = []
    for audience in audiences:
        same = [h for h in lists.webhooks(mc, audience.list_id) if h.get("url") == url]
        if not same:
            lists.create_webhook(mc, audience.list_id, body)
            lines.append(f"{audience.name}: registered {shown}")
        elif any(
            {**h.get("events", {}), **EVENTS} != h.get("events")
            or {**h.get("sources", {}), **SOURCES} != h.get("sources")
            for h in same
        ):
            hook = same[0]
            lists.update_webhook(mc, audience.list_id, hook["id"], body)
            lines.append(f"{audience.name}: corrected the events of {shown}")
        else:
            lines.append(f"{audience.name}: {shown} already registered")
    return lines
