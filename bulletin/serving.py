"""Serving on loopback: the preview and the webhook receiver run the same way, a threaded HTTP
server in the background of the command, until Ctrl-C (or SIGTERM) stops it."""

from __future__ import annotations

import contextlib
import ipaddress
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

from bulletin.errors import BulletinError

S = TypeVar("S", bound=ThreadingHTTPServer)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int, handler: type[BaseHTTPRequestHandler], server: type[S]) -> S:
    """A server on `host:port` (0: a free port), answering in threads from now on."""
    try:
        httpd = server((host, port), handler)
    except OSError as err:
        raise BulletinError(f"cannot listen on {host}:{port}: {err.strerror}") from None
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def base_url(httpd: ThreadingHTTPServer) -> str:
    """`http://127.0.0.1:8765`: where the server listens."""
    host, port = httpd.server_address[:2]
    return f"http://{host!s}:{port}"


def wait(stop: threading.Event) -> None:
    """Serve until Ctrl-C, SIGTERM (as a service manager stops it), or `stop` is set."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        while not stop.wait(3600):
            pass


def shut(httpd: ThreadingHTTPServer | None) -> None:
    if httpd is not None:
        httpd.shutdown()
        httpd.server_close()
