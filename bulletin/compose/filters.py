"""How dates, times and links read in a UK bulletin; shared by the HTML and text renderers."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bulletin.document.dates import clock
from bulletin.document.local_files import LocalFile

if TYPE_CHECKING:
    from bulletin.document.sessions import When

_FILE_KINDS = {
    ".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel",
    ".ppt": "PowerPoint", ".pptx": "PowerPoint", ".csv": "CSV", ".zip": "ZIP",
    ".mp4": "video", ".mp3": "audio", ".odt": "OpenDocument",
}  # fmt: skip


def long_date(day: dt.date) -> str:
    """`Wednesday 25 November 2020`."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def month_year(day: dt.date) -> str:
    return f"{day:%B %Y}"


def time_of_day(t: dt.time) -> str:
    """`9am`, `2.30pm`, `12 noon`: as UK bulletins write times."""
    return clock(t)


def time_range(start: dt.time | None, end: dt.time | None) -> str:
    if start and end:
        return f"{time_of_day(start)} to {time_of_day(end)}"
    return time_of_day(start) if start else ""


def when(item: When, show_year: bool = True) -> str:
    """`Wednesday 8 September 2021, 9am to 1pm`, `Monday 7 to Thursday 10 February 2022`,
    `Saturday 12 March 2022, all day`: a session's day or days, and its time."""
    if item.date is None:
        return time_range(item.start, item.end)
    first, last = item.date, item.end_date
    if last and last > first:
        if first.year != last.year:
            days = f"{long_date(first)} to {long_date(last)}"
        elif first.month != last.month:
            days = f"{first:%A} {first.day} {first:%B} to {long_date(last)}"
        else:
            days = f"{first:%A} {first.day} to {long_date(last)}"
        if not show_year:
            days = days.removesuffix(f" {last.year}")
    else:
        days = long_date(first) if show_year else f"{first:%A} {first.day} {first:%B}"
    if item.all_day:
        return f"{days}, all day"
    times = time_range(item.start, item.end)
    return f"{days}, {times}" if times else days


def file_kind(url: str) -> str | None:
    """`PDF` for a link to a .pdf, `PDF, 2.1 MB` for one in the project: readers should know a
    link downloads a file, and how big it is."""
    if isinstance(url, LocalFile):
        return url.label
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return _FILE_KINDS.get(suffix)


def display_url(url: str) -> str:
    """A URL as shown in text: the address of a mailto:, the number of a tel:."""
    if isinstance(url, LocalFile):
        from bulletin.compose.email_files import address

        return str(address(url))
    return url.removeprefix("mailto:").removeprefix("tel:")


ALL = {
    "long_date": long_date,
    "month_year": month_year,
    "time_of_day": time_of_day,
    "time_range": time_range,
    "when": when,
    "file_kind": file_kind,
    "display_url": display_url,
}
