"""Dates and times as UK writers type them, read into typed values.

A communications officer copies what partners send: "8th Sept 2021", "Wed 8 September 2021",
"08/09/2021" (day first), "0900-1300", "9am to 3pm", "12 noon", "7-10 February". Each form is
read here into a `datetime.date`, a `datetime.time`, or a pair of them, so what is rendered,
checked or put in a calendar is typed data, never text. Anything else is refused with the
forms that are accepted, so the writer can mend it from the message alone.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

DATE_FORMS = "2021-09-08, 8 September 2021, 8th Sept 2021, Wed 8 September 2021 or 08/09/2021"
TIME_FORMS = "09:30, 0930, 9.30am, 9.30 am, 1pm or 12 noon"
RANGE_FORMS = "9am to 3pm, 0900-1300, 10-11.30am or all day"
SPAN_FORMS = "7-10 February 2022 or 28 February to 3 March 2022"

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = "(?:(?P<weekday>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"


@cache
def _date_patterns() -> tuple[re.Pattern[str], ...]:
    """Compiled when first needed: most dates come from YAML as dates already."""
    return (
        re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"),
        re.compile(r"(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4}|\d{2})"),
        re.compile(rf"{_WEEKDAY}{_DAY}(?:\s+of)?\s+{_MONTH}{_YEAR}"),
        re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY}{_YEAR}"),
        # The first day of a span may leave out what its last day says: "7-10 February 2022".
        re.compile(rf"{_WEEKDAY}{_DAY}(?:\s+{_MONTH})?{_YEAR}"),
    )


_SEPARATOR = re.compile(r"\s*[-\u2013\u2014]\s*|\s+(?:to|until|till)\s+")

_NOON = re.compile(r"(?:12\s*)?(?:noon|midday)|12\s*(?:pm|p\.m\.)?\s*(?:noon|midday)")
_TWELVE_HOUR = re.compile(r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>[ap])\.?m\.?")
_TWENTY_FOUR = re.compile(r"(?P<h>\d{1,2})[:.](?P<m>\d{2})|(?P<hh>\d{2})(?P<mm>\d{2})")
_BARE_HOUR = re.compile(r"(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?")
_HOURS_SUFFIX = re.compile(r"\s*(?:hrs|hours|h)$")
_ALL_DAY = re.compile(r"all[\s-]*day")


class AllDay:
    """What `parse_time_range` gives for "all day": no start or end time."""


ALL_DAY = AllDay()


def parse_date(text: str, near: dt.date | None = None) -> dt.date:
    """One day in any accepted form; a date without a year takes the year that puts it
    nearest `near` (the issue's date). Raises ValueError saying what is accepted."""
    found = _match_date(text, near)
    if found is None:
        raise ValueError(f"not a date ({_shown(text)}); write it as {DATE_FORMS}")
    return found


def parse_span(text: str, near: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last day of a span written in one field ("7-10 February 2022"), or None if
    `text` is not written as a span. Raises ValueError if it is one but cannot be a span."""
    if _match_date(text, near, quiet=True) is not None:
        return None  # one day ("2022-02-07" has dashes but is no span)
    for sep in _SEPARATOR.finditer(text):
        left, right = text[: sep.start()].strip(), text[sep.end() :].strip()
        last = _match_date(right, near, quiet=True)
        if last is None or not left:
            continue
        first = _span_start(left, last) or _match_date(left, near, quiet=True)
        if first is None:
            continue
        if first > last:
            raise ValueError(
                f"the span {_shown(text)} ends before it starts; write the first day first, "
                f"as {SPAN_FORMS}"
            )
        return first, last
    return None


def parse_time(value: object) -> dt.time:
    """One time of day. A YAML number (`start: 930`) is never a time: the writer meant
    "09:30" or "9.30pm", and guessing which would put the wrong time in every calendar."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(
            f"not a time; write it as 09:30 or 9.30am ({value!r} is a number), "
            "or 0930 in quotes ('0930'), 1pm or 12 noon"
        )
    found = _match_time(value)
    if found is None:
        if _small_hour(" ".join(value.split())):
            raise ValueError(
                f"{_shown(value)} could be night or afternoon; write {value.strip()}pm "
                f"(or {value.strip()}am, or 0{value.strip()} on the 24-hour clock)"
            )
        hint = " (for a range, write `time: 9am to 3pm`)" if _SEPARATOR.search(value) else ""
        raise ValueError(f"not a time ({_shown(value)}); write it as {TIME_FORMS}{hint}")
    return found


def parse_time_range(value: object) -> tuple[dt.time, dt.time | None] | AllDay:
    """A time or a range of times in one field: "9am", "9am to 3pm", "0900-1300",
    "10-11.30am" (the am or pm written once serves both ends), or "all day"."""
    if isinstance(value, bool) or not isinstance(value, str):
        parse_time(value)  # raises: a number is no time
    text = str(value).strip()
    if _ALL_DAY.fullmatch(text.lower()):
        return ALL_DAY
    text = re.sub(r"^from\s+", "", text, flags=re.IGNORECASE)
    single = _match_time(text)
    if single is not None:
        return single, None
    for sep in _SEPARATOR.finditer(text):
        left, right = text[: sep.start()].strip(), text[sep.end() :].strip()
        pair = _time_pair(left, right)
        if pair is None:
            continue
        start, end = pair
        if end <= start:
            raise ValueError(
                f"the times {_shown(text)} end before they start; write the start first, "
                f"as {RANGE_FORMS}"
            )
        return start, end
    raise ValueError(f"not a time or a range of times ({_shown(text)}); write it as {RANGE_FORMS}")


def clock(time: dt.time) -> str:
    """`9am`, `2.30pm`, `12 noon`: a time as UK bulletins write it."""
    if time.hour == 12 and time.minute == 0:
        return "12 noon"
    hour = time.hour % 12 or 12
    suffix = "am" if time.hour < 12 else "pm"
    return f"{hour}{suffix}" if time.minute == 0 else f"{hour}.{time.minute:02d}{suffix}"


def _match_date(text: str, near: dt.date | None, *, quiet: bool = False) -> dt.date | None:
    cleaned = " ".join(text.strip().lower().split())
    for pattern in _date_patterns()[:-1]:
        match = pattern.fullmatch(cleaned)
        if match:
            return _build_date(match, text, near, quiet=quiet)
    return None


def _build_date(
    match: re.Match[str], text: str, near: dt.date | None, *, quiet: bool
) -> dt.date | None:
    parts = match.groupdict()
    month_text = parts["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text]
    day = int(parts["day"])
    year_text = parts.get("year")
    if quiet and not _possible(day, month, year_text):
        return None
    if not 1 <= month <= 12:
        raise ValueError(f"not a date ({_shown(text)}): there is no month {month}")
    if year_text is None:
        if near is None:
            raise ValueError(f"{_shown(text)} has no year; write it as 8 September 2021")
        found = _nearest(day, month, near, text)
    else:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        found = _day(year, month, day, text)
    weekday = parts.get("weekday")
    if weekday and _WEEKDAYS[weekday] != found.weekday():
        written = _weekday_name(_WEEKDAYS[weekday])
        raise ValueError(
            f"{found.day} {found:%B %Y} is a {found:%A}, not a {written} ({_shown(text)}); "
            "correct the day or the date"
        )
    return found


def _possible(day: int, month: int, year: str | None) -> bool:
    """Whether the numbers could be a date at all (a span's halves are tried quietly)."""
    if not 1 <= month <= 12:
        return False
    try:
        dt.date(int(year) if year and len(year) == 4 else 2000, month, day)
    except ValueError:
        return False
    return True


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        month_name = dt.date(2000, month, 1).strftime("%B")
        raise ValueError(
            f"not a date ({_shown(text)}): {month_name} {year} has no day {day}"
        ) from None


def _nearest(day: int, month: int, near: dt.date, text: str) -> dt.date:
    """The year that puts day and month nearest `near`: a December issue's "7 January" is
    next year's, its "5 November" (a forum held last month) this year's."""
    found = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            found.append(dt.date(year, month, day))
        except ValueError:  # 29 February
            continue
    if not found:
        return _day(near.year, month, day, text)
    return min(found, key=lambda d: abs((d - near).days))


def _span_start(left: str, last: dt.date) -> dt.date | None:
    """The first day of a span, completed from its last: "7" of "7-10 February 2022"."""
    match = _date_patterns()[-1].fullmatch(" ".join(left.lower().split()))
    if not match:
        return None
    parts = match.groupdict()
    month = _MONTHS[parts["month"]] if parts["month"] else last.month
    year = int(parts["year"]) if parts["year"] else last.year
    if not parts["year"] and month > last.month:
        year -= 1  # "28 December - 3 January 2022"
    try:
        first = dt.date(year, month, int(parts["day"]))
    except ValueError:
        return None
    weekday = parts["weekday"]
    if weekday and _WEEKDAYS[weekday] != first.weekday():
        raise ValueError(
            f"{first.day} {first:%B %Y} is a {first:%A}, not a "
            f"{_weekday_name(_WEEKDAYS[weekday])} ({_shown(left)}); correct the day or the date"
        )
    return first


def _match_time(text: str) -> dt.time | None:
    cleaned = " ".join(text.strip().lower().split())
    if _NOON.fullmatch(cleaned):
        return dt.time(12, 0)
    if cleaned in ("midnight", "12 midnight"):
        return dt.time(0, 0)
    match = _TWELVE_HOUR.fullmatch(cleaned)
    if match:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise ValueError(f"not a time ({_shown(text)}): a 12-hour clock runs from 1 to 12")
        if match["ampm"] == "p" and hour != 12:
            hour += 12
        elif match["ampm"] == "a" and hour == 12:
            hour = 0
        return dt.time(hour, minute)
    match = _TWENTY_FOUR.fullmatch(_HOURS_SUFFIX.sub("", cleaned))
    if match and not _small_hour(cleaned):
        hour, minute = int(match["h"] or match["hh"]), int(match["m"] or match["mm"])
        if hour > 23 or minute > 59:
            raise ValueError(
                f"not a time ({_shown(text)}): the 24-hour clock runs from 00:00 to 23:59"
            )
        return dt.time(hour, minute)
    return None


def _small_hour(text: str) -> bool:
    """`1.30` or `6:00` without am or pm: the 24-hour clock says the night, the writer
    almost always means the afternoon, so it is refused rather than guessed."""
    return bool(re.fullmatch(r"[1-6][.:]\d{2}", text))


def _time_pair(left: str, right: str) -> tuple[dt.time, dt.time] | None:
    """Both ends of a range; an end without am or pm takes the other end's."""
    start, end = _match_time(left), _match_time(right)
    if start is not None and end is not None:
        return start, end
    if start is None and end is not None:
        return _first_before(_with_suffix(left, right), end, before=True)
    if start is not None and end is None:
        return _first_before(_with_suffix(right, left), start, before=False)
    return None


def _with_suffix(bare: str, other: str) -> list[dt.time]:
    """`bare` ("10") read with the other end's am or pm, then the other one."""
    if not _BARE_HOUR.fullmatch(bare.strip()):
        return []
    suffix = "pm" if re.search(r"p\.?m\.?$|noon|midday", other.strip().lower()) else "am"
    other_suffix = "am" if suffix == "pm" else "pm"
    found = []
    for ending in (suffix, other_suffix):
        try:
            time = _match_time(bare.strip().replace(":", ".") + ending)
        except ValueError:
            continue
        if time is not None:
            found.append(time)
    return found


def _first_before(
    candidates: list[dt.time], fixed: dt.time, *, before: bool
) -> tuple[dt.time, dt.time] | None:
    for time in candidates:
        if (before and time < fixed) or (not before and time > fixed):
            return (time, fixed) if before else (fixed, time)
    return None


def _weekday_name(number: int) -> str:
    return dt.date(2024, 1, 1 + number).strftime("%A")  # 1 January 2024 was a Monday


def _shown(text: str) -> str:
    flat = " ".join(str(text).split())
    return repr(flat if len(flat) <= 60 else flat[:57] + "...")
