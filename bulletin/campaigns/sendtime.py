"""When to send: a local time typed by the officer, as the UTC quarter hour Mailchimp wants.

Mailchimp takes schedule times in UTC, on :00, :15, :30 or :45, in the future. Officers think in
UK time, and twice a year a local time happens twice (clocks go back) or not at all (clocks go
forward); both are refused with a clear choice rather than guessed. Refusals suggest the nearest
times that would be accepted, in the officer's own time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bulletin.errors import BulletinError

DEFAULT_TZ = "Europe/London"
QUARTER = timedelta(minutes=15)
FORMAT = "%Y-%m-%d %H:%M"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BulletinError(
            f"--tz {name!r}: not a time zone name (write one like Europe/London)"
        ) from None


def send_time(text: str, tz: str = DEFAULT_TZ, now: datetime | None = None) -> datetime:
    """The UTC moment of local time `text` ("YYYY-MM-DD HH:MM"), or a refusal saying why."""
    place = zone(tz)
    try:
        naive = datetime.strptime(text.strip(), FORMAT)
    except ValueError:
        raise BulletinError(
            f"--at {text!r}: write the time as YYYY-MM-DD HH:MM, e.g. 2020-12-04 09:00"
        ) from None
    moment = _unique_local(naive, place, text, tz)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    if moment <= now:
        raise BulletinError(
            f"{text} ({tz}) has passed (it is now {local(now, place)}); "
            f"the next times you can use are {_choices(_after(now, 2), place)}"
        )
    if moment.minute % 15:
        options = [t for t in _nearest(naive, place) if t > now] or _after(now, 2)
        raise BulletinError(
            f"{text}: Mailchimp sends only on the quarter hour (:00, :15, :30, :45); "
            f"use {_choices(options, place)}"
        )
    return moment


def _unique_local(naive: datetime, place: ZoneInfo, text: str, tz: str) -> datetime:
    """The one UTC moment a wall-clock time names, refusing the DST gap and overlap."""
    early, late = (naive.replace(tzinfo=place, fold=fold).astimezone(UTC) for fold in (0, 1))
    exists = [t for t in (early, late) if _wall(t, place) == naive]
    if not exists:
        raise BulletinError(
            f"{text} does not exist in {tz}: the clocks go forward then, skipping that hour; "
            f"use {_choices(_nearest(naive, place), place)}"
        )
    if early != late and len(exists) == 2:
        first, second = sorted(exists)
        raise BulletinError(
            f"{text} happens twice in {tz}: the clocks go back then, so it could be "
            f"{_clock(first, place)} ({first:%H:%M} UTC) or {_clock(second, place)} "
            f"({second:%H:%M} UTC); pick a time outside that hour"
        )
    return exists[0]


def _nearest(naive: datetime, place: ZoneInfo) -> list[datetime]:
    """The quarter hours just before and just after a local time, skipping a DST gap."""
    guess = _floor(naive.replace(tzinfo=UTC))
    quarters = [guess + QUARTER * n for n in range(-16, 17)]
    before = max(q for q in quarters if _wall(q, place) < naive)
    after = min(q for q in quarters if _wall(q, place) > naive)
    return [before, after]


def _wall(moment: datetime, place: ZoneInfo) -> datetime:
    return moment.astimezone(place).replace(tzinfo=None)


def _floor(moment: datetime) -> datetime:
    moment = moment.replace(second=0, microsecond=0)
    return moment - timedelta(minutes=moment.minute % 15)


def _after(now: datetime, count: int) -> list[datetime]:
    first = _floor(now) + QUARTER
    return [first + QUARTER * n for n in range(count)]


def _clock(moment: datetime, place: ZoneInfo) -> str:
    there = moment.astimezone(place)
    return f"{there:%H:%M} {there.tzname()}"


def _choices(moments: list[datetime], place: ZoneInfo) -> str:
    return " or ".join(f'"{m.astimezone(place):%Y-%m-%d %H:%M}"' for m in moments)


def local(moment: datetime, place: ZoneInfo | str = DEFAULT_TZ) -> str:
    """A moment as the officer reads it: 'Friday 4 December 2020 09:00 GMT'."""
    place = zone(place) if isinstance(place, str) else place
    there = moment.astimezone(place)
    return f"{there:%A} {there.day} {there:%B %Y %H:%M} {there.tzname()}"


def utc_iso(moment: datetime) -> str:
    """The schedule_time Mailchimp wants: ISO 8601 in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def parse_iso(text: str | None) -> datetime | None:
    """A time as Mailchimp writes it ('2020-12-04T09:00:00+00:00'); None when empty."""
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
