"""Local send times to UTC: across the clock changes, on the quarter hour, in the future."""

import time
from datetime import UTC, datetime

import pytest

from bulletin.campaigns.sendtime import local, parse_iso, send_time, utc_iso
from bulletin.errors import BulletinError

NOW = datetime(2020, 10, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def computer_in_another_zone(monkeypatch):
    """The computer's own time zone never leaks into a send time or the UTC a message shows:
    these tests run as on a laptop set to New York."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("at", "utc"),
    [
        ("2020-12-04 09:00", "2020-12-04T09:00:00+00:00"),  # GMT: UTC+0
        ("2021-06-04 09:00", "2021-06-04T08:00:00+00:00"),  # BST: UTC+1
        # 25 October 2020: at 02:00 BST the clocks went back to 01:00 GMT.
        ("2020-10-25 00:45", "2020-10-24T23:45:00+00:00"),
        ("2020-10-25 02:00", "2020-10-25T02:00:00+00:00"),
        # 28 March 2021: at 01:00 GMT the clocks went forward to 02:00 BST.
        ("2021-03-28 00:45", "2021-03-28T00:45:00+00:00"),
        ("2021-03-28 02:00", "2021-03-28T01:00:00+00:00"),
    ],
)
def test_local_times_become_utc_across_the_clock_changes(at, utc):
    assert utc_iso(send_time(at, "Europe/London", now=NOW)) == utc


def test_other_time_zones():
    moment = send_time("2020-12-04 09:00", "America/New_York", now=NOW)
    assert utc_iso(moment) == "2020-12-04T14:00:00+00:00"


def test_a_time_that_happens_twice_is_refused_with_both_readings():
    with pytest.raises(BulletinError) as info:
        send_time("2020-10-25 01:30", now=NOW)
    message = str(info.value)
    assert "happens twice in Europe/London" in message
    assert "01:30 BST (00:30 UTC)" in message
    assert "01:30 GMT (01:30 UTC)" in message


def test_a_time_that_does_not_exist_is_refused_with_the_times_either_side():
    with pytest.raises(BulletinError) as info:
        send_time("2021-03-28 01:30", now=NOW)
    message = str(info.value)
    assert "does not exist in Europe/London" in message
    assert '"2021-03-28 00:45" or "2021-03-28 02:00"' in message


def test_off_the_quarter_hour_suggests_the_quarter_hours_either_side():
    with pytest.raises(BulletinError) as info:
        send_time("2021-06-04 09:07", now=NOW)
    assert "quarter hour" in str(info.value)
    assert str(info.value).endswith('use "2021-06-04 09:00" or "2021-06-04 09:15"')


def test_off_the_quarter_hour_never_suggests_a_past_time():
    now = datetime(2020, 12, 4, 9, 2, tzinfo=UTC)
    with pytest.raises(BulletinError) as info:
        send_time("2020-12-04 09:07", now=now)
    assert str(info.value).endswith('use "2020-12-04 09:15"')


def test_a_past_time_suggests_the_next_quarter_hours_in_local_time():
    now = datetime(2020, 7, 1, 8, 5, tzinfo=UTC)  # 09:05 BST
    with pytest.raises(BulletinError) as info:
        send_time("2020-07-01 09:00", now=now)
    message = str(info.value)
    assert "has passed" in message and "09:05 BST" in message
    assert message.endswith('"2020-07-01 09:15" or "2020-07-01 09:30"')


@pytest.mark.parametrize("at", ["4 Dec 2020 9am", "2020-12-04", "2020-12-04 25:00", ""])
def test_a_malformed_time_is_one_line(at):
    with pytest.raises(BulletinError, match=r"write the time as YYYY-MM-DD HH:MM"):
        send_time(at, now=NOW)


def test_an_unknown_time_zone_is_one_line():
    with pytest.raises(BulletinError, match=r"--tz 'Europe/Worcester': not a time zone"):
        send_time("2020-12-04 09:00", "Europe/Worcester", now=NOW)


def test_local_reads_as_a_date_and_a_clock_time():
    assert local(datetime(2020, 12, 4, 9, tzinfo=UTC)) == "Friday 4 December 2020 09:00 GMT"
    assert local(datetime(2021, 6, 4, 8, tzinfo=UTC)) == "Friday 4 June 2021 09:00 BST"


@pytest.mark.parametrize(
    "now",
    [
        datetime(2020, 12, 4, 9, 0, tzinfo=UTC),  # the very moment
        datetime(2020, 12, 4, 9, 0, 1, tzinfo=UTC),  # a second after it
    ],
)
def test_a_time_that_is_now_or_a_second_gone_is_refused(now):
    with pytest.raises(BulletinError) as info:
        send_time("2020-12-04 09:00", now=now)
    assert "has passed" in str(info.value)


def test_a_time_a_second_ahead_is_accepted():
    now = datetime(2020, 12, 4, 8, 59, 59, tzinfo=UTC)
    assert utc_iso(send_time("2020-12-04 09:00", now=now)) == "2020-12-04T09:00:00+00:00"


def test_refusals_name_the_time_as_typed_and_the_clock_of_its_zone():
    with pytest.raises(BulletinError) as info:
        send_time("2021-03-28 01:30", now=NOW)
    assert str(info.value).startswith("2021-03-28 01:30 does not exist")
    with pytest.raises(BulletinError) as info:
        send_time(
            "2020-12-04 09:00", tz="America/New_York", now=datetime(2020, 12, 4, 15, 5, tzinfo=UTC)
        )
    assert "(it is now Friday 4 December 2020 10:05 EST)" in str(info.value)


def test_a_time_on_the_quarter_hour_now_is_not_suggested():
    with pytest.raises(BulletinError) as info:
        send_time("2020-12-04 09:07", now=datetime(2020, 12, 4, 9, 0, tzinfo=UTC))
    assert str(info.value).endswith('use "2020-12-04 09:15"')


def test_the_machines_own_time_zone_changes_nothing(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        moment = send_time("2020-12-04 09:00", now=NOW)
        assert utc_iso(moment) == "2020-12-04T09:00:00+00:00"
        with pytest.raises(BulletinError, match=r"it is now Thursday 1 October 2020 09:00 BST"):
            send_time("2020-10-01 08:45", now=NOW.astimezone())
    finally:
        monkeypatch.undo()
        time.tzset()


def test_mailchimps_times_read_back_in_utc():
    expected = datetime(2020, 12, 4, 9, 0, tzinfo=UTC)
    assert parse_iso("2020-12-04T09:00:00Z") == expected
    assert parse_iso("2020-12-04T09:00:00+00:00") == expected
    assert parse_iso("2020-12-04T09:00:00") == expected  # no offset: UTC, as Mailchimp means
    assert parse_iso("2020-12-04T10:00:00+01:00").utcoffset().total_seconds() == 3600
    assert parse_iso("") is None and parse_iso(None) is None
