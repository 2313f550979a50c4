"""A unit's calendar as the deadline arithmetic sees it: its own, else the nearest
ancestor's, else the network's default, with the public holidays it follows."""

from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from manyi.cases.business_time import WorkingCalendar
from manyi.cases.models import BusinessCalendar, CalendarDay, DayKind
from manyi.org.models import Unit

# Without any calendar set up: weekdays 09:00–18:00, public holidays off.
DEFAULT_HOURS = {day: (time(9), time(18)) for day in range(5)}


def parse_hours(hours: dict[str, Any]) -> dict[int, tuple[time, time]]:
    """``{"0": ["09:00", "18:00"], …}`` as weekday → (opens, closes); ValueError when
    a weekday, a time or an order is wrong."""
    parsed = {}
    for day, span in (hours or {}).items():
        if str(day) not in {str(d) for d in range(7)}:
            raise ValueError(f"{day!r} is not a weekday number (0 Monday … 6 Sunday)")
        try:
            opens, closes = (time.fromisoformat(part) for part in span)
        except (TypeError, ValueError) as error:
            raise ValueError(f'weekday {day}: give the hours as ["09:00", "18:00"]') from error
        if closes <= opens:
            raise ValueError(f"weekday {day}: closes before it opens")
        parsed[int(day)] = (opens, closes)
    return parsed


def calendar_of(unit: Unit) -> BusinessCalendar | None:
    """The unit's own calendar, else its nearest ancestor's, else the default one."""
    chain = [*reversed(unit.ancestor_ids()), unit.pk]
    found = {c.unit_id: c for c in BusinessCalendar.objects.filter(unit_id__in=chain)}
    for pk in [unit.pk, *reversed(unit.ancestor_ids())]:
        if pk in found:
            return found[pk]
    return BusinessCalendar.objects.filter(unit=None).first()


def working_calendar(unit: Unit) -> WorkingCalendar:
    """What ``manyi.cases.business_time`` needs to count a unit's business hours."""
    calendar = calendar_of(unit)
    if calendar is None:
        return _with_days(WorkingCalendar(hours=DEFAULT_HOURS), None, follows=True)
    try:
        zone = ZoneInfo(calendar.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Asia/Shanghai")
    if calendar.always_open:
        return WorkingCalendar(zone=zone, always_open=True)
    hours = parse_hours(calendar.hours) or DEFAULT_HOURS
    return _with_days(
        WorkingCalendar(zone=zone, hours=hours), calendar, follows=calendar.follows_public_holidays
    )


def _with_days(
    base: WorkingCalendar, calendar: BusinessCalendar | None, *, follows: bool
) -> WorkingCalendar:
    national = CalendarDay.objects.filter(calendar=None) if follows else CalendarDay.objects.none()
    days = {day: kind for day, kind in national.values_list("day", "kind")}
    if calendar is not None:
        days.update(dict(calendar.days.values_list("day", "kind")))
    return WorkingCalendar(
        zone=base.zone,
        hours=base.hours,
        holidays=frozenset(day for day, kind in days.items() if kind == DayKind.HOLIDAY),
        workdays=frozenset(day for day, kind in days.items() if kind == DayKind.WORKDAY),
        years=frozenset(day.year for day in days) if follows else frozenset(range(1900, 2200)),
    )
