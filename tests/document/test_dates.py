"""Dates and times as UK writers type them: every accepted form, and refusals that teach."""

import datetime as dt

import pytest

from bulletin.document.dates import (
    ALL_DAY,
    DATE_FORMS,
    TIME_FORMS,
    clock,
    parse_date,
    parse_span,
    parse_time,
    parse_time_range,
)

SEPT_8 = dt.date(2021, 9, 8)
ISSUE = dt.date(2020, 12, 4)


@pytest.mark.parametrize(
    "text",
    [
        "2021-09-08",
        "8 September 2021",
        "8th September 2021",
        "8th Sept 2021",
        "8 Sep 2021",
        "Wed 8 September 2021",
        "Wednesday, 8th September 2021",
        "wednesday 8th of september 2021",
        "September 8, 2021",
        "September 8th 2021",
        "08/09/2021",
        "8/9/21",
        "08.09.2021",
        "  8   September   2021 ",
    ],
)
def test_a_date_in_every_form_a_uk_writer_types(text: str):
    assert parse_date(text) == SEPT_8


def test_numeric_dates_are_read_day_first():
    assert parse_date("03/04/2021") == dt.date(2021, 4, 3)
    with pytest.raises(ValueError, match="there is no month 13"):
        parse_date("12/13/2021")  # a US date is not a UK one


def test_a_date_without_a_year_is_the_one_nearest_the_issue():
    assert parse_date("7 January", ISSUE) == dt.date(2021, 1, 7)  # next month
    assert parse_date("5 November", ISSUE) == dt.date(2020, 11, 5)  # last month
    assert parse_date("Wed 16 December", ISSUE) == dt.date(2020, 12, 16)
    with pytest.raises(ValueError, match="has no year; write it as 8 September 2021"):
        parse_date("7 January")  # no issue to read it against


@pytest.mark.parametrize(
    "text, message",
    [
        ("Tue 8 September 2021", "8 September 2021 is a Wednesday, not a Tuesday"),
        ("31 September 2021", "September 2021 has no day 31"),
        ("29/02/2021", "February 2021 has no day 29"),
        ("2020-13-45", "there is no month 13"),
        ("soon", f"not a date ('soon'); write it as {DATE_FORMS}"),
        ("8 Septembre 2021", "write it as 2021-09-08, 8 September 2021"),
    ],
)
def test_a_date_that_cannot_be_says_why(text: str, message: str):
    with pytest.raises(ValueError) as info:
        parse_date(text, ISSUE)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("7-10 February 2022", dt.date(2022, 2, 7), dt.date(2022, 2, 10)),
        ("7 to 10 February 2022", dt.date(2022, 2, 7), dt.date(2022, 2, 10)),
        ("7th \u2013 10th February 2022", dt.date(2022, 2, 7), dt.date(2022, 2, 10)),
        ("Mon 7 - Thu 10 February 2022", dt.date(2022, 2, 7), dt.date(2022, 2, 10)),
        ("28 February - 3 March 2022", dt.date(2022, 2, 28), dt.date(2022, 3, 3)),
        ("28 December - 3 January 2022", dt.date(2021, 12, 28), dt.date(2022, 1, 3)),
        ("2022-02-07 to 2022-02-10", dt.date(2022, 2, 7), dt.date(2022, 2, 10)),
        ("07/02/2022 - 10/02/2022", dt.date(2022, 2, 7), dt.date(2022, 2, 10)),
        ("7-10 February", dt.date(2021, 2, 7), dt.date(2021, 2, 10)),
    ],
)
def test_a_span_of_days_in_one_field(text: str, first: dt.date, last: dt.date):
    assert parse_span(text, ISSUE) == (first, last)


def test_one_day_is_not_a_span_even_with_dashes():
    assert parse_span("2022-02-07", ISSUE) is None
    assert parse_span("8 September 2021", ISSUE) is None


