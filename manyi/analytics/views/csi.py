"""The CSI dashboard: a scope unit's figures, its children ranked, what to fix first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from manyi.analytics.reports import csi_report
from manyi.analytics.reports.csi import INDEX, slice_mean, slice_nps
from manyi.analytics.selectors import slice_of
from manyi.analytics.trend import dashboard_series
from manyi.analytics.views.page import analytics_view, page_context, query_of
from manyi.org.permissions import may_plan_actions
from manyi.surveys.versions import definition_of


@analytics_view
def csi_dashboard(request: HttpRequest) -> HttpResponse:
    query = query_of(request)
    context = page_context(request, query, "dashboard")
    if query is None:
        return render(request, "analytics/dashboard.html", context)
    report = csi_report(
        version_id=query.version_id,
        months=query.months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    scope_label = str(query.scope) if query.scope else _("Network")
    before = slice_of(
        version_id=query.version_id,
        months=query.compare_months,
        unit_id=query.scope.pk if query.scope else None,
    )
    index_before = slice_mean(before, INDEX)
    nps_before = slice_nps(definition_of(query.version_id), before)
    context.update(
        report=report,
        before={
            "index": index_before.mean if index_before else None,
            "nps": nps_before.nps if nps_before else None,
            "responses": before.responses,
        },
        chart=dashboard_series(report, context["language"], scope_label),
        shortfalls=report.shortfalls[:10],
    )
    index_target = next((p for p, _label in context["targets"] if p.target.variable == INDEX), None)
    if index_target is not None:  # the CSI trend draws the target line
        context["chart"]["target"] = float(index_target.target.value)
        context["chart"]["labels"]["target"] = _("Target")
    last = query.months.last or (query.months.months[-1] if query.months.months else None)
    if query.scope is not None and last is not None and may_plan_actions(request.user):
        # A shortfall opens an action at this unit, triggered by the period's last month.
        context["new_action"] = reverse("improve:action_new") + "?" + urlencode({
            "source": "shortfall", "unit": query.scope.pk, "programme": query.programme.pk,
            "month": f"{last:%Y-%m}",
        })  # fmt: skip
    return render(request, "analytics/dashboard.html", context)
