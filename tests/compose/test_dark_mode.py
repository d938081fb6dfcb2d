"""Dark mode in Chromium: a dark-mode reader gets the publication's dark palette, built from
`colours.dark` or derived from the light colours; the dark logo replaces the light one."""

import shutil
from pathlib import Path

import pytest
from support.browser import browser
from support.paths import REPO

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

HEREFORDSHIRE = REPO / "examples" / "herefordshire-2020-11.yaml"
SEEN = """() => {
  const css = (el, p) => getComputedStyle(el).getPropertyValue(p);
  const wrapper = document.querySelector('div[role=article]');
  const text = document.querySelector('.dp td > div:not([class])');
  const logos = [...document.querySelectorAll('.llg, .dlg')].map((el) => css(el, 'display'));
  return {body: css(document.body, 'background-color'), wrapper: css(wrapper, 'background-color'),
          text: css(text, 'color'), logos};
}"""


def rgb(colour: str) -> str:
    digits = colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(digits[i : i + 2], 16) for i in (0, 2, 4)))


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


def seen(chrome, html: str, scheme: str) -> dict:
    page = chrome.new_page(viewport={"width": 800, "height": 900})
    try:
        page.route("**/*", lambda route: route.abort())
        page.emulate_media(color_scheme=scheme)
        page.set_content(html, wait_until="load")
        return page.evaluate(SEEN)
    finally:
        page.close()


def test_the_email_declares_both_schemes():
    html = render(load_bulletin(HEREFORDSHIRE)).html
    assert '<meta name="color-scheme" content="light dark"' in html
    assert '<meta name="supported-color-schemes" content="light dark"' in html
    assert ":root{color-scheme:light dark}" in html
    assert "@media (prefers-color-scheme:dark){" in html
    assert "[data-ogsc] .db div" in html and "[data-ogsb] .dp" in html


def test_a_dark_mode_reader_gets_the_derived_dark_palette(chrome):
    bulletin = load_bulletin(HEREFORDSHIRE)
    html = render(bulletin).html
    dark = bulletin.publication.colours.dark_palette
    light = bulletin.publication.colours
    got = seen(chrome, html, "dark")
    assert got["body"] == got["wrapper"] == rgb(dark.background or "")
    assert got["text"] == rgb(dark.text or "")
    got = seen(chrome, html, "light")
    assert got["wrapper"] == rgb(light.background) and got["text"] == rgb(light.text)


LOGO = """\
logo:
  src: https://example.org/logo.png
  dark_src: https://example.org/logo-dark.png
  alt: Herefordshire Safeguarding Partnership
  width: 200
"""


def test_colours_dark_and_the_dark_logo_are_used(chrome, tmp_path: Path):
    shutil.copytree(REPO / "publications", tmp_path / "publications")
    publication = tmp_path / "publications" / "herefordshire.yaml"
    data = publication.read_text(encoding="utf-8")
    dark = 'colours:\n  dark: {background: "#1a1a1a", text: "#f0f0f0"}\n'
    publication.write_text(data.replace("colours:\n", dark) + LOGO, encoding="utf-8")
    issue = Path(shutil.copy(HEREFORDSHIRE, tmp_path / "issue.yaml"))
    html = render(load_bulletin(issue)).html
    got = seen(chrome, html, "dark")
    assert got["wrapper"] == rgb("#1a1a1a") and got["text"] == rgb("#f0f0f0")
    assert got["logos"] == ["none", "table-cell"]
    assert seen(chrome, html, "light")["logos"] == ["table-cell", "none"]
    assert "display:none;mso-hide:all" in html.split('class="dlg"')[1][:200]
