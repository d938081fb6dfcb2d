"""The preview shows an issue's own files through one route, and serves nothing else."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support.campaigns import make_project
from support.local_files import pdf, photo, with_files

from bulletin.preview.server import PreviewServer


@pytest.fixture
def server(tmp_path: Path):
    issue = make_project(tmp_path)
    photo(issue.parent / "flyer.jpg", 300, 200)
    pdf(issue.parent / "strategy.pdf", 5_000)
    (tmp_path / "project" / "secret.txt").write_text("not for the web")
    with PreviewServer(with_files(issue)) as running:
        yield running, issue


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read(), answer.headers["Content-Type"]
    except urllib.error.HTTPError as err:
        return err.code, err.read(), ""


def test_a_file_the_issue_names_is_served_and_shown(server):
    running, issue = server
    _, html, _ = fetch(running.url + "email.html")
    src = re.search(r'src="(/files/flyer-[0-9a-f]{12}\.jpg)"', html.decode())
    assert src, "the image is not shown from /files/"
    status, body, kind = fetch(running.url.rstrip("/") + src[1])
    assert (status, kind) == (200, "image/jpeg")
    assert body == (issue.parent / "flyer.jpg").read_bytes()  # small: shown as it is
    assert re.search(r'href="/files/strategy-[0-9a-f]{12}\.pdf"', html.decode())


@pytest.mark.parametrize(
    "route",
    [
        "/files/flyer.jpg",
        "/files/secret.txt",
        "/files/../secret.txt",
        "/files/..%2Fsecret.txt",
        "/files/%2e%2e/%2e%2e/issues/flyer.jpg",
        "/files/",
    ],
)
def test_anything_else_under_files_is_404(server, route):
    running, _ = server
    status, body, _ = fetch(running.url.rstrip("/") + route)
    assert status == 404 and b"not for the web" not in body
