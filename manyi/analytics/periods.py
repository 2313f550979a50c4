"""Report periods: whole calendar months, and the period a report compares itself with."""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERIODS = {"1": 1, "3": 3, "6": 6, "12": 12, "18": 18}
COMPARISONS = {
    "previous": _("the period before"),
    "year": _("the same months a year earlier"),
}


def months_back(count: int, today: date | None = None) -> list[date]:
    """The last ``count`` calendar months, this one included, oldest first."""
    today = today or timezone.localdate()
    first = today.year * 12 + today.month - 1
    return [date(m // 12, m % 12 + 1, 1) for m in range(first - count + 1, first + 1)]


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def comparison_months(months: list[date], how: str) -> list[date]:
    """The months a period is compared with: the as many months just before it
    (``previous``) or the same months one year earlier (``year``)."""
    if how == "year":
        return [_shift(month, -12) for month in months]
    return [_shift(month, -len(months)) for month in months]


def month_bounds(months: list[date]) -> tuple[datetime, datetime]:
    """The first moment of the first month and of the month after the last (local time)."""
    zone = timezone.get_current_timezone()
    after = _shift(months[-1], 1)
    return datetime.combine(months[0], time(), tzinfo=zone), datetime.combine(
        after, time(), tzinfo=zone
    )
