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


class CalendarBook:
    """Every calendar and the national days, read once: the sweep builds each working
    calendar once however many units and cases share it."""

    def __init__(self) -> None:
        self.rows = {row.unit_id: row for row in BusinessCalendar.objects.prefetch_related("days")}
        self._national: dict[Any, str] | None = None
        self._built: dict[int | None, WorkingCalendar] = {}

    def row_for(self, unit: Unit) -> BusinessCalendar | None:
        """The unit's own calendar, else its nearest ancestor's, else the default one."""
        for pk in [unit.pk, *reversed(unit.ancestor_ids()), None]:
            if pk in self.rows:
                return self.rows[pk]
        return None

    def for_unit(self, unit: Unit) -> WorkingCalendar:
        row = self.row_for(unit)
        key = row.pk if row else None
        if key not in self._built:
            self._built[key] = self._build(row)
        return self._built[key]

    def national(self) -> dict[Any, str]:
        if self._national is None:
            self._national = dict(
                CalendarDay.objects.filter(calendar=None).values_list("day", "kind")
            )
        return self._national

    def _build(self, row: BusinessCalendar | None) -> WorkingCalendar:
        if row is None:
            return self._with_days(WorkingCalendar(hours=DEFAULT_HOURS), {}, follows=True)
        try:
            zone = ZoneInfo(row.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("Asia/Shanghai")
        if row.always_open:
            return WorkingCalendar(zone=zone, always_open=True)
        own = {day.day: day.kind for day in row.days.all()}
        hours = parse_hours(row.hours) or DEFAULT_HOURS
        return self._with_days(
            WorkingCalendar(zone=zone, hours=hours), own, follows=row.follows_public_holidays
        )

    def _with_days(
        self, base: WorkingCalendar, own: dict[Any, str], *, follows: bool
    ) -> WorkingCalendar:
        days = {**(self.national() if follows else {}), **own}
        return WorkingCalendar(
            zone=base.zone,
            hours=base.hours,
            holidays=frozenset(day for day, kind in days.items() if kind == DayKind.HOLIDAY),
            workdays=frozenset(day for day, kind in days.items() if kind == DayKind.WORKDAY),
            years=frozenset(day.year for day in self.national())
            if follows
            else frozenset(range(1900, 2200)),
        )


def working_calendar(unit: Unit) -> WorkingCalendar:
    """What ``manyi.cases.business_time`` needs to count a unit's business hours."""
    return CalendarBook().for_unit(unit)
