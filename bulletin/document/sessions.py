"""When things happen: a day or a span of days, all day or between two times, once or in
several sessions.

Events, courses, webinars and diary entries share these models, so the email, the plain text
and anything made later from the same issue (a web edition, calendar files) read one kind of
typed data: a `Session` knows its `date`, its last day (`end_date`, for a span), its `start` and
`end` times, and whether it is `all_day`. A writer may put a span of days in `date`
("7-10 February 2022") and a range in `time` ("9am to 3pm", "0900-1300", "all day"); both are
read into those fields here, and an end before its start is an error at its line.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from pydantic import Field, ValidationInfo, model_validator

from bulletin.document.dates import (
    ALL_DAY,
    RANGE_FORMS,
    SPAN_FORMS,
    clock,
    parse_span,
    parse_time_range,
)
from bulletin.document.fields import (
    NEAR,
    Date,
    Link,
    LinkUrl,
    StrictModel,
    Text,
    Time,
    field_error,
)

TimeText = Annotated[
    str,
    Field(
        description=f"A time or a range, as written: {RANGE_FORMS}; it sets start and end "
        "(or all_day)"
    ),
]


class When(StrictModel):
    """A day or a span of days, and the time: all day, from `start`, or `start` to `end`."""

    date: Annotated[
        Date | None, Field(description=f"The day; or a span of days, as {SPAN_FORMS}")
    ] = None
    end_date: Annotated[Date | None, Field(description="The last day of a span of days")] = None
    time: TimeText | None = None
    start: Time | None = None
    end: Time | None = None
    all_day: Annotated[bool, Field(description="All day, with no start or end time")] = False

    @model_validator(mode="before")
    @classmethod
    def _read_ranges(cls, data: Any, info: ValidationInfo) -> Any:
        """A span written in `date`, a range written in `time`: into the typed fields."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        written = data.get("date")
        if isinstance(written, str):
            near = info.context.get(NEAR) if isinstance(info.context, dict) else None
            try:
                span = parse_span(written, near)
            except ValueError as err:
                raise field_error("date", str(err)) from None
            if span:
                if data.get("end_date") is not None:
                    raise field_error(
                        "date", f"is a span of days ({written!r}) and end_date is given too"
                    )
                data["date"], data["end_date"] = span
        if data.get("time") is not None:
            given = [k for k in ("start", "end", "all_day") if data.get(k) not in (None, False)]
            if given:
                raise field_error(
                    "time", f"give `time` or `{given[0]}`, not both (`time: 9am to 3pm` sets both)"
                )
            try:
                found = parse_time_range(data["time"])
            except ValueError as err:
                raise field_error("time", str(err)) from None
            if found is ALL_DAY:
                data["all_day"] = True
            else:
                data["start"], data["end"] = found  # type: ignore[misc]
        return data

    @model_validator(mode="after")
    def _in_order(self) -> When:
        if self.end_date and not self.date:
            raise field_error("end_date", "a last day needs a first day: give `date` too")
        if self.end_date and self.date and self.end_date < self.date:
            raise field_error(
                "end_date",
                f"{_day(self.end_date)} is before the first day, {_day(self.date)}",
            )
        if self.all_day and (self.start or self.end):
            raise field_error("all_day", "all day has no start or end time: leave them out")
        if self.end and not self.start:
            raise field_error(
                "end", "an end needs a start: give `start` too, or `time: 9am to 3pm`"
            )
        if self.start and self.end and self.end <= self.start:
            raise field_error(
                "end", f"{clock(self.end)} is not after the start, {clock(self.start)}"
            )
        return self

    @property
    def last_date(self) -> dt.date | None:
        """The last day: the end of a span, else the day itself."""
        return self.end_date or self.date

    @property
    def spans_days(self) -> bool:
        return bool(self.end_date and self.date and self.end_date > self.date)


class Session(When):
    """One sitting of an event or course: its own day and times, where, and how to book it."""

    date: Annotated[Date, Field(description=f"The day; or a span of days, as {SPAN_FORMS}")]
    venue: Annotated[str | None, Field(description="Where, if not the event's venue")] = None
    online: Annotated[str | None, Field(description="The platform, if online: 'Teams'")] = None
    note: Annotated[
        str | None, Field(description="A short note: 'managers only', 'repeat of the morning'")
    ] = None
    booking: Annotated[Link | None, Field(description="The link to book this session")] = None


class Scheduled(When):
    """Something held once (its own `date`) or in several `sessions`, or both: its own date
    is then the first session. Sessions without times take the times given here."""

    needs_a_date: ClassVar[bool] = True
    sessions: Annotated[
        list[Session], Field(description="Each sitting, with its own date, times and booking")
    ] = []

    @model_validator(mode="after")
    def _has_a_date(self) -> Scheduled:
        if self.needs_a_date and self.date is None and not self.sessions:
            raise field_error("date", "missing: give the `date`, or a list of `sessions`")
        return self

    @property
    def all_sessions(self) -> list[Session]:
        """Every session in date order as written: its own date first, then `sessions`."""
        own = [self._session(self.date, self.end_date)] if self.date else []
        return own + [self._with_times(s) for s in self.sessions]

    def _session(self, date: dt.date, end_date: dt.date | None = None) -> Session:
        return Session.model_construct(
            date=date, end_date=end_date, start=self.start, end=self.end, all_day=self.all_day
        )

    def _with_times(self, session: Session) -> Session:
        if session.start or session.all_day or not (self.start or self.all_day) or self.date:
            return session
        return session.model_copy(
            update={"start": self.start, "end": self.end, "all_day": self.all_day}
        )


class DiaryEntry(Scheduled):
    """A date for the diary: what, when, and where to find out more."""

    title: Annotated[Text, Field(description="What is happening")]
    url: Annotated[LinkUrl | None, Field(description="Where to find out more, or book")] = None
    venue: str | None = None
    online: Annotated[str | None, Field(description="The platform, if online")] = None
    show_year: Annotated[bool, Field(description="Write the year after the date")] = True


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
