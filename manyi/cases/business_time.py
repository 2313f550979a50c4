"""Business time: when a deadline's clock runs.

A unit's calendar says when it is open: working hours per weekday, public holidays
(days off that would be working days) and make-up working days (调休, a weekend day
that is worked instead), or round the clock. Deadlines in business hours are added
and measured only over open time, minus the spans the case waited on the customer.

Everything here works on time-zone-aware datetimes and the calendar's own zone, so
no result depends on the server's zone. Pure Python; no Django.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Span = tuple[datetime, datetime]  # [start, end), aware

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_DAYS = 3660  # a deadline further than ten years of closed days away is an error


class CalendarError(ValueError):
    """A calendar that can never open, or a deadline beyond any open time."""


@dataclass(frozen=True)
class WorkingCalendar:
    """When a unit is open. ``hours`` maps a weekday (Monday 0) to its opening and
    closing time; a weekday not in it is closed. A make-up working day opens with
    ``makeup_hours``. ``years`` lists the years whose holidays are known."""

    zone: ZoneInfo = SHANGHAI
    hours: dict[int, tuple[time, time]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    makeup_hours: tuple[time, time] | None = None
    always_open: bool = False
    years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if not self.always_open and not self.hours and not self.workdays:
            raise CalendarError("a calendar needs opening hours on some weekday, or 24×7")
        for opens, closes in self.hours.values():
            if closes <= opens:
                raise CalendarError("a day closes after it opens")

    def day_hours(self, day: date) -> tuple[time, time] | None:
        """The opening hours of one local day, None when closed all day."""
        if day in self.holidays:
            return None
        if day in self.workdays:
            return self.makeup_hours or self.hours.get(0) or next(iter(self.hours.values()))
        return self.hours.get(day.weekday())

    def unknown_years(self, start: datetime, end: datetime) -> list[int]:
        """The years of [start, end] whose holidays the calendar does not know: there
        it falls back to its weekly hours (the caller warns)."""
        if self.always_open:
            return []
        first, last = start.astimezone(self.zone).year, end.astimezone(self.zone).year
        return [year for year in range(first, last + 1) if year not in self.years]


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def open_spans(calendar: WorkingCalendar, start: datetime, end: datetime) -> Iterator[Span]:
    """The open spans within [start, end), in order."""
    _aware(start, end)
    if end <= start:
        return
    if calendar.always_open:
        yield start, end
        return
    day = start.astimezone(calendar.zone).date()
    while True:
        midnight = _local_midnight(day, calendar.zone)
        if midnight >= end:
            return
        hours = calendar.day_hours(day)
        if hours is not None:
            opens = datetime.combine(day, hours[0], tzinfo=calendar.zone)
            closes = datetime.combine(day, hours[1], tzinfo=calendar.zone)
            lo, hi = max(opens, start), min(closes, end)
            if lo < hi:
                yield lo, hi
        day += timedelta(days=1)


def _merged(pauses: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for lo, hi in sorted(p for p in pauses if p[1] > p[0]):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _minus(span: Span, pauses: list[Span]) -> Iterator[Span]:
    lo, hi = span
    for p_lo, p_hi in pauses:
        if p_hi <= lo or p_lo >= hi:
            continue
        if p_lo > lo:
            yield lo, p_lo
        lo = max(lo, p_hi)
        if lo >= hi:
            return
    if lo < hi:
        yield lo, hi


def business_seconds(
    calendar: WorkingCalendar, start: datetime, end: datetime, pauses: Iterable[Span] = ()
) -> float:
    """Open time between ``start`` and ``end``, less the ``pauses``, in seconds."""
    waiting = _merged(pauses)
    return sum(
        (hi - lo).total_seconds()
        for span in open_spans(calendar, start, end)
        for lo, hi in _minus(span, waiting)
    )


def add_business_time(
    calendar: WorkingCalendar, start: datetime, seconds: float, pauses: Iterable[Span] = ()
) -> datetime:
    """The moment ``seconds`` of open time after ``start``, skipping the ``pauses``
    (a pause still open has its end far in the future)."""
    _aware(start, start)
    if seconds <= 0:
        return start
    waiting = _merged(pauses)
    left = timedelta(seconds=seconds)
    horizon = start + timedelta(days=MAX_DAYS)
    for span in open_spans(calendar, start, horizon):
        for lo, hi in _minus(span, waiting):
            if hi - lo >= left:
                return lo + left
            left -= hi - lo
    raise CalendarError("no open time within ten years: check the calendar")


def _aware(*moments: datetime) -> None:
    if any(moment.tzinfo is None for moment in moments):
        raise ValueError("business time needs time-zone-aware datetimes")


def business_day_after(calendar: WorkingCalendar, day: date, days: int) -> date:
    """The ``days``-th day the calendar opens after ``day`` (``day`` itself for 0)."""
    found = 0
    for _day in range(MAX_DAYS):
        if found == days:
            return day
        day += timedelta(days=1)
        if calendar.always_open or calendar.day_hours(day) is not None:
            found += 1
    raise CalendarError("no business day within ten years")


def opening_of(calendar: WorkingCalendar, day: date) -> datetime:
    """When the calendar opens on ``day`` (midnight if always open or closed that day)."""
    hours = None if calendar.always_open else calendar.day_hours(day)
    return datetime.combine(day, hours[0] if hours else time(), tzinfo=calendar.zone)
