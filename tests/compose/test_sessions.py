"""Sessions: a course, event, webinar or diary entry held once or several times, each sitting
with its own day (or span of days), times, place, note and booking; typed data, every one
listed in the email and the plain text."""

import datetime as dt
import re
from pathlib import Path

import pytest
from support.issues import write_issue

from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin
from bulletin.errors import ContentError

TRAINING = """\
  - type: training
    courses:
      - title: Graded care profile
        sessions:
          - date: Tuesday 22nd March 2022
            time: 0930-1230
            online: Microsoft Teams
            note: managers only
            booking:
              text: Book the morning session
              url: https://www.test-partnership.org.uk/am/
          - date: 22/03/2022
            time: 1.30-4.30pm
            venue: Town Hall, Testbury
            note: repeat of the morning session
            booking:
              text: Book the afternoon session
              url: https://www.test-partnership.org.uk/pm/
"""

EVENTS = """\
  - type: events
    events:
      - title: Week of action
        date: 7-10 February 2022
        all_day: true
      - title: Conference
        date: 8 September 2021
        time: 9am to 3pm
      - title: Showcase
        time: 10am to 11am
        sessions:
          - date: 2021-11-17
          - date: 2021-11-18
            time: 8pm to 9pm
"""

DIARY = """\
  - type: diary
    entries:
      - title: Practitioner forum
        sessions:
          - date: 11 May 2022
            time: 9.30-11.30am
          - date: 11 May 2022
            time: 1pm to 3pm
            note: repeat
      - title: Summit
        date: Wed 17 March 2021
        all_day: true
"""


def loaded(project: Path, sections: str):
    return load_bulletin(write_issue(project, sections, date="2021-01-04"))


def test_sessions_are_typed_data(project: Path):
    course = loaded(project, TRAINING).issue.sections[0].courses[0]
    morning, afternoon = course.all_sessions
    assert (morning.date, morning.start, morning.end) == (
        dt.date(2022, 3, 22),
        dt.time(9, 30),
        dt.time(12, 30),
    )
    assert (afternoon.start, afternoon.end) == (dt.time(13, 30), dt.time(16, 30))
    assert morning.online == "Microsoft Teams" and afternoon.venue == "Town Hall, Testbury"
    assert morning.booking.url.endswith("/am/") and afternoon.note.startswith("repeat")


def test_spans_all_day_and_shared_times(project: Path):
    week, conference, showcase = loaded(project, EVENTS).issue.sections[0].events
    (only,) = week.all_sessions
    assert (only.date, only.end_date, only.all_day, only.start) == (
        dt.date(2022, 2, 7),
        dt.date(2022, 2, 10),
        True,
        None,
    )
    assert only.spans_days and only.last_date == dt.date(2022, 2, 10)
    assert (conference.start, conference.end) == (dt.time(9), dt.time(15))
    first, second = showcase.all_sessions
    assert (first.start, first.end) == (dt.time(10), dt.time(11))  # the event's times
    assert (second.start, second.end) == (dt.time(20), dt.time(21))  # its own


def test_every_session_is_in_the_html_and_the_text(project: Path):
    result = render(loaded(project, TRAINING + DIARY))
    page = re.sub(r"\s+", " ", re.sub(r' style="[^"]*"', "", result.html))
    # Each session is followed by its "Add to calendar" links (tests/calendars/ reads them).
    assert page.count("Add to calendar: ") == 5  # 2 course sessions, 3 diary dates
    page = re.sub(r"<br>Add to calendar: <a [^>]*>Google</a> \| <a [^>]*>Outlook</a>", "", page)
    text = re.sub(r"\n  Add to Google Calendar: \S+\n  Add to Outlook: \S+", "", result.text)
    for line in (
        "Tuesday 22 March 2022, 9.30am to 12.30pm, online: Microsoft Teams (managers only): "
        '<a href="https://www.test-partnership.org.uk/am/">Book the morning session</a>',
        "Tuesday 22 March 2022, 1.30pm to 4.30pm, Town Hall, Testbury "
        "(repeat of the morning session): "
        '<a href="https://www.test-partnership.org.uk/pm/">Book the afternoon session</a>',
        "<br>Wednesday 11 May 2022, 9.30am to 11.30am<br>Wednesday 11 May 2022, 1pm to 3pm "
        "(repeat)",
        "<br>Wednesday 17 March 2021, all day",
    ):
        assert line in page
    assert page.count("<li>Tuesday 22 March 2022") == 2  # a list: "Dates:"
    for line in (
        "- Tuesday 22 March 2022, 9.30am to 12.30pm, online: Microsoft Teams (managers only): "
        "Book the morning session: https://www.test-partnership.org.uk/am/",
        "- Tuesday 22 March 2022, 1.30pm to 4.30pm, Town Hall, Testbury (repeat of the morning "
        "session): Book the afternoon session: https://www.test-partnership.org.uk/pm/",
        "  Wednesday 11 May 2022, 9.30am to 11.30am\n  Wednesday 11 May 2022, 1pm to 3pm (repeat)",
        "  Wednesday 17 March 2021, all day",
    ):
        assert line in text


