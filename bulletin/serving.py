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


class LoopbackServer(ThreadingHTTPServer):
    """A threaded server that queues a burst of connections rather than resetting them, and
    takes a client hanging up early (BrokenPipe, reset) as the everyday thing it is."""

    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        err = sys.exc_info()[1]
        if isinstance(err, ConnectionError | TimeoutError):
            return
        print(f"error answering a request: {type(err).__name__}: {err}", file=sys.stderr)


# The Host header a page on this computer sends; any other name reached us by DNS rebinding.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


def local_host_header(value: str | None) -> bool:
    """Whether a request's Host names this computer (`localhost:8765`, `[::1]:8765`)."""
    if not value:
        return False
    host = value.strip().lower()
    if host.startswith("["):
        host = host[: host.find("]") + 1] if "]" in host else host
    else:
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return host in LOCAL_HOSTS


def refuse_unless_loopback(host: str, what: str) -> None:
    if not is_loopback(host):
        raise BulletinError(
            f"{host} is not a loopback address: {what} listens on 127.0.0.1 (or localhost, ::1) "
            "only"
        )


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
