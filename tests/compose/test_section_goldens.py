"""The diary, contact and key_points sections as readers get them: each built-in example's
plain-text part against a golden file, and what its HTML must carry (headings, links, dates).

`make goldens` (BULLETIN_UPDATE_GOLDENS=1) rewrites the golden files after a wanted change.
"""

import os
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.issues import write_issue
from support.paths import REPO, TESTS

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

GOLDEN = TESTS / "golden" / "sections"
RULE = "-" * 40  # the line between the last section and the footer


class Page(HTMLParser):
    """The links, the headings and the visible words of an email."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.words: list[str] = []
        self._heading: str | None = None
        self.feed(html)
        self.close()
        self.text = " ".join(" ".join(self.words).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        elif tag in ("h2", "h3"):
            self._heading = tag
            self.headings.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.words.append(data)
        if self._heading:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, " ".join((text + data).split()))


def example(project: Path, name: str):
    """The section's own example.yaml as the only section of an issue, rendered."""
    text = (REPO / "sections" / name / "example.yaml").read_text(encoding="utf-8")
    section = textwrap.indent("- " + textwrap.indent(text, "  ").lstrip(), "  ")
    return render(load_bulletin(write_issue(project, section, name=f"{name}.yaml")))


def section_text(text: str, heading: str) -> str:
    start = text.index(heading.upper())
    return text[start : text.index(RULE, start)].rstrip() + "\n"


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("diary", "Dates for your diary"),
        ("contact", "For further information"),
        ("key_points", "Our sub-groups during Covid-19: at a glance"),
    ],
)
def test_the_plain_text_part_matches_its_golden_file(project: Path, name: str, heading: str):
    got = section_text(example(project, name).text, heading)
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("BULLETIN_UPDATE_GOLDENS"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_the_diary_lists_every_entry_and_session_with_its_day(project: Path):
    page = Page(example(project, "diary").html)
    assert page.headings == [("h2", "Dates for your diary")]
    assert page.links[0] == "https://www.herefordshiresafeguardingboards.org.uk/"
    order = [
        "Focus on Adult Safeguarding",
        "Wednesday 16 December 2020",
        "Microsoft Teams",
        "Focus on Case Reviews",
        "Thursday 11 February 2021, 9.30am to 12.30pm",  # written 0930-1230
        "Thursday 11 February 2021, 2pm to 5pm (repeat of the morning session)",
        "Partnership Summit",
        "Wednesday 17 March 2021",
        "The Courtyard, Hereford",
        "Safeguarding Adults Week of Action",
        "Monday 7 to Thursday 10 June 2021",
    ]
    found = [page.text.find(words) for words in order]
    assert -1 not in found, [w for w, i in zip(order, found, strict=True) if i < 0]
    assert found == sorted(found)


def test_the_contact_links_each_address_and_number(project: Path):
    page = Page(example(project, "contact").html)
    assert page.headings == [("h2", "For further information")]
    assert page.links[:3] == [
        "mailto:levans4@worcschildrenfirst.org.uk",
        "tel:01905763763",
        "mailto:wscp@worcestershire.gov.uk",
    ]
    for words in ("Laura Evans", "Reducing Parental Conflict lead", "WSCP Business Unit"):
        assert words in page.text


def test_key_points_keep_each_group_under_its_heading(project: Path):
    page = Page(example(project, "key_points").html)
    assert page.headings == [
        ("h2", "Our sub-groups during Covid-19: at a glance"),
        ("h3", "Executive Group"),
        ("h3", "Quality Assurance Practice and Procedures Group"),
        ("h3", "Get Safe Strategic Group"),
    ]
    assert page.links[0] == "https://www.safeguardingworcestershire.org.uk/"
    order = [
        "Executive Group",
        "Meets by conference call fortnightly",
        "Quality Assurance Practice and Procedures Group",
        "Our Section 11 audit",
        "Get Safe Strategic Group",
        "Family Front Door continues",
        "Read the full update from the Safeguarding Partners",
    ]
    found = [page.text.find(words) for words in order]
    assert -1 not in found and found == sorted(found), found