def test_spans_read_as_days(project: Path):
    result = render(loaded(project, EVENTS))
    result_html = re.sub(r' style="[^"]*"', "", result.html)
    assert "<strong>Date:</strong> Monday 7 to Thursday 10 February 2022, all day" in result_html
    assert "Date: Monday 7 to Thursday 10 February 2022, all day" in result.text
    assert "Date: Wednesday 8 September 2021, 9am to 3pm" in result.text
    text = re.sub(r"\n  Add to Google Calendar: \S+\n  Add to Outlook: \S+", "", result.text)
    assert (
        "- Wednesday 17 November 2021, 10am to 11am\n- Thursday 18 November 2021, 8pm to 9pm"
        in text
    )


@pytest.mark.parametrize(
    "when, line, field, message",
    [
        ("time: 3pm-9am", 11, "time", "the times '3pm-9am' end before they start"),
        ("start: 2pm\n        end: 1pm", 12, "end", "1pm is not after the start, 2pm"),
        ("end_date: 2021-01-01", 11, "end_date", "1 January 2021 is before the first day"),
        ("all_day: true\n        time: 9am", 12, "time", "give `time` or `all_day`, not both"),
        ("time: all day\n        start: 9am", 11, "time", "give `time` or `start`, not both"),
        ("all_day: true\n        start: 9am", 11, "all_day", "all day has no start or end time"),
        ("end: 1pm", 11, "end", "an end needs a start"),
        ("time: 930", 11, "time", "not a time; write it as 09:30 or 9.30am (930 is a number)"),
    ],
)
def test_times_out_of_order_are_errors_at_their_line(
    project: Path, when: str, line: int, field: str, message: str
):
    event = f"      - title: X\n        date: 2021-02-01\n        {when}\n"
    sections = "  - type: events\n    events:\n" + event
    with pytest.raises(ContentError) as info:
        load_bulletin(write_issue(project, sections))
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (line, f"sections[0].events[0].{field}")
    assert message in problem.message


def test_an_event_needs_a_date_or_sessions(project: Path):
    with pytest.raises(ContentError) as info:
        load_bulletin(write_issue(project, "  - type: events\n    events:\n      - title: X\n"))
    (problem,) = info.value.problems
    assert problem.field == "sections[0].events[0].date"
    assert "give the `date`, or a list of `sessions`" in problem.message


def test_a_date_without_a_year_is_read_near_the_issue_date(project: Path):
    sections = "  - type: diary\n    entries:\n      - title: X\n        date: 7-10 January\n"
    (entry,) = (
        load_bulletin(write_issue(project, sections, date="8 December 2020"))
        .issue.sections[0]
        .entries
    )
    assert (entry.date, entry.end_date) == (dt.date(2021, 1, 7), dt.date(2021, 1, 10))


def test_the_simple_forms_still_read_as_before(project: Path):
    sections = (
        "  - type: training\n    courses:\n      - title: X\n"
        "        dates: [2021-01-19, 2021-02-23]\n        start: 9.30am\n        end: 12.30pm\n"
    )
    result = render(load_bulletin(write_issue(project, sections)))
    assert (
        "<strong>Dates:</strong> Tuesday 19 January 2021; Tuesday 23 February 2021<br>"
        "<strong>Time:</strong> 9.30am to 12.30pm"
    ) in result.html
    assert "Dates: Tuesday 19 January 2021; Tuesday 23 February 2021\nTime: 9.30am to 12.30pm" in (
        result.text
    )
