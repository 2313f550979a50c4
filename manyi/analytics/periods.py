"""Report periods: whole calendar months, and the period a report compares itself with."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.analytics.cells import month_of

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


def whole_months(count: int, today: date | None = None) -> list[date]:
    """The last ``count`` calendar months that are over, oldest first: a report's
    default period, so that a month just begun never stands for a whole one."""
    return months_back(count + 1, today)[:-1]


def month_shift(month: date, by: int) -> date:
    """The first day of the month ``by`` months after ``month``'s (before, if negative)."""
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def months_from(first: date, last: date) -> list[date]:
    """The first days of the months from ``first``'s to ``last``'s, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = month_shift(month, 1)
    return months


def comparison_months(months: list[date], how: str) -> list[date]:
    """The months a period is compared with: the as many months just before it
    (``previous``) or the same months one year earlier (``year``)."""
    if how == "year":
        return [month_shift(month, -12) for month in months]
    return [month_shift(month, -len(months)) for month in months]


@dataclass(frozen=True)
class Span:
    """A report period: the whole calendar months it covers, read from rollup cells,
    and the cut edges of a date range that starts or ends inside a month, read from
    raw responses (DESIGN.md: "a date range that cuts a month adds the raw responses
    of its cut edges"). ``first`` and ``last`` are the days it runs from and to."""

    months: tuple[date, ...]
    edges: tuple[tuple[datetime, datetime], ...] = ()
    first: date | None = None
    last: date | None = None

    @classmethod
    def of_dates(cls, first: date, last: date) -> "Span":
        if last < first:
            raise ValueError("a period ends after it starts")
        zone = timezone.get_current_timezone()
        months, edges = [], []
        month = first.replace(day=1)
        while month <= last:
            after = month_shift(month, 1)
            start, stop = max(month, first), min(after - timedelta(days=1), last)
            if start == month and stop == after - timedelta(days=1):
                months.append(month)
            else:
                edges.append(
                    (
                        datetime.combine(start, time(), tzinfo=zone),
                        datetime.combine(stop + timedelta(days=1), time(), tzinfo=zone),
                    )
                )
            month = after
        return cls(tuple(months), tuple(edges), first, last)

    @classmethod
    def of_months(cls, months: list[date]) -> "Span":
        return cls(tuple(months), (), months[0], month_shift(months[-1], 1) - timedelta(days=1))

    def pieces(self) -> list[tuple[date, "Span"]]:
        """Each calendar month the span touches, oldest first, as a span of its own."""
        found = [(month, Span((month,))) for month in self.months]
        found += [(month_of(since), Span((), ((since, until),))) for since, until in self.edges]
        return sorted(found, key=lambda piece: piece[0])

    def bounds(self) -> tuple[datetime, datetime]:
        """Its first moment and the first moment after it, in local time."""
        assert self.first is not None and self.last is not None
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.first, time(), tzinfo=zone),
            datetime.combine(self.last + timedelta(days=1), time(), tzinfo=zone),
        )

    def label(self) -> str:
        if not self.edges and self.first and self.last:
            return f"{self.first:%Y-%m} – {self.last:%Y-%m}"
        return f"{self.first:%Y-%m-%d} – {self.last:%Y-%m-%d}"


def as_span(months: "Span | list[date]") -> Span:
    """Reports take whole months as a list, or a Span with cut edges."""
    return months if isinstance(months, Span) else Span.of_months(list(months))


def comparison_span(span: Span, how: str) -> Span:
    """The span a period is compared with: as long and just before it (``previous``),
    or the same days a year earlier (``year``)."""
    assert span.first is not None and span.last is not None
    if not span.edges:
        return Span.of_months(comparison_months(list(span.months), how))
    if how == "year":
        return Span.of_dates(_year_earlier(span.first), _year_earlier(span.last))
    length = span.last - span.first
    last = span.first - timedelta(days=1)
    return Span.of_dates(last - length, last)


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
