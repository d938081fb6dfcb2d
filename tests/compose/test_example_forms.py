"""The example of what real bulletins carry (examples/hollinvale-2022-03.yaml): a table,
columns, sessions, parts and the writer's order, built and checked with no finding at all."""

import re

from support.paths import REPO

from bulletin.checks import check_file
from bulletin.checks.context import html_tags

EXAMPLE = REPO / "examples" / "hollinvale-2022-03.yaml"


def test_it_builds_and_checks_clean():
    checked = check_file(EXAMPLE)
    assert checked.problems == []
    assert len(checked.rendered.html.encode()) < 60 * 1024


def test_it_carries_every_new_form():
    checked = check_file(EXAMPLE)
    html, text = checked.rendered.html, checked.rendered.text
    tags = html_tags(html)
    headings = [(t.name, t.text) for t in tags if re.fullmatch(r"h[1-6]", t.name)]
    assert ("h2", "Children and young people") in headings and ("h2", "Adults") in headings
    assert ("h3", "Where to get help with neglect") in headings  # a part's section: a level down
    assert [t.attrs.get("scope") for t in tags if t.name == "th"].count("row") == 3
    assert html.count("mj-column-per-50") >= 4  # the strategy's cards, two a row
    assert "March 2022 \u00b7 Issue 14" in html and "March 2022 - Issue 14" in text
    for session in (
        "Tuesday 22 March 2022, 9.30am to 12.30pm",
        "Tuesday 22 March 2022, 1.30pm to 4.30pm",
        "Monday 14 to Friday 18 March 2022, all day",
        "Tuesday 7 June 2022, 2pm to 4pm",
        "Thursday 9 June 2022, 6pm to 8pm",
        "Wednesday 11 May 2022, 9.30am to 11.30am",
        "Wednesday 11 May 2022, 1pm to 3pm",
    ):
        assert session in text and session in html
    # the writer's order: the booking part reads instruction, link, steps, then the contact
    booking = text.split("How to book:", 1)[1]
    order = [
        booking.index(part)
        for part in (
            "Book through the partnership's learning portal",
            "Open the learning portal: https://",
            "1. Log in with your work e-mail address",
            "If you have any problems with booking, contact:",
        )
    ]
    assert order == sorted(order)
    assert "Who can help:\nCall the children's advice line." in text
    assert "Follow us on Facebook: https://www.facebook.com/hollinvalepartnership" in text
