"""What every analytics page shares: the checked query, the filter bar and the tabs."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from manyi.analytics.periods import COMPARISONS, PERIODS
from manyi.analytics.query import ReportQuery, ReportQueryError, programmes, report_query
from manyi.improve.selectors.targets import running_targets
from manyi.org.permissions import may_see_analytics, requires
from manyi.org.selectors import sees_network, visible_units
from manyi.surveys.versions import definition_of

TABS = (
    ("dashboard", _("CSI")),
    ("drivers", _("Drivers")),
    ("nps", "NPS"),
    ("gaps", _("SERVQUAL gaps")),
    ("changes", _("What changed")),
    ("staff", _("Advisors")),
    ("funnel", _("Response funnel")),
    ("comments", _("Comments")),
)


class BadReportRequest(Exception):
    """A report parameter out of range: the page says so instead of a 500."""


def query_of(request: HttpRequest, kind: str = "index") -> ReportQuery | None:
    """The report asked for by the query string; 404 for what the user may not see."""
    given = request.POST if request.method == "POST" else request.GET
    try:
        return report_query(
            request.user,
            programme=given.get("programme"),
            unit=given.get("unit"),
            period=given.get("period"),
            compare=given.get("compare"),
            since=given.get("since"),
            until=given.get("until"),
            kind=kind,
        )
    except ReportQueryError as error:
        if error.status == 400:
            raise BadReportRequest(str(error)) from error
        raise Http404(str(error)) from error


def page_context(request: HttpRequest, query: ReportQuery | None, tab: str) -> dict[str, Any]:
    """The filter bar, breadcrumbs and tabs of an analytics page."""
    language = get_language() or "zh-hans"
    if query is None:
        return {"query": None, "tab": tab, "language": language}
    definition = definition_of(query.version_id)
    scope = query.scope

    def link(name: str, **changes: Any) -> str:
        return f"{reverse('analytics:' + name)}?{urlencode(query.parameters(**changes))}"

    return {
        "query": query,
        "programme": query.programme,
        "programmes": programmes(),
        "scope": scope,
        "period": query.period,
        "periods": PERIODS,
        "comparison": query.comparison,
        "comparisons": COMPARISONS,
        "tab": tab,
        "tabs": [(name, label, link(name)) for name, label in TABS],
        "parents": [
            (unit, link(tab, unit=unit.pk))
            for unit in visible_units(request.user)
            .filter(pk__in=scope.ancestor_ids())
            .order_by("path")
        ]
        if scope
        else [],
        "network_link": link(tab, unit="") if sees_network(request.user) else "",
        "language": language,
        "texts": {item.code: item.text.get(language) for item in definition.items},
        "factor_names": {f.code: f.name.get(language) for f in definition.factors},
        "export_link": reverse("analytics:export_tab", args=[tab])
        + "?"
        + urlencode(query.parameters()),
        "pdf_fields": query.parameters(),
        "query_string": urlencode(query.parameters()),
        "drill_base": link(tab, unit="") + "&unit=",
        "targets": _targets(request, query),
    }


def _targets(request: HttpRequest, query: ReportQuery) -> list:
    """The target lines of the unit looked at whose period meets the report's."""
    span = query.months
    first = span.first or (span.months[0] if span.months else None)
    last = span.last or (span.months[-1] if span.months else None)
    if first is None or last is None:
        return []
    return running_targets(
        request.user, programme=query.programme, unit=query.scope, first=first, last=last,
        today=timezone.localdate(),
    )  # fmt: skip


def analytics_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For those who may see analytics; a parameter out of range answers 400 with the
    reason on the page."""

    @requires(may_see_analytics)
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadReportRequest as error:
            return render(request, "analytics/error.html", {"message": str(error)}, status=400)

    return wrapper
