"""When the occasions of care fall: a birthday by the solar or the lunar calendar, the
festivals of a year (the lunar ones moving with the moon), a seasonal day, and when a
vehicle is due for maintenance — by months, by kilometres at its own rate of driving,
or, without odometer readings, at its own rhythm of visits. Pure functions of dates."""

from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from lunardate import LunarDate

# Festivals: (lunar?, month, day).
FESTIVAL_DAYS = {
    "new_year": (False, 1, 1),
    "spring": (True, 1, 1),
    "lantern": (True, 1, 15),
    "dragon_boat": (True, 5, 5),
    "mid_autumn": (True, 8, 15),
    "national_day": (False, 10, 1),
}


def _solar(year: int, month: int, day: int) -> date:
    """A solar day; 29 February in a common year falls on the 28th."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28)


def _lunar(year: int, month: int, day: int) -> date:
    """The solar date of a lunar day; the 30th of a 29-day month falls on the 29th."""
    try:
        return LunarDate(year, month, day).toSolarDate()
    except ValueError:
        return LunarDate(year, month, 29).toSolarDate()


def birthday_on(birth_date: date, lunar: bool, year: int) -> date:
    """The birthday in (solar) ``year``: for a lunar birthday, the lunar month and day of
    ``birth_date`` in the lunar year that starts in ``year``."""
    if lunar:
        return _lunar(year, birth_date.month, birth_date.day)
    return _solar(year, birth_date.month, birth_date.day)


def festival_on(code: str, year: int) -> date:
    lunar, month, day = FESTIVAL_DAYS[code]
    return _lunar(year, month, day) if lunar else date(year, month, day)


def seasonal_on(month_day: str, year: int) -> date:
    month, day = (int(part) for part in month_day.split("-"))
    return _solar(year, month, day)


def next_within(
    on_year: Callable[[int], date], today: date, days_before: int, horizon: int
) -> date | None:
    """The occasion whose sending day, ``days_before`` it, falls from ``today`` to
    ``horizon`` days later; None when none does. Last year's is tried too: a lunar date
    of the 11th or 12th month of a lunar year falls in the next solar year."""
    for year in (today.year - 1, today.year, today.year + 1):
        occasion = on_year(year)
        send = occasion - timedelta(days=days_before)
        if today <= send <= today + timedelta(days=horizon):
            return occasion
    return None


LONGEST = 3 * 365  # days: an estimate further off than this is not believed


@dataclass(frozen=True)
class Visit:
    day: date
    km: int | None = None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of a shorter month when it has none."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def maintenance_due(visits: list[Visit], *, months: int | None, km: int | None) -> date | None:
    """When a vehicle is next due, from its maintenance visits (oldest first): the
    earlier of ``months`` after the last visit and the day it will have driven ``km``
    since the last reading, at its own rate between its first and last readings. With
    fewer than two readings, ``km`` is read as the vehicle's own rhythm instead: the
    mean time between its visits. None without a visit or a rule to go by."""
    if not visits:
        return None
    last = visits[-1].day
    found: list[date] = []
    if months:
        found.append(add_months(last, months))
    if km:
        readings = [visit for visit in visits if visit.km is not None]
        first, latest = (readings[0], readings[-1]) if readings else (None, None)
        if first and latest and latest.day > first.day and latest.km > first.km:
            per_day = (latest.km - first.km) / (latest.day - first.day).days
            days = km / per_day
            if days <= LONGEST:  # a misread odometer is no reason to wait for decades
                found.append(latest.day + timedelta(days=round(days)))
        elif len(visits) >= 2:
            rhythm = (last - visits[0].day).days / (len(visits) - 1)
            if rhythm > 0:
                found.append(last + timedelta(days=round(rhythm)))
    return min(found) if found else None
