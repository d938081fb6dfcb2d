"""The web edition as a browser shows it: axe-core finds no violation of any impact on the
index and every issue page of the examples, on a desktop and a 320 px phone, and nothing
scrolls sideways. Unlike an email, a web page must have its landmarks (`main`, regions)."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from checks.test_axe import axe_script, describe  # noqa: F401 - axe_script is a fixture
from support.browser import browser
from support.paths import REPO

from bulletin.site.build import build_site

WIDTHS = [1280, 320]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(REPO / "publications", root / "publications")
    shutil.copytree(REPO / "examples", root / "examples")
    build_site(root, root / "site", since=dt.date(2020, 1, 1))
    return root / "site"


def pages() -> list[str]:
    found = [
        f"{p.stem.split('-')[0]}/{p.stem}/index.html" for p in (REPO / "examples").glob("*.yaml")
    ]
    indexes = {f"{name.split('/')[0]}/index.html" for name in found}
    return sorted(indexes) + sorted(found)


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", pages())
def test_every_page_passes_axe_without_sideways_scrolling(
    chrome,
    axe_script: Path,  # noqa: F811
    site: Path,
    name: str,
    width: int,
):
    page = chrome.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    try:
        page.route("http*://**/*", lambda route: route.abort())  # the site's own files only
        page.goto((site / name).as_uri(), wait_until="load")
        page.add_script_tag(path=str(axe_script))
        found = page.evaluate("async () => (await axe.run(document)).violations")
        assert found == [], describe(found)
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} is {scroll} px wide at {width} px"
        main = "() => getComputedStyle(document.querySelector('main')).maxWidth"
        assert page.evaluate(main) == "768px"  # the stylesheet was read
    finally:
        page.close()
