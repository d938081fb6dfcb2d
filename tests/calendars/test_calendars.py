"""Calendar entries, their UIDs, and the "Add to calendar" links of the email and its text."""

import datetime as dt
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from support.checking import findings
from support.issues import write_issue

from bulletin.calendars.entries import entries
from bulletin.calendars.links import google_url, outlook_url
from bulletin.compose.render import render
from bulletin.document.issue import load_bulletin

EVENTS = """\
  - type: events
    heading: Events
    events:
      - title: {title}
        venue: County Hall, Worcester
        booking: {{text: Book the summer forum, url: "https://www.site.org.uk/book/"}}
        date: 2021-07-14
        time: 10am to 12 noon
      - title: Winter forum
        online: Teams
        date: 2021-01-20
        time: 2pm to 3.30pm
  - type: diary
    entries:
      - title: Board meeting
        date: 2021-03-03
"""


def issue(project: Path, title: str = "Summer forum") -> Path:
    return write_issue(project, EVENTS.format(title=title))


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_every_dated_item_is_an_entry_in_london_time(project: Path):
    summer, winter, board = entries(load_bulletin(issue(project)))
    assert summer.start == dt.datetime(2021, 7, 14, 10, tzinfo=summer.start.tzinfo)
    assert summer.start.utcoffset() == dt.timedelta(hours=1)  # British Summer Time
    assert winter.start.utcoffset() == dt.timedelta(0)  # GMT
    assert summer.location == "County Hall, Worcester" and winter.location == "Online: Teams"
    assert summer.url == "https://www.site.org.uk/book/"
    assert (board.start, board.end, board.timed) == (
        dt.date(2021, 3, 3),
        dt.date(2021, 3, 4),
        False,
    )


def test_uids_stay_the_same_across_loads_and_edits_of_the_text(project: Path):
    before = [e.uid for e in entries(load_bulletin(issue(project)))]
    again = [e.uid for e in entries(load_bulletin(issue(project)))]
    edited = [
        e.uid
        for e in entries(load_bulletin(issue(project, "Summer forum, now in the Council Chamber")))
    ]
    assert before == again == edited
    assert len(set(before)) == 3


def test_google_and_outlook_links_carry_utc_times_across_bst_and_gmt(project: Path):
    summer, winter, board = entries(load_bulletin(issue(project)))
    google = query(google_url(summer))
    assert google["dates"] == "20210714T090000Z/20210714T110000Z"  # 10am BST is 9am UTC
    assert google["text"] == "Summer forum" and google["location"] == "County Hall, Worcester"
    assert query(google_url(winter))["dates"] == "20210120T140000Z/20210120T153000Z"
    assert query(google_url(board))["dates"] == "20210303/20210304"
    outlook = query(outlook_url(summer))
    assert (outlook["startdt"], outlook["enddt"]) == (
        "2021-07-14T09:00:00Z",
        "2021-07-14T11:00:00Z",
    )
    assert query(outlook_url(board))["allday"] == "true"


def test_the_email_and_its_text_link_each_session_to_calendars(project: Path):
    rendered = render(load_bulletin(issue(project)))
    assert rendered.html.count("calendar.google.com") == 3
    assert rendered.html.count("outlook.office.com") == 3
    assert rendered.text.count("Add to Google Calendar: https://calendar.google.com/") == 3
    google = next(line for line in rendered.text.splitlines() if "Add to Google" in line)
    assert query(google.split(": ", 1)[1])["dates"] == "20210714T090000Z/20210714T110000Z"


def test_with_a_site_url_the_links_go_to_the_hosted_files(project: Path):
    pub = project / "publications" / "test.yaml"
    pub.write_text(pub.read_text() + "site_url: https://www.site.org.uk/bulletin\n")
    b = load_bulletin(issue(project))
    rendered = render(b)
    first = entries(b)[0]
    assert f'href="https://www.site.org.uk/bulletin/calendar/{first.key}.ics"' in rendered.html
    assert "calendar.google.com" not in rendered.html
    assert re.search(
        r'href="https://www.site.org.uk/bulletin/issue/"[^>]*>Read it on our website', rendered.html
    )
    assert "Read it on our website: https://www.site.org.uk/bulletin/issue/" in rendered.text


def test_a_dated_item_without_a_time_is_a_warning(project: Path):
    problems, _ = findings(issue(project))
    hits = [p for p in problems if p.rule == "calendar-time"]
    assert [(p.severity, p.field) for p in hits] == [("warning", "sections[1].entries[0]")]
    assert "'Board meeting' on Wednesday 3 March 2021 has no time" in hits[0].message


def test_an_end_before_its_start_is_a_warning(project: Path):
    """Validation refuses it in YAML; a model made otherwise is checked all the same."""
    from bulletin.checks.content import calendar_time
    from bulletin.checks.context import CheckContext

    b = load_bulletin(issue(project))
    section = b.issue.sections[0]
    event = section.events[1].model_copy(update={"end": dt.time(13)})
    sections = [section.model_copy(update={"events": [section.events[0], event]})]
    broken = b.issue.model_copy(update={"sections": sections})
    b = type(b)(b.path, broken, b.publication, b.project, b.source, b.publication_source)
    messages = [hit.message for hit in calendar_time.check(CheckContext(b, render(b)))]
    assert messages == ["'Winter forum' on Wednesday 20 January 2021 ends before it starts"]
