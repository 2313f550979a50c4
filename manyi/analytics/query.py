"""What a report is asked for — programme, scope unit, period, comparison — checked
against what the user may see. The dashboards and the API read their parameters here.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from manyi.analytics.periods import COMPARISONS, Span, comparison_span, whole_months
from manyi.org.models import Unit
from manyi.org.selectors import scope_unit, sees_network, visible_units
from manyi.surveys.models import Programme
from manyi.surveys.versions import definition_of
from manyi.web.converters import parse_id
from manyi.web.forms import FIRST_YEAR, LAST_YEAR

MAX_MONTHS = 36
# Reports cover these years; a date outside is a typing error, not a period to compute.
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


class ReportQueryError(Exception):
    """A report that cannot be shown to this user; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ReportQuery:
    programme: Programme
    scope: Unit | None  # None: the whole network
    period: str
    months: Span
    comparison: str
    compare_months: Span
    since: date | None = None  # a date range chosen instead of the last months
    until: date | None = None

    @property
    def version_id(self) -> int:
        return self.programme.version_id

    def parameters(self, **changes: Any) -> dict[str, Any]:
        """The query string of this report, with ``changes`` (for links and exports)."""
        values = {
            "programme": self.programme.pk,
            "period": self.period,
            "compare": self.comparison,
            "unit": self.scope.pk if self.scope else "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None)}


def programmes() -> list[Programme]:
    return list(Programme.objects.select_related("version__questionnaire").order_by("pk"))


def default_programme(choices: list[Programme], kind: str = "index") -> Programme | None:
    """The first programme with an index (CSI), or with SERVQUAL gaps, or any."""

    def fits(programme: Programme) -> bool:
        definition = definition_of(programme.version_id)
        if kind == "gaps":
            return any(item.type == "servqual" for item in definition.items)
        if kind == "nps":
            return any(item.type == "nps" for item in definition.items)
        return bool(definition.factors)

    return next((p for p in choices if fits(p)), choices[0] if choices else None)


def report_query(
    user: Any,
    *,
    programme: str | int | None = None,
    unit: str | int | None = None,
    period: str | int | None = None,
    compare: str | None = None,
    since: Any = None,
    until: Any = None,
    kind: str = "index",
) -> ReportQuery | None:
    """The checked report query; None when there is no programme yet.

    Raises ``ReportQueryError`` for an unknown programme, a unit outside the user's
    part of the network, or a user with no unit who may not see the network.
    """
    choices = programmes()
    if programme not in (None, ""):
        chosen = next((p for p in choices if str(p.pk) == str(programme)), None)
        if chosen is None:
            raise ReportQueryError(_("No such programme."))
    else:
        chosen = default_programme(choices, kind)
    if chosen is None:
        return None
    if unit not in (None, ""):
        pk = parse_id(unit)
        scope = visible_units(user).filter(pk=pk).first() if pk is not None else None
        if scope is None:
            raise ReportQueryError(_("No such unit in your part of the network."))
    elif sees_network(user):
        scope = None
    else:
        scope = scope_unit(user)
        if scope is None:
            raise ReportQueryError(_("You have no unit to report on."), status=403)
    period = str(period or "12")
    if not re.fullmatch(r"[0-9]{1,3}", period) or not 1 <= int(period) <= MAX_MONTHS:
        raise ReportQueryError(
            _("The period is a number of months from 1 to %(most)s.") % {"most": MAX_MONTHS},
            status=400,
        )
    compare = compare or "previous"
    if compare not in COMPARISONS:
        raise ReportQueryError(_("Compare with 'previous' or 'year'."), status=400)
    period = str(int(period))
    first, last = _dates(since, until)
    span = (
        Span.of_dates(first, last) if first and last else Span.of_months(whole_months(int(period)))
    )
    return ReportQuery(
        chosen, scope, period, span, compare, comparison_span(span, compare), first, last
    )


def _dates(since: Any, until: Any) -> tuple[date | None, date | None]:
    """A date range given as ISO dates (both or neither), at most MAX_MONTHS long."""
    if since in (None, "") and until in (None, ""):
        return None, None
    try:
        first = since if isinstance(since, date) else date.fromisoformat(str(since))
        last = until if isinstance(until, date) else date.fromisoformat(str(until))
    except ValueError as error:
        raise ReportQueryError(
            _("Give the dates as YYYY-MM-DD, both the first and the last day."), status=400
        ) from error
    if not (first >= EARLIEST and last <= LATEST):
        raise ReportQueryError(
            _("Give dates from %(first)s to %(last)s.") % {"first": EARLIEST, "last": LATEST},
            status=400,
        )
    if last < first:
        raise ReportQueryError(_("The last day comes before the first."), status=400)
    if (last - first).days > 31 * MAX_MONTHS:
        raise ReportQueryError(
            _("A date range spans at most %(most)s months.") % {"most": MAX_MONTHS}, status=400
        )
    return first, last
