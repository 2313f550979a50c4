"""The CSI dashboard: a scope unit's figures, its children ranked, what to fix first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from manyi.analytics.reports import csi_report
from manyi.analytics.reports.csi import Report
from manyi.analytics.views.page import analytics_view, page_context, query_of


def trend_chart(report: Report, language: str, scope_label: str) -> dict:
    return {
        "months": [f"{month:%Y-%m}" for month, _m in report.trend],
        "index": [round(m.mean, 1) if m else None for _month, m in report.trend],
        "low": [round(m.ci_low, 1) if m and m.n > 1 else None for _month, m in report.trend],
        "high": [round(m.ci_high, 1) if m and m.n > 1 else None for _month, m in report.trend],
        "factors": [name.get(language) for _code, name, _u, _n in report.factors],
        "unit": [round(u, 1) if u is not None else None for _c, _n, u, _w in report.factors],
        "network": [round(w, 1) if w is not None else None for _c, _n, _u, w in report.factors],
        "labels": {
            "index": _("CSI index"),
            "interval": _("Confidence interval"),
            "unit": scope_label,
            "network": _("Network"),
        },
    }


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
    context.update(
        report=report,
        chart=trend_chart(report, context["language"], scope_label),
        shortfalls=report.shortfalls[:10],
    )
    return render(request, "analytics/dashboard.html", context)
