"""When care falls due: lunar birthdays and festivals against the published calendar,
and a vehicle's next maintenance by months, by kilometres at its own rate of driving,
or by its own rhythm of visits."""

from datetime import date

import pytest

from manyi.care.occasions import (
    Visit,
    add_months,
    birthday_on,
    festival_on,
    maintenance_due,
    next_within,
)


@pytest.mark.parametrize(
    ("code", "year", "expected"),
    [
        # The State Council's holiday notices name these days.
        ("spring", 2026, date(2026, 2, 17)),
        ("spring", 2027, date(2027, 2, 6)),
        ("dragon_boat", 2026, date(2026, 6, 19)),
        ("mid_autumn", 2026, date(2026, 9, 25)),
        ("mid_autumn", 2025, date(2025, 10, 6)),
        ("national_day", 2026, date(2026, 10, 1)),
    ],
)
def test_festivals_fall_on_their_days(code, year, expected):
    assert festival_on(code, year) == expected


def test_a_lunar_birthday_moves_with_the_moon_and_a_solar_one_does_not():
    born = date(1985, 8, 15)  # celebrated on the 15th of the 8th lunar month
    assert birthday_on(born, True, 2026) == date(2026, 9, 25)
    assert birthday_on(born, True, 2027) == date(2027, 9, 15)
    assert birthday_on(born, False, 2026) == date(2026, 8, 15)
    assert birthday_on(date(1992, 2, 29), False, 2026) == date(2026, 2, 28)


def test_a_birthday_late_in_the_lunar_year_is_found_in_january():
    born = date(1970, 12, 20)  # the 20th of the 12th lunar month: 2026-02-07
    due = next_within(lambda year: birthday_on(born, True, year), date(2026, 1, 25), 0, 14)
    assert due == date(2026, 2, 7)


def test_a_misread_odometer_is_not_believed():
    visits = [Visit(date(2025, 1, 1), 10_000), Visit(date(2026, 1, 1), 10_001)]
    assert maintenance_due(visits, months=6, km=10_000) == date(2026, 7, 1)


def test_the_occasion_in_the_window_is_this_years_or_next_years():
    def new_year(year):
        return date(year, 1, 1)

    assert next_within(new_year, date(2026, 12, 25), 0, 14) == date(2027, 1, 1)
    assert next_within(new_year, date(2026, 12, 10), 0, 14) is None
    assert next_within(new_year, date(2026, 12, 10), 7, 14) is None
    assert next_within(new_year, date(2026, 12, 20), 7, 14) == date(2027, 1, 1)


def test_months_end_on_the_last_day_of_a_shorter_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 15), 12) == date(2027, 3, 15)


def test_maintenance_is_due_at_the_earlier_of_months_and_kilometres():
    # 6,000 km in 120 days: 50 km a day, so 5,000 km more takes 100 days.
    visits = [Visit(date(2026, 1, 1), 20_000), Visit(date(2026, 5, 1), 26_000)]
    assert maintenance_due(visits, months=6, km=5000) == date(2026, 8, 9)
    # A car that is hardly driven is due by the months.
    slow = [Visit(date(2026, 1, 1), 20_000), Visit(date(2026, 5, 1), 20_400)]
    assert maintenance_due(slow, months=6, km=5000) == date(2026, 11, 1)


def test_without_readings_the_vehicles_own_rhythm_stands_in_for_kilometres():
    visits = [Visit(date(2025, 1, 10)), Visit(date(2025, 5, 10)), Visit(date(2025, 9, 7))]
    assert maintenance_due(visits, months=None, km=5000) == date(2026, 1, 5)
    assert maintenance_due(visits[:1], months=None, km=5000) is None
    assert maintenance_due([], months=6, km=5000) is None
