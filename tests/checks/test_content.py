"""Content checks: dates in the past, booking without a link, empty and repeated sections."""

from pathlib import Path

from support.checking import checked, found

from bulletin.errors import Problem

# write_issue puts five header lines and `sections:` first: the first section is on line 7;
# the issue's date is 2020-12-04.


def hits(project: Path, sections: str, rule: str) -> list[Problem]:
    return found(checked(project, sections), rule)


PAST = """\
  - type: events
    events:
      - title: White Ribbon Online Event
        date: 2020-11-25
        booking: {text: Book on CPD Online, url: "https://www.test-partnership.org.uk/cpd"}
      - title: Annual Showcase
        sessions:
          - date: 2020-12-04
          - date: 2020-12-03
  - type: training
    courses:
      - title: Managing Allegations
        dates: [2020-12-10, 2020-11-30]
  - type: forum_recap
    heading: Practitioner Forum
    held_on: 2020-11-05
    body: More than 60 professionals attended.
    diary:
      - title: Focus on Case Reviews
        date: 2021-02-11
"""


def test_dates_before_the_issue_are_found_where_they_are(project: Path):
    problems = hits(project, PAST, "event-in-past")
    assert [(p.line, p.field, p.message, p.severity) for p in problems] == [
        (
            10,
            "sections[0].events[0].date",
            "'White Ribbon Online Event' is on Wednesday 25 November 2020, before the issue's "
            "date, Friday 4 December 2020",
            "warning",
        ),
        (
            15,
            "sections[0].events[1].sessions[1].date",
            "'Annual Showcase' is on Thursday 3 December 2020, before the issue's date, "
            "Friday 4 December 2020",
            "warning",
        ),
        (
            19,
            "sections[1].courses[0].dates[1]",
            "'Managing Allegations' is on Monday 30 November 2020, before the issue's date, "
            "Friday 4 December 2020",
            "warning",
        ),
    ]


def test_dates_on_or_after_the_issue_and_when_a_forum_was_held_pass(project: Path):
    future = PAST.replace("2020-11-25", "2020-12-25").replace("2020-12-03", "2020-12-05")
    assert not hits(project, future.replace("2020-11-30", "2021-01-06"), "event-in-past")


BOOKING = """\
  - type: events
    events:
      - title: White Ribbon Online Event
        date: 2020-12-25
        description: Places are limited, so book your place early.
      - title: Annual Showcase
        sessions:
          - date: 2020-12-17
            booking: {text: Morning session, url: "https://www.test-partnership.org.uk/am"}
        booking_note: Register for your preferred session.
  - type: training
    courses:
      - title: Managing Allegations
        how_to_book: Please register by e-mail to training@test-partnership.org.uk.
      - title: Raising Awareness of Exploitation
        how_to_book: Booking opens in January.
        booking: {text: CPD Online, url: "https://www.test-partnership.org.uk/cpd"}
      - title: Neglect Toolkit
        description: A book about neglect is sent to everyone who comes.
"""


def test_booking_words_without_a_link_are_found(project: Path):
    problems = hits(project, BOOKING, "booking-without-link")
    assert [(p.line, p.field, p.message, p.severity) for p in problems] == [
        (
            9,
            "sections[0].events[0]",
            "'White Ribbon Online Event' says 'book your' (description) but gives no booking link",
            "error",
        )
    ]


def test_booking_with_a_link_or_an_address_passes(project: Path):
    linked = BOOKING.replace(
        "so book your place early.",
        "so [book your place](https://www.test-partnership.org.uk/cpd) early.",
    )
    assert not hits(project, linked, "booking-without-link")


EMPTY = """\
  - type: events
    heading: Events
    events: []
  - type: training
    heading: Training
    anchor: training
  - type: icon
  - type: resources
    resources: []
    intro: See the resources below.
"""


def test_sections_with_nothing_in_them_are_found(project: Path):
    problems = hits(project, EMPTY, "section-empty")
    assert [(p.line, p.field, p.message, p.severity) for p in problems] == [
        (7, "sections[0]", "this events section: 'Events' has nothing under its heading", "error"),
        (
            10,
            "sections[1]",
            "this training section: 'Training' has nothing under its heading",
            "error",
        ),
    ]


def test_an_icon_section_with_only_the_publication_s_rows_is_not_empty(project: Path):
    # A bare `type: icon` shows the four ICON rows from the publication; the resources
    # section above has an intro.
    problems = hits(project, EMPTY, "section-empty")
    assert not [p for p in problems if p.field in ("sections[2]", "sections[3]")]


REPEATED = """\
  - type: notice
    heading: Thank You!
    body: Thank you all for your hard work.
  - type: notice
    heading: Thank You!
    body: Thank you all for your hard work, and stay safe.
  - type: notice
    anchor: thanks
    heading: Thank You!
    body: Thank you all for your hard work.
"""


def test_a_section_repeated_word_for_word_is_found_at_the_repeat(project: Path):
    problems = hits(project, REPEATED, "section-duplicate")
    assert [(p.line, p.field, p.message, p.severity) for p in problems] == [
        (13, "sections[2]", "'Thank You!' repeats sections[0] word for word", "warning")
    ]


def test_sections_that_differ_pass(project: Path):
    assert not hits(project, REPEATED.replace("work.\n", "work!\n", 1), "section-duplicate")


def test_a_span_of_days_is_past_only_after_its_last_day(project: Path):
    sections = """\
  - type: events
    events:
      - title: Week of action, under way
        date: 30 November - 6 December 2020
      - title: Week of action, over
        date: 23-27 November 2020
"""
    problems = hits(project, sections, "event-in-past")
    assert [(p.line, p.field, p.message) for p in problems] == [
        (
            12,
            "sections[0].events[1].date",
            "'Week of action, over' is on Friday 27 November 2020, before the issue's date, "
            "Friday 4 December 2020",
        )
    ]
