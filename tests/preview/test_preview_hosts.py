"""The preview answers only this computer: a Host header naming anything but 127.0.0.1,
localhost or [::1] (a page that pointed its own name at 127.0.0.1: DNS rebinding) gets a 403
and none of the issue, and it never listens beyond loopback."""

from __future__ import annotations

import http.client
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from support.paths import REPO

from bulletin.cli import main
from bulletin.errors import BulletinError
from bulletin.preview.server import PreviewServer

EXAMPLE = "wscp-2020-12.yaml"
ROUTES = ["/", "/email.html", "/email.txt", "/state.json"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    tmp_path = tmp_path_factory.mktemp("preview")
    shutil.copytree(REPO / "publications", tmp_path / "publications")
    shutil.copy(REPO / "audiences.yaml", tmp_path / "audiences.yaml")
    (tmp_path / "issues").mkdir()
    issue = Path(shutil.copy(REPO / "examples" / EXAMPLE, tmp_path / "issues" / EXAMPLE))
    with PreviewServer(issue) as running:
        yield running


def get(url: str, route: str, host: str | None) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("GET", route, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8765",
        "127.0.0.1.evil.example",
        "localhost.evil.example",
        "",
        None,
    ],
)
def test_another_host_gets_a_403_and_nothing_of_the_issue(server, route, host):
    status, body = get(server.url, route, host)
    assert status == 403
    assert b"WSCP" not in body and b"Worcestershire" not in body


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST:8765"])
def test_this_computer_is_served(server, route, host):
    port = urlsplit(server.url).port
    status, _ = get(server.url, route, host if ":" in host.strip("[]") else f"{host}:{port}")
    assert status == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "::", "example.org"])
def test_a_bind_beyond_loopback_is_refused(tmp_path: Path, host: str):
    shutil.copytree(REPO / "publications", tmp_path / "publications")
    issue = Path(shutil.copy(REPO / "examples" / EXAMPLE, tmp_path / EXAMPLE))
    with pytest.raises(BulletinError, match="is not a loopback address"):
        PreviewServer(issue, host=host).start()
    result = CliRunner().invoke(main, ["preview", str(issue), "--host", host, "--no-open"])
    assert result.exit_code == 1
    assert "is not a loopback address" in result.output and "Traceback" not in result.output
