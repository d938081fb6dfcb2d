"""The writer's order: an article's `content`, an event's `booking_note` and a course's
`how_to_book` take blocks (text, image, button, table, steps, contact) and show them in the
order written; the plain Markdown they took before still reads the same."""

import re
from pathlib import Path

import pytest
from support.browser import browser, evaluate
from support.issues import write_issue

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

ARTICLE = """\
  - type: article
    heading: Safer sleep
    body: The campaign starts on 14 March.
    content:
      - text: First paragraph, before the poster.
      - image:
          src: https://www.test-partnership.org.uk/poster.png
          alt: "Safer sleep poster"
          width: 300
          caption: The poster
      - text: Second paragraph, after the poster.
      - button: {text: Order posters, url: "https://www.test-partnership.org.uk/order/"}
      - steps: [Fill in the form, Say how many, Wait ten days]
      - table:
          columns: [Pack, Posters]
          rows: [{label: Small, cells: ["10"]}]
      - contact:
          lead_in: "If you have any problems, contact:"
          organisation: The campaign team
          email: safersleep@test-partnership.org.uk
    links:
      - text: Read more about safer sleep
        url: https://www.test-partnership.org.uk/safer-sleep/
"""

BOOKING = """\
  - type: training
    courses:
      - title: Course
        dates: [2021-01-19]
        how_to_book:
          - text: Book through the portal.
          - button: {text: Open the portal, url: "https://www.test-partnership.org.uk/portal/"}
          - steps: [Log in, Choose a date]
          - contact:
              lead_in: "If you have any problems, contact:"
              name: Sam Lee
              email: sam@test-partnership.org.uk
"""


def rendered(project: Path, sections: str):
    return render(load_bulletin(write_issue(project, sections)))


def positions(text: str, *needles: str) -> list[int]:
    found = [text.find(needle) for needle in needles]
    assert -1 not in found, [n for n, i in zip(needles, found, strict=True) if i < 0]
    return found


def test_the_html_keeps_the_order_written(project: Path):
    html = re.sub(r' style="[^"]*"', "", rendered(project, ARTICLE).html)
    order = positions(
        html,
        "The campaign starts on 14 March.",
        "First paragraph, before the poster.",
        'src="https://www.test-partnership.org.uk/poster.png"',
        "The poster",
        "Second paragraph, after the poster.",
        ">Order posters<",
        "<ol",
        '<th scope="col">Pack</th>',
        "If you have any problems, contact:",
        "The campaign team",
        ">Read more about safer sleep<",
    )
    assert order == sorted(order)
    assert html.count("<li>") >= 3 and "<li>Wait ten days</li>" in html


def test_the_text_keeps_the_order_written(project: Path):
    text = rendered(project, ARTICLE).text
    order = positions(
        text,
        "The campaign starts on 14 March.",
        "First paragraph, before the poster.",
        "[Image: Safer sleep poster]\nThe poster",
        "Second paragraph, after the poster.",
        "Order posters: https://www.test-partnership.org.uk/order/",
        "1. Fill in the form\n2. Say how many\n3. Wait ten days",
        "Small\nPosters: 10",
        "If you have any problems, contact:\n\nThe campaign team\nEmail: safersleep@",
        "Read more about safer sleep: https://www.test-partnership.org.uk/safer-sleep/",
    )
    assert order == sorted(order)


def test_text_blocks_in_a_row_share_one_mj_text(project: Path):
    """Each <mj-text> costs its wrapper markup: consecutive text-like blocks share one."""
    from bulletin.compose.render import render

    sections = ARTICLE.replace(
        "      - button: {text: Order posters",
        "      - text: extra\n      - button: {text: Order posters",
    )
    source = render(load_bulletin(write_issue(project, sections))).mjml
    article = source.split("Safer sleep", 1)[1].split("</mj-section>", 1)[0]
    # body + first text | image (+ caption) | second text + extra | button | steps, table,
    # contact | the link button
    assert article.count("<mj-text") == 4  # three runs of text and the image's caption
    assert article.count("<mj-image") == 1 and article.count("<mj-button") == 2


def test_the_booking_part_in_the_order_of_the_original(project: Path):
    result = rendered(project, BOOKING)
    html = re.sub(r' style="[^"]*"', "", result.html)
    order = positions(
        html,
        "<strong>How to book:</strong>",
        "Book through the portal.",
        ">Open the portal<",
        "<li>Log in</li>",
        "If you have any problems, contact:",
        "Sam Lee",
    )
    assert order == sorted(order)
    assert "How to book:\n\nBook through the portal.\n\nOpen the portal: https://" in result.text
    assert "1. Log in\n2. Choose a date\n\nIf you have any problems, contact:\n\nSam Lee" in (
        result.text
    )


def test_plain_markdown_where_blocks_are_taken_reads_as_before(project: Path):
    sections = (
        "  - type: training\n    courses:\n      - title: Course\n"
        "        how_to_book: Book through the **portal**.\n"
    )
    result = rendered(project, sections)
    html = re.sub(r' style="[^"]*"', "", result.html)
    assert "<p><strong>How to book:</strong> Book through the <strong>portal</strong>.</p>" in html
    assert "How to book: Book through the portal." in result.text


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


BESIDE = """\
  - type: article
    heading: A flyer beside its story
    content:
      - image:
          src: https://www.test-partnership.org.uk/flyer.png
          alt: "Flyer: ICON week"
          width: 160
          beside: right
      - text: >
          The flyer stands to the right of this paragraph on a desktop, and above it on a
          phone, where there is no room beside it.
"""


def _boxes(chrome, html: str, width: int) -> dict:
    return evaluate(
        chrome,
        html,
        width,
        """() => {
              const box = e => { const r = e.getBoundingClientRect();
                                 return {left: r.left, top: r.top, right: r.right}; };
              const img = document.querySelector('img[alt="Flyer: ICON week"]');
              const p = [...document.querySelectorAll('p')].find(
                e => e.textContent.startsWith('The flyer stands'));
              return {img: box(img), text: box(p), scroll: document.documentElement.scrollWidth};
            }""",
    )


def test_an_image_beside_its_text_on_a_desktop_and_above_it_on_a_phone(chrome, project: Path):
    html = rendered(project, BESIDE).html
    desk = _boxes(chrome, html, 600)
    assert desk["img"]["left"] > desk["text"]["right"] - 1  # to the right of the text
    assert abs(desk["img"]["top"] - desk["text"]["top"]) < 8  # on the same line
    phone = _boxes(chrome, html, 375)
    assert phone["scroll"] <= 375
    assert phone["img"]["top"] < phone["text"]["top"]  # stacked: the image first, as written
    assert 'role="presentation"' in html.split('alt="Flyer: ICON week"')[0].rsplit("<table", 1)[1]