def test_a_span_that_ends_before_it_starts_is_an_error():
    with pytest.raises(ValueError, match="ends before it starts; write the first day first"):
        parse_span("10-7 February 2022", ISSUE)
    with pytest.raises(ValueError, match="7 February 2022 is a Monday, not a Tuesday"):
        parse_span("Tue 7 - Thu 10 February 2022", ISSUE)


@pytest.mark.parametrize(
    "text, hour, minute",
    [
        ("09:00", 9, 0),
        ("9:00", 9, 0),
        ("0900", 9, 0),
        ("0900hrs", 9, 0),
        ("13.30", 13, 30),
        ("9am", 9, 0),
        ("9 am", 9, 0),
        ("9.30 am", 9, 30),
        ("9.30a.m.", 9, 30),
        ("9:30pm", 21, 30),
        ("12pm", 12, 0),
        ("12am", 0, 0),
        ("noon", 12, 0),
        ("12 noon", 12, 0),
        ("midday", 12, 0),
        ("midnight", 0, 0),
    ],
)
def test_a_time_in_every_form_a_uk_writer_types(text: str, hour: int, minute: int):
    assert parse_time(text) == dt.time(hour, minute)


@pytest.mark.parametrize("number", [930, 1330, 9.3, 9])
def test_a_bare_yaml_number_is_never_a_time(number: float):
    with pytest.raises(ValueError) as info:
        parse_time(number)
    assert str(info.value) == (
        f"not a time; write it as 09:30 or 9.30am ({number!r} is a number), "
        "or 0930 in quotes ('0930'), 1pm or 12 noon"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("25:00", "the 24-hour clock runs from 00:00 to 23:59"),
        ("13pm", "a 12-hour clock runs from 1 to 12"),
        ("1.30", "could be night or afternoon; write 1.30pm"),
        ("half nine", f"not a time ('half nine'); write it as {TIME_FORMS}"),
        ("9am-1pm", "for a range, write `time: 9am to 3pm`"),
    ],
)
def test_a_time_that_cannot_be_says_what_is_accepted(text: str, message: str):
    with pytest.raises(ValueError) as info:
        parse_time(text)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("0900-1300", (9, 0), (13, 0)),
        ("0900- 1300", (9, 0), (13, 0)),
        ("9am to 3pm", (9, 0), (15, 0)),
        ("9am until 3pm", (9, 0), (15, 0)),
        ("from 9am till 3pm", (9, 0), (15, 0)),
        ("9.30am\u201312.30pm", (9, 30), (12, 30)),
        ("10-11.30am", (10, 0), (11, 30)),  # the am written once serves both ends
        ("10-2pm", (10, 0), (14, 0)),  # 10pm would end before it starts: 10am
        ("1.30-4.30pm", (13, 30), (16, 30)),
        ("9 - 12 noon", (9, 0), (12, 0)),
        ("10am-2", (10, 0), (14, 0)),
    ],
)
def test_a_range_of_times_in_one_field(text: str, start: tuple, end: tuple):
    assert parse_time_range(text) == (dt.time(*start), dt.time(*end))


def test_a_single_time_and_all_day_are_ranges_too():
    assert parse_time_range("9am") == (dt.time(9), None)
    assert parse_time_range("All day") is ALL_DAY
    assert parse_time_range("all-day") is ALL_DAY


def test_a_range_that_ends_before_it_starts_is_an_error():
    with pytest.raises(ValueError, match="end before they start; write the start first"):
        parse_time_range("3pm-9am")
    with pytest.raises(ValueError, match="not a time or a range of times"):
        parse_time_range("2.00-4.00")  # night or afternoon: refused, not guessed


def test_times_are_written_the_uk_way():
    assert [clock(dt.time(*t)) for t in ((9, 0), (14, 30), (12, 0), (0, 5))] == [
        "9am",
        "2.30pm",
        "12 noon",
        "12.05am",
    ]
