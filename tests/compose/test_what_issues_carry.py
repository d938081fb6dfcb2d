"""What real issues carry: an issue number, the partnership's website and social links, a
speaker, host or contact that is an organisation, events inside a forum or board-meeting
recap, and sections without a heading that leave no gap where it would be."""

import re
from pathlib import Path

import pytest
from support.browser import browser, evaluate
from support.issues import write_issue

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

LINKS = """\
header_links:
  - {text: Our website, url: "https://www.test-partnership.org.uk/"}
footer_links:
  - {text: Follow us on Facebook, url: "https://www.facebook.com/testpartnership"}
  - {text: Follow us on LinkedIn, url: "https://www.linkedin.com/company/testpartnership"}
"""

PEOPLE = """\
  - type: events
    events:
      - title: Conference
        date: 2021-03-17
        host: {organisation: Testbury Trading Standards}
        speakers:
          - organisation: The Safeguarding Adults Board
          - {name: Dr Lee, role: Consultant, organisation: Testbury Health}
  - type: contact
    people:
      - {organisation: The training team, email: training@test-partnership.org.uk}
"""

RECAP = """\
  - type: forum_recap
    heading: "Board meeting: what was agreed"
    held_on: 24 February 2021
    body: The board agreed the annual plan.
    diary_heading: Coming up
    diary:
      - title: Self-neglect forum
        url: https://www.test-partnership.org.uk/forum/
        sessions:
          - {date: 7 June 2021, time: 2-4pm}
          - {date: 9 June 2021, time: 6-8pm, note: an evening repeat}
      - title: Board
        date: 26 May 2021
        time: 10am to 12.30pm
        online: Microsoft Teams
"""


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r' style="[^"]*"', "", html))


def test_the_issue_number_is_under_the_title(project: Path):
    result = render(load_bulletin(write_issue(project, PEOPLE, edition="14")))
    assert "December 2020 \u00b7 Issue 14</p>" in result.html
    assert result.text.startswith("Test Bulletin\nDecember 2020 - Issue 14\n")
    worded = render(load_bulletin(write_issue(project, PEOPLE, edition='"Spring special"')))
    assert "December 2020 \u00b7 Spring special</p>" in worded.html


def test_the_publications_links_in_the_header_and_footer(project: Path):
    publication = project / "publications" / "test.yaml"
    publication.write_text(publication.read_text() + LINKS)
    result = render(load_bulletin(write_issue(project, PEOPLE)))
    page = plain(result.html)
    header, footer = page.split("<h1", 1)[1].split("Conference", 1)
    assert '<a href="https://www.test-partnership.org.uk/">Our website</a>' in header
    assert (
        '<a href="https://www.facebook.com/testpartnership">Follow us on Facebook</a> | '
        '<a href="https://www.linkedin.com/company/testpartnership">Follow us on LinkedIn</a>'
    ) in footer
    assert "Our website: https://www.test-partnership.org.uk/" in result.text.split("CONFERENCE")[0]
    assert "Follow us on LinkedIn: https://www.linkedin.com/company/testpartnership" in (
        result.text
    )


def test_an_organisation_as_host_speaker_or_contact(project: Path):
    result = render(load_bulletin(write_issue(project, PEOPLE)))
    page = plain(result.html)
    assert "<strong>Hosted by:</strong> <strong>Testbury Trading Standards</strong>" in page
    assert "<p><strong>The Safeguarding Adults Board</strong></p>" in page
    assert "<strong>Dr Lee</strong>, Consultant, Testbury Health" in page
    assert '<strong>The training team</strong><br><a href="mailto:training@' in page
    assert "Hosted by: Testbury Trading Standards" in result.text
    assert "The training team\nEmail: training@test-partnership.org.uk" in result.text


def test_events_inside_a_board_meeting_recap(project: Path):
    result = render(load_bulletin(write_issue(project, RECAP)))
    # Each date's "Add to calendar" links (tests/calendars/ reads them) aside:
    assert plain(result.html).count("Add to calendar: ") == 3
    page = re.sub(
        r"<br>Add to calendar: <a [^>]*>Google</a> \| <a [^>]*>Outlook</a>", "", plain(result.html)
    )
    text = re.sub(r"\n  Add to Google Calendar: \S+\n  Add to Outlook: \S+", "", result.text)
    assert "Held on Wednesday 24 February 2021" in page
    assert (
        '<a href="https://www.test-partnership.org.uk/forum/">Self-neglect forum</a></strong>'
        "<br>Monday 7 June 2021, 2pm to 4pm<br>Wednesday 9 June 2021, 6pm to 8pm "
        "(an evening repeat)</li>"
    ) in page
    assert "<br>Wednesday 26 May 2021, 10am to 12.30pm<br>Online: Microsoft Teams</li>" in page
    assert (
        "- Self-neglect forum\n  Monday 7 June 2021, 2pm to 4pm\n"
        "  Wednesday 9 June 2021, 6pm to 8pm (an evening repeat)\n"
        "  More information: https://www.test-partnership.org.uk/forum/"
    ) in text


NO_HEADINGS = """\
  - type: article
    anchor: story
    body: A story with no heading, that others link to.
  - type: notice
    body: A notice with no heading.
  - type: quote
    quote: A quote with no heading.
    attribution: {organisation: The board}
  - type: forum_recap
    body: A recap with no heading.
  - type: key_points
    groups: [{heading: A group under no heading, points: [one]}]
  - type: events
    events: [{title: An event under no heading, date: 2021-01-19}]
  - type: article
    heading: With a heading
    body: For comparison.
"""


@pytest.fixture(scope="module")
def chrome():
    with browser() as chrome:
        yield chrome


def test_a_section_without_a_heading_leaves_no_gap(chrome, project: Path):
    result = render(load_bulletin(write_issue(project, NO_HEADINGS)))
    gaps = evaluate(
        chrome,
        result.html,
        600,
        """() => ['A story with no heading', 'A notice with no heading',
                      'A quote with no heading', 'A recap with no heading',
                      'A group under no heading', 'An event under no heading',
                      'With a heading']
                 .map(words => {
                   const p = [...document.querySelectorAll('p, h2, h3')].find(
                     e => e.textContent.startsWith(words));
                   const top = p.getBoundingClientRect().top;
                   const section = p.closest('div[style*="max-width:600px"]');
                   // Panels joined in one section start under the divider's line.
                   const lines = [...section.querySelectorAll('td.dr p')]
                     .map(line => line.getBoundingClientRect().bottom)
                     .filter(bottom => bottom <= top);
                   return top - Math.max(section.getBoundingClientRect().top, ...lines);
                 })""",
    )
    assert gaps == [24] * 7  # the panel's padding, then the first words
    assert 'id="story"' in result.html  # the anchor is still there to link to
    assert result.text.startswith(
        "Test Bulletin\nDecember 2020\nTest Safeguarding Partnership\n\n"
        "A story with no heading, that others link to.\n"
    )
