"""White panels one after another share one section: the email looks the same, pixel for
pixel, and weighs less; a section for some readers, a part or a multi-section block stays on
its own."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from support.audiences import AUDIENCES
from support.browser import browser
from support.issues import write_issue
from support.paths import REPO

from bulletin.compose import render as render_module
from bulletin.compose.panels import join_panels
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

EXAMPLES = ["herefordshire-2020-11", "hollinvale-2022-03"]  # panels, items, parts, key points
SECTION = '<div class="dp"'  # a panel's section as mjml renders it


def panel(kind: str, words: str) -> str:
    return (
        f'<mj-section mj-class="{kind}" css-class="dp">\n<mj-column>\n'
        f"<mj-text>{words}</mj-text>\n</mj-column>\n</mj-section>"
    )


def unjoined(blocks):
    return [block for block, _ in blocks]


def screenshot(chrome, html: str, width: int, scheme: str) -> Image.Image:
    page = chrome.new_page(
        viewport={"width": width, "height": 900}, is_mobile=width < 500, color_scheme=scheme
    )
    try:
        page.route("**/*", lambda route: route.abort())
        page.set_content(html, wait_until="load")
        return Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    finally:
        page.close()


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


@pytest.mark.parametrize("stem", EXAMPLES)
def test_joined_panels_look_the_same_to_the_pixel(chrome, stem: str, monkeypatch):
    bulletin = load_bulletin(REPO / "examples" / f"{stem}.yaml")
    joined = render(bulletin).html
    monkeypatch.setattr(render_module, "join_panels", unjoined)
    apart = render(bulletin).html
    assert joined.count(SECTION) < apart.count(SECTION)
    seams = joined.count('class="dr"')
    assert seams >= 4
    assert len(apart.encode()) - len(joined.encode()) > 600 * seams  # what joining is for
    for width in (600, 375):
        for scheme in ("light", "dark"):
            before = screenshot(chrome, apart, width, scheme)
            after = screenshot(chrome, joined, width, scheme)
            assert after.size == before.size, (width, scheme)
            assert ImageChops.difference(before, after).getbbox() is None, (width, scheme)


def test_panels_in_a_row_become_one_section_with_a_divider_at_each_seam():
    blocks = [(panel("panel", "one"), True), (panel("panel-items", "two"), True)]
    blocks.append((panel("panel", "three"), True))
    [joined] = join_panels(blocks)
    assert joined.count("<mj-section") == 1 and joined.count("</mj-section>") == 1
    assert joined.index("one") < joined.index('mj-class="seam-items"') < joined.index("two")
    assert joined.index("two") < joined.index('mj-class="seam"') < joined.index("three")
    assert joined.endswith("</mj-column>\n</mj-section>")


def test_what_is_not_a_lone_panel_stays_on_its_own():
    part = '<mj-section mj-class="part" css-class="da">\n<mj-column>\n</mj-column>\n</mj-section>'
    several = panel("panel-open", "a") + "\n" + panel("panel", "b")
    blocks = [
        (panel("panel", "first"), True),
        (panel("panel", "for some readers"), False),
        (panel("panel", "after them"), True),
        (part, True),
        (panel("panel", "under the part"), True),
        (several, True),
        (panel("panel", "last"), True),
    ]
    assert join_panels(blocks) == [block for block, _ in blocks]


def test_a_section_for_some_readers_keeps_a_section_of_its_own(project: Path):
    (project / "audiences.yaml").write_text(AUDIENCES, encoding="utf-8")
    sections = """\
  - type: article
    heading: Before
    body: For everyone.
  - type: article
    heading: Adults
    for_groups: [Adult safeguarding]
    body: Only some readers.
  - type: article
    heading: After
    body: For everyone again.
  - type: notice
    heading: Last
    body: The end.
"""
    html = render(load_bulletin(write_issue(project, sections))).html
    opens, end = html.index("*|INTERESTED:"), html.index("*|END:INTERESTED|*")
    inside = html[opens:end]
    assert inside.count(SECTION) == 1 and "Only some readers" in inside
    # the two after the block share one section; the one before it is alone
    assert html[end:].count('class="dr"') == 1
    assert html[:opens].count('class="dr"') == 0
