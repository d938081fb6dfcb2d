"""The webhook receiver refuses cleanly, over real sockets: a Content-Length that is no length,
a negative one, a chunked body, a burst of connections, clients that hang up, and events it
must not record (an unknown list, an address that is none). Nothing is acknowledged (200)
that was not recorded."""

from __future__ import annotations

import socket
import threading
from contextlib import closing
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from support.audiences import LIST_ID

from bulletin.audiences.suppression import Suppressions
from bulletin.audiences.webhooks import WebhookServer

SECRET = "s3cret-path-0123456789abcdef"
EVENT = urlencode(
    {"type": "unsubscribe", "data[list_id]": LIST_ID, "data[email]": "quit@example.org"}
).encode()


def raw(url: str, head: str, body: bytes = b"", timeout: float = 5) -> int | None:
    """Send a hand-written request; the status of the answer, or None if there was none."""
    parts = urlsplit(url)
    with closing(socket.create_connection((parts.hostname, parts.port), timeout=timeout)) as s:
        answer = b""
        try:  # the server may answer and close before it has all: it must not read it all
            s.sendall(head.replace("PATH", parts.path).encode() + b"\r\n\r\n" + body)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    if not answer.startswith(b"HTTP/"):
        return None
    return int(answer.split()[1])


def post(url: str, body: bytes, **headers: str) -> int | None:
    lines = ["POST PATH HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return raw(url, "\r\n".join(lines), body)


def suppressed(root: Path) -> list[str]:
    with Suppressions.open(root) as store:
        return [e.email for e in store.lookup("quit@example.org")]


@pytest.fixture
def server(root: Path):
    logged: list[str] = []
    with WebhookServer(root, SECRET, log=logged.append) as running:
        running.logged = logged  # type: ignore[attr-defined]
        yield running


@pytest.mark.parametrize("length", ["abc", "1e3", "5, 5", "-1", "+5", " ", "99999999999999999999"])
def test_a_content_length_that_is_no_length_is_a_400_and_nothing_is_read(server, root, length):
    status = post(server.url, EVENT + b"&" + b"x" * 10_000, Content_Length=length)
    assert status in (400, 413)
    assert suppressed(root) == []


def test_two_content_lengths_are_a_400(server, root):
    head = f"POST PATH HTTP/1.1\r\nHost: x\r\nContent-Length: {len(EVENT)}\r\nContent-Length: 5"
    assert raw(server.url, head, EVENT) == 400
    assert suppressed(root) == []


def test_a_negative_length_never_reads_a_large_body(server, root):
    status = post(server.url, b"x" * 10_000_000, Content_Length="-1")
    assert status == 400


def test_a_chunked_body_is_refused_not_acknowledged(server, root):
    chunked = f"{len(EVENT):x}\r\n".encode() + EVENT + b"\r\n0\r\n\r\n"
    assert post(server.url, chunked, Transfer_Encoding="chunked") == 411
    assert suppressed(root) == []


def test_no_length_at_all_is_a_411(server, root):
    assert post(server.url, EVENT) == 411


def test_an_event_is_recorded_then_acknowledged(server, root):
    assert post(server.url, EVENT, Content_Length=str(len(EVENT))) == 200
    assert suppressed(root) == ["quit@example.org"]


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"type": "unsubscribe", "data[list_id]": "ffffffffff", "data[email]": "a@b.org"}, 404),
        ({"type": "cleaned", "data[list_id]": "", "data[email]": "a@b.org"}, 404),
        ({"type": "unsubscribe", "data[list_id]": LIST_ID, "data[email]": "not an address"}, 400),
        ({"type": "unsubscribe", "data[list_id]": LIST_ID}, 400),
        (
            {"type": "upemail", "data[list_id]": LIST_ID, "data[old_email]": "x@y.org"},
            400,
        ),
    ],
)
def test_an_event_that_is_not_recorded_is_not_acknowledged(server, root, form, status):
    body = urlencode(form).encode()
    assert post(server.url, body, Content_Length=str(len(body))) == status
    with Suppressions.open(root) as store:
        assert len(store) == 0


def test_a_burst_of_connections_is_answered_not_reset(server, root):
    statuses: list[int | None] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            status = raw(server.url, "GET PATH HTTP/1.1\r\nHost: 127.0.0.1", timeout=20)
        except OSError:
            status = None
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=one) for _ in range(300)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses.count(200) == 300, sorted(map(str, statuses))[:5]


def test_clients_that_hang_up_leave_no_traceback(root, capfd):
    logged: list[str] = []
    with WebhookServer(root, SECRET, log=logged.append) as server:
        parts = urlsplit(server.url)
        for _ in range(20):
            with closing(socket.create_connection((parts.hostname, parts.port))) as s:
                s.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                s.sendall(f"GET {parts.path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert raw(server.url, "GET PATH HTTP/1.1\r\nHost: x") == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err, err
