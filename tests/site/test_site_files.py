"""The web edition carries an issue's own images and documents beside its page."""

import datetime as dt
import re
from pathlib import Path

from support.campaigns import make_project
from support.local_files import pdf, photo, with_files

from bulletin.site.build import build_site


def test_an_issues_own_files_are_copied_beside_its_page(tmp_path: Path):
    issue = make_project(tmp_path)
    photo(issue.parent / "flyer.jpg", 300, 200)
    pdf(issue.parent / "strategy.pdf", 3_000)
    with_files(issue)
    root = issue.parent.parent
    build_site(root, root / "site", since=dt.date(2020, 1, 1))
    page_folder = root / "site" / "wscp" / issue.stem
    page = (page_folder / "index.html").read_text(encoding="utf-8")
    src = re.search(r'src="(files/flyer-[0-9a-f]{12}\.jpg)"', page)
    href = re.search(r'href="(files/strategy-[0-9a-f]{12}\.pdf)"', page)
    assert src and href, "the page does not show the files from files/"
    assert (page_folder / src[1]).read_bytes() == (issue.parent / "flyer.jpg").read_bytes()
    assert (page_folder / href[1]).read_bytes() == (issue.parent / "strategy.pdf").read_bytes()
