"""A file an issue names that Mailchimp or the mail apps cannot take is an error at its line."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from support.campaigns import make_project
from support.local_files import pdf, photo, with_files

from bulletin.cli import main


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    issue = make_project(tmp_path)
    photo(issue.parent / "flyer.jpg", 300, 200)
    pdf(issue.parent / "strategy.pdf", 5_000)
    return issue


def line_of(issue: Path, text: str) -> int:
    lines = issue.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def big(path: Path) -> Path:
    with path.open("wb") as sparse:
        sparse.truncate(10 * 1024 * 1024 + 1)
    return path


def svg(path: Path) -> Path:
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    return path


def not_an_image(path: Path) -> Path:
    path.write_text("Meeting notes, saved with the wrong name")
    return path


def cut_short(path: Path) -> Path:
    """A photo whose last two thirds were lost in a copy: its header still reads."""
    whole = photo(path, 400, 300).read_bytes()
    path.write_bytes(whole[: len(whole) // 3])
    return path


def webp(path: Path) -> Path:
    Image.new("RGB", (40, 30), (200, 0, 0)).save(path, "WEBP")
    return path


def claims(width: int, height: int):
    """A PNG whose header says width x height: the size is read before a pixel is."""

    def make(path: Path) -> Path:
        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        idat = zlib.compress(b"\0" * 64)
        signature = b"\x89PNG\r\n\x1a\n"
        path.write_bytes(
            signature + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
        )
        return path

    return make


CASES = {
    "missing": ("gone.jpg", "strategy.pdf", None, "no file 'gone.jpg'"),
    "svg": ("logo.svg", "strategy.pdf", svg, "an SVG, which Gmail and Outlook do not show"),
    "too large": ("flyer.jpg", "huge.pdf", big, "Mailchimp's File Manager takes 10 MB at most"),
    "outside": ("../../../etc/passwd", "strategy.pdf", None, "leads outside the project"),
    "absolute": ("/etc/passwd", "strategy.pdf", None, "leads outside the project"),
    "unsupported": ("flyer.jpg", "run.exe", lambda p: p.write_bytes(b"MZ") and p, "cannot be sent"),
    "not an image": ("notes.jpg", "strategy.pdf", not_an_image, "is not a PNG, JPEG or GIF"),
    "cut short": ("cut.jpg", "strategy.pdf", cut_short, "'cut.jpg' is damaged"),
    "webp": ("modern.jpg", "strategy.pdf", webp, "holds a WEBP image, which Outlook"),
    "huge": ("banner.png", "strategy.pdf", claims(9000, 8000), "9,000 x 8,000 pixels, over 50"),
    "bomb": ("bomb.png", "strategy.pdf", claims(60000, 60000), "over 50 megapixels"),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_file_that_cannot_go_is_one_error_at_its_line(issue, case, command, tmp_path):
    image, document, make, message = CASES[case]
    if make:
        make(issue.parent / (document if make is big or case == "unsupported" else image))
    with_files(issue, image=image, document=document)
    named = image if document == "strategy.pdf" else document
    args = [command, str(issue)] + (
        ["--out", str(tmp_path / "build")] if command == "build" else []
    )
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"{issue}:{line_of(issue, named)}:")
    assert message in errors[0]
    assert not (tmp_path / "build").exists()


def test_the_files_that_go_pass_check(issue):
    result = CliRunner().invoke(main, ["check", str(with_files(issue))])
    assert result.exit_code == 0, result.output


def test_a_path_through_a_link_out_of_the_project_is_refused(issue, tmp_path):
    outside = tmp_path / "elsewhere.pdf"
    pdf(outside, 100)
    os.symlink(outside, issue.parent / "linked.pdf")
    with_files(issue, document="linked.pdf")
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code != 0 and "leads outside the project" in result.output


def test_an_image_linked_as_a_document_is_checked_as_an_image(issue):
    cut_short(issue.parent / "poster.png")
    with_files(issue, document="poster.png")
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"{issue}:{line_of(issue, 'poster.png')}:" in result.output
    assert "'poster.png' is damaged" in result.output


@pytest.mark.parametrize(
    ("mode", "fmt"),
    [("CMYK", "JPEG"), ("L", "JPEG"), ("P", "PNG"), ("RGBA", "PNG"), ("I;16", "PNG"), ("P", "GIF")],
)
def test_whole_images_of_every_kind_pass(issue, mode, fmt):
    out = io.BytesIO()
    Image.linear_gradient("L").resize((1600, 900)).convert(mode).save(out, fmt)
    name = f"kind.{fmt.lower().replace('jpeg', 'jpg')}"
    (issue.parent / name).write_bytes(out.getvalue())
    result = CliRunner().invoke(main, ["check", str(with_files(issue, image=name))])
    assert result.exit_code == 0, result.output


def test_an_image_of_another_type_than_its_name_says_still_goes(issue):
    """A PNG saved as .jpg shows in every mail app: it is not refused."""
    (issue.parent / "renamed.jpg").write_bytes(
        (photo(issue.parent / "p.png", 300, 200)).read_bytes()
    )
    result = CliRunner().invoke(main, ["check", str(with_files(issue, image="renamed.jpg"))])
    assert result.exit_code == 0, result.output


def test_a_cut_short_image_is_found_after_the_pdf_made_pillow_lenient(issue, monkeypatch):
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when imported."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    cut_short(issue.parent / "late.jpg")
    result = CliRunner().invoke(main, ["check", str(with_files(issue, image="late.jpg"))])
    assert result.exit_code != 0 and "'late.jpg' is damaged" in result.output
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was found
