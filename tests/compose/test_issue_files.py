"""`build` shows an issue's own files from copies beside the HTML; documents say type and size."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from click.testing import CliRunner
from PIL import Image
from support.campaigns import make_project
from support.local_files import pdf, photo, with_files

from bulletin.cli import main
from bulletin.compose.email_files import email_copy, local_files
from bulletin.document.issue import load_bulletin


def build(issue: Path, out: Path) -> tuple[str, str]:
    result = CliRunner().invoke(main, ["build", str(issue), "--out", str(out)])
    assert result.exit_code == 0, result.output
    name = issue.stem
    return (out / f"{name}.html").read_text(), (out / f"{name}.txt").read_text()


def test_build_writes_the_copies_beside_the_html_and_links_them_relatively(tmp_path):
    issue = make_project(tmp_path)
    photo(issue.parent / "flyer.jpg", 300, 200)
    pdf(issue.parent / "strategy.pdf", 2_200_000)
    out = tmp_path / "build"
    html, text = build(with_files(issue), out)
    src = re.search(r'src="(wscp-2020-12\.files/flyer-[0-9a-f]{12}\.jpg)"', html)
    href = re.search(r'href="(wscp-2020-12\.files/strategy-[0-9a-f]{12}\.pdf)"', html)
    assert src and href
    assert (out / src[1]).read_bytes() == (issue.parent / "flyer.jpg").read_bytes()
    assert (out / href[1]).read_bytes() == (issue.parent / "strategy.pdf").read_bytes()
    assert "The GET SAFE strategy</a> (PDF, 2.1 MB)" in html
    assert f"The GET SAFE strategy (PDF, 2.1 MB): {href[1]}" in text
    assert 'width="300"' in html  # the image's own width, read from the file


def test_an_oversized_photo_is_resized_for_email_and_the_original_kept(tmp_path):
    issue = make_project(tmp_path)
    original = photo(issue.parent / "flyer.jpg", 3000, 2000)
    pdf(issue.parent / "strategy.pdf", 1_000)
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    [image, _] = local_files(load_bulletin(with_files(issue)))
    copy = email_copy(image)
    with Image.open(io.BytesIO(copy.data)) as shown:
        assert shown.size == (1200, 800)
    assert len(copy.data) < original.stat().st_size
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    email_copy.__globals__["_copy"].cache_clear()
    assert email_copy(image).data == copy.data  # the same input, the same bytes


def test_a_logo_in_the_project_is_read_against_the_project(tmp_path):
    issue = make_project(tmp_path)
    root = issue.parent.parent
    (root / "brand").mkdir()
    photo(root / "brand" / "logo.png", 200, 60)
    publication = root / "publications" / "wscp.yaml"
    text = publication.read_text(encoding="utf-8")
    publication.write_text(text + "logo:\n  src: brand/logo.png\n  alt: WSCP\n", encoding="utf-8")
    html, _ = build(issue, tmp_path / "build")
    assert re.search(r'src="wscp-2020-12\.files/logo-[0-9a-f]{12}\.png"', html)
