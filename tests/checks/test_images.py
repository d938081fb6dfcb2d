"""Image checks: alt text (missing, long, a file name), https, width; the logo too."""

from pathlib import Path

import pytest
from support.checking import checked, checked_rendered, found, html_edit, where
from support.issues import write_issue

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

SRC = "https://www.test-partnership.org.uk/flyers/chat-health.png"
# write_issue puts five header lines and `sections:` first: `src` is on line 9, `alt` on 10.
IMAGE = """\
  - type: image
    image:
      src: {src}
      alt: "{alt}"
{width}"""
WIDTH = "      width: 552\n"
ALT = "Chat Health: text 07507 331456 for confidential advice from a school nurse"


def image(alt: str = ALT, src: str = SRC, width: str = WIDTH) -> str:
    return IMAGE.format(alt=alt, src=src, width=width)


def add_logo(project: Path, src: str, width: str = "180") -> None:
    publication = project / "publications" / "test.yaml"
    logo = f"logo:\n  src: {src}\n  alt: Test Safeguarding Partnership\n"
    publication.write_text(
        publication.read_text() + logo + (f"  width: {width}\n" if width else "")
    )


def test_a_good_image_passes_every_image_rule(project: Path):
    add_logo(project, "https://www.test-partnership.org.uk/logo.png")
    assert [p for p in checked(project, image()) if p.rule.startswith("image-")] == []


def test_alt_text_of_spaces_is_missing_alt_text_at_its_line(project: Path):
    problems = found(checked(project, image(alt="  ")), "image-alt-missing")
    assert where(problems) == [
        ("issue.yaml", 10, "sections[0].image.alt", f"image {SRC!r} has no alt text")
    ]
    assert problems[0].severity == "error"


def test_an_img_without_alt_from_a_template_is_found(project: Path):
    edit = html_edit(f'alt="{ALT}"', "")
    problems = found(checked_rendered(project, image(), edit), "image-alt-missing")
    assert where(problems) == [
        ("issue.yaml", 10, "sections[0].image.alt", f"image {SRC!r} has no alt text")
    ]
    other = html_edit("</body>", '<img src="https://www.test-partnership.org.uk/x.png"></body>')
    problems = found(checked_rendered(project, image(), other), "image-alt-missing")
    assert where(problems) == [
        (
            "issue.yaml",
            1,
            "",
            "an <img> in the HTML has no alt text "
            "(src 'https://www.test-partnership.org.uk/x.png'): check your template",
        )
    ]


def test_alt_text_over_125_characters_is_a_warning(project: Path):
    long = "A poster: " + "x" * 116
    problems = found(checked(project, image(alt=long)), "image-alt-long")
    assert where(problems) == [
        (
            "issue.yaml",
            10,
            "sections[0].image.alt",
            "alt text is 126 characters ('A poster: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'); "
            "screen readers cut it after about 125",
        )
    ]
    assert problems[0].severity == "warning"
    assert not found(checked(project, image(alt=long[:125])), "image-alt-long")


@pytest.mark.parametrize("alt", ["Chat Health flyer.jpg", "IMG_0042", "chat-health", "DSC 1234"])
def test_alt_text_that_is_a_file_name_is_an_error(project: Path, alt: str):
    problems = found(checked(project, image(alt=alt)), "image-alt-filename")
    assert where(problems) == [
        (
            "issue.yaml",
            10,
            "sections[0].image.alt",
            f"alt text {alt!r} is a file name, not what the image shows",
        )
    ]
    assert problems[0].severity == "error"


@pytest.mark.parametrize("alt", [ALT, "Chat Health", "Poster for the 2020 conference", "Logo"])
def test_alt_text_that_describes_passes(project: Path, alt: str):
    src = "https://www.test-partnership.org.uk/logo.png"
    assert not found(checked(project, image(alt=alt)), "image-alt-filename")
    assert not found(checked(project, image(alt=alt, src=src)), "image-alt-filename")


def test_an_http_image_is_an_error_at_its_src(project: Path):
    src = SRC.replace("https:", "http:")
    problems = found(checked(project, image(src=src)), "image-insecure")
    assert where(problems) == [
        ("issue.yaml", 9, "sections[0].image.src", f"image {src!r} is not https")
    ]
    assert problems[0].severity == "error"


def test_an_http_logo_is_found_in_the_publication(project: Path):
    add_logo(project, "http://www.test-partnership.org.uk/logo.png")
    problems = found(checked(project, image()), "image-insecure")
    # test.yaml has nine lines; the logo's src is on line 11.
    assert where(problems) == [
        (
            "test.yaml",
            11,
            "logo.src",
            "image 'http://www.test-partnership.org.uk/logo.png' is not https",
        )
    ]


def test_an_http_img_from_a_template_is_found(project: Path):
    edit = html_edit(
        "</body>", '<img alt="Banner" src="http://www.test-partnership.org.uk/b.png"></body>'
    )
    problems = found(checked_rendered(project, image(), edit), "image-insecure")
    assert [p.message for p in problems] == [
        "an <img> in the HTML is not https ('http://www.test-partnership.org.uk/b.png'): "
        "check your template"
    ]


def test_an_image_without_width_is_a_warning(project: Path):
    problems = found(checked(project, image(width="")), "image-width-missing")
    assert where(problems) == [
        (
            "issue.yaml",
            9,
            "sections[0].image",
            f"image {SRC!r} has no width, so it fills the column",
        )
    ]
    assert problems[0].severity == "warning"


def test_a_logo_without_width_is_a_warning_in_the_publication(project: Path):
    add_logo(project, "https://www.test-partnership.org.uk/logo.png", width="")
    problems = found(checked(project, image()), "image-width-missing")
    assert where(problems) == [
        (
            "test.yaml",
            11,
            "logo",
            "image 'https://www.test-partnership.org.uk/logo.png' has no width, "
            "so it fills the column",
        )
    ]


def test_an_image_without_width_has_no_width_attribute_and_fills_the_column(project: Path):
    add_logo(project, "https://www.test-partnership.org.uk/logo.png", width="")
    result = render(load_bulletin(write_issue(project, image(width="") + image(src=SRC + "?2"))))
    assert f'<mj-image src="{SRC}" alt="{ALT}" />' in result.mjml
    assert f'<mj-image src="{SRC}?2" alt="{ALT}" width="552px" />' in result.mjml
    assert 'alt="Test Safeguarding Partnership" align="left"' in result.mjml
    assert f'src="{SRC}" width="552"' in result.html  # the column's width inside its padding
    assert f'src="{SRC}?2" width="552"' in result.html
    assert 'src="https://www.test-partnership.org.uk/logo.png" width="552"' in result.html
