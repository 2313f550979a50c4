"""Business-time arithmetic: deadlines count open hours only, honour holidays and
make-up days, skip the time spent waiting on the customer, and never depend on the
server's time zone."""

import os
import time as clock
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manyi.cases.business_time import (
    SHANGHAI,
    CalendarError,
    WorkingCalendar,
    add_business_time,
    business_seconds,
)

OFFICE = WorkingCalendar(
    hours={day: (time(9), time(18)) for day in range(5)}, years=frozenset({2026})
)
HOUR = 3600.0


def at(*parts: int, zone: ZoneInfo = SHANGHAI) -> datetime:
    return datetime(*parts, tzinfo=zone)


def test_two_hours_from_friday_five_pm_is_monday_ten_am():
    assert add_business_time(OFFICE, at(2026, 11, 20, 17), 2 * HOUR) == at(2026, 11, 23, 10)


def test_the_national_day_week_is_skipped_and_the_make_up_sunday_counts():
    golden_week = frozenset(date(2026, 10, day) for day in range(1, 8))
    calendar = WorkingCalendar(
        hours=OFFICE.hours, holidays=golden_week, workdays=frozenset({date(2026, 9, 27)})
    )
    # Saturday 26 September: the make-up Sunday the 27th is the next working day.
    assert add_business_time(calendar, at(2026, 9, 26, 12), HOUR) == at(2026, 9, 27, 10)
    # Wednesday 30 September, 17:00: one hour left that day, the next on Thursday 8th.
    assert add_business_time(calendar, at(2026, 9, 30, 17), 2 * HOUR) == at(2026, 10, 8, 10)


def test_waiting_on_the_customer_stops_the_clock():
    waited = [(at(2026, 11, 23, 10), at(2026, 11, 23, 15))]
    due = add_business_time(OFFICE, at(2026, 11, 23, 9), 2 * HOUR, waited)
    assert due == at(2026, 11, 23, 16)
    assert business_seconds(OFFICE, at(2026, 11, 23, 9), due, waited) == 2 * HOUR


def test_a_calendar_that_never_opens_is_refused():
    with pytest.raises(CalendarError):
        WorkingCalendar(hours={})
    with pytest.raises(CalendarError):
        WorkingCalendar(hours={0: (time(18), time(9))})


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_business_time(OFFICE, datetime(2026, 11, 23, 9), HOUR)


def test_a_year_without_holiday_data_is_named():
    assert OFFICE.unknown_years(at(2026, 12, 30), at(2027, 1, 5)) == [2027]
    assert WorkingCalendar(always_open=True).unknown_years(at(2026, 1, 1), at(2030, 1, 1)) == []


ZONES = [ZoneInfo("UTC"), SHANGHAI, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")]


@st.composite
def calendars(draw) -> WorkingCalendar:
    if draw(st.integers(0, 9)) == 0:
        return WorkingCalendar(always_open=True)
    days = draw(st.sets(st.integers(0, 6), min_size=1))
    hours = {}
    for day in days:
        opens = draw(st.integers(6, 11))
        closes = draw(st.integers(opens + 1, 23))
        hours[day] = (time(opens, draw(st.sampled_from([0, 30]))), time(closes))
    base = date(2026, 9, 1)
    offs = draw(st.sets(st.integers(0, 90), max_size=12))
    extra = draw(st.sets(st.integers(0, 90), max_size=4))
    return WorkingCalendar(
        zone=draw(st.sampled_from([SHANGHAI, ZoneInfo("Europe/Berlin")])),
        hours=hours,
        holidays=frozenset(base + timedelta(days=d) for d in offs),
        workdays=frozenset(base + timedelta(days=d) for d in extra - offs),
    )


moments = st.builds(
    lambda minutes, zone: (
        at(2026, 9, 1, zone=ZoneInfo("UTC")) + timedelta(minutes=minutes)
    ).astimezone(zone),
    st.integers(0, 80 * 24 * 60),
    st.sampled_from(ZONES),
)
durations = st.integers(0, 120 * 60).map(lambda minutes: minutes * 60.0)


@settings(max_examples=200, deadline=None)
@given(calendar=calendars(), start=moments, seconds=durations)
def test_adding_then_measuring_business_time_round_trips(calendar, start, seconds):
    due = add_business_time(calendar, start, seconds)
    assert due >= start
    assert business_seconds(calendar, start, due) == pytest.approx(seconds, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    calendar=calendars(),
    start=moments,
    seconds=durations,
    pauses=st.lists(st.tuples(moments, st.integers(1, 5 * 24 * 60)), max_size=3),
)
def test_pauses_never_count(calendar, start, seconds, pauses):
    waited = [(lo, lo + timedelta(minutes=length)) for lo, length in pauses]
    due = add_business_time(calendar, start, seconds, waited)
    assert business_seconds(calendar, start, due, waited) == pytest.approx(seconds, abs=1e-6)
    # Open time inside a pause is exactly what the pause takes away.
    later = due + timedelta(days=3)
    full = business_seconds(calendar, start, later)
    kept = business_seconds(calendar, start, later, waited)
    assert kept <= full + 1e-6
    for lo, hi in waited:
        assert business_seconds(calendar, max(lo, start), max(min(hi, later), start), waited) == 0


@settings(max_examples=100, deadline=None)
@given(calendar=calendars(), day=st.integers(0, 90))
def test_holidays_are_closed_and_make_up_days_open(calendar, day):
    local = date(2026, 9, 1) + timedelta(days=day)
    zone = calendar.zone
    begin = datetime.combine(local, time(), tzinfo=zone)
    seconds = business_seconds(calendar, begin, begin + timedelta(days=1))
    if calendar.always_open:
        assert seconds == pytest.approx((begin + timedelta(days=1) - begin).total_seconds())
    elif local in calendar.holidays:
        assert seconds == 0
    elif local in calendar.workdays:
        assert seconds > 0


@settings(max_examples=50, deadline=None)
@given(
    calendar=calendars(),
    start=moments,
    seconds=durations,
    server=st.sampled_from(["UTC", "America/Los_Angeles", "Asia/Tokyo", "Asia/Shanghai"]),
)
def test_results_never_depend_on_the_servers_time_zone(calendar, start, seconds, server):
    expected = add_business_time(calendar, start.astimezone(ZoneInfo("UTC")), seconds)
    before = os.environ.get("TZ")
    os.environ["TZ"] = server
    clock.tzset()
    try:
        assert add_business_time(calendar, start, seconds) == expected
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        clock.tzset()
