"""The analysis pages beside the CSI dashboard: drivers, NPS, SERVQUAL gaps, what
changed, advisors and the response funnel. Each reads one report and renders it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from manyi.analytics.reports import csi_report
from manyi.analytics.reports.changes import change_report
from manyi.analytics.reports.drivers import QUADRANTS, kano_report, quadrant_series
from manyi.analytics.reports.funnel import funnel_report
from manyi.analytics.reports.gaps import gap_report
from manyi.analytics.reports.nps import nps_report
from manyi.analytics.reports.staff import advisor_report, staff_report
from manyi.analytics.trend import trend_series
from manyi.analytics.views.page import analytics_view, page_context, query_of
from manyi.org.selectors import staff_list
from manyi.surveys.selectors import FUNNEL_STEPS


@analytics_view
def drivers(request: HttpRequest) -> HttpResponse:
    query = query_of(request)
    context = page_context(request, query, "drivers")
    if query is not None:
        report = csi_report(
            version_id=query.version_id,
            months=query.months,
            scope=query.scope,
            min_n=query.programme.min_n_unit,
        )
        kano = kano_report(version_id=query.version_id, months=query.months, scope=query.scope)
        texts = context["texts"]
        context.update(
            report=report,
            kano=kano,
            quadrants={code: str(label) for code, label in QUADRANTS.items()},
            chart=quadrant_series(report.positions, texts),
        )
    return render(request, "analytics/drivers.html", context)


@analytics_view
def nps(request: HttpRequest) -> HttpResponse:
    query = query_of(request, kind="nps")
    context = page_context(request, query, "nps")
    if query is not None:
        report = nps_report(
            version_id=query.version_id,
            months=query.months,
            compare_months=query.compare_months,
            scope=query.scope,
            min_n=query.programme.min_n_unit,
        )
        context.update(
            report=report,
            chart={
                "months": [f"{month:%Y-%m}" for month, _e in report.trend],
                "nps": [round(e.nps, 1) if e else None for _m, e in report.trend],
                "promoters": [e.promoters if e else 0 for _m, e in report.trend],
                "passives": [e.passives if e else 0 for _m, e in report.trend],
                "detractors": [e.detractors if e else 0 for _m, e in report.trend],
                "labels": {
                    "nps": "NPS",
                    "promoters": _("Promoters"),
                    "passives": _("Passives"),
                    "detractors": _("Detractors"),
                },
            },
        )
    return render(request, "analytics/nps.html", context)


@analytics_view
def gaps(request: HttpRequest) -> HttpResponse:
    query = query_of(request, kind="gaps")
    context = page_context(request, query, "gaps")
    if query is not None:
        report = gap_report(version_id=query.version_id, months=query.months, scope=query.scope)
        language = context["language"]
        context.update(
            report=report,
            chart={
                "dimensions": [d.name.get(language) for d in report.dimensions],
                "gap": [round(d.gap.gap, 2) for d in report.dimensions],
                "network": [
                    round(d.network, 2) if d.network is not None else None
                    for d in report.dimensions
                ]
                if query.scope
                else [],
                "labels": {
                    "gap": str(query.scope) if query.scope else _("Network"),
                    "network": _("Network"),
                },
            },
        )
    return render(request, "analytics/gaps.html", context)


@analytics_view
def changes(request: HttpRequest) -> HttpResponse:
    query = query_of(request)
    context = page_context(request, query, "changes")
    if query is not None:
        context["report"] = change_report(
            version_id=query.version_id,
            months=query.months,
            compare_months=query.compare_months,
            scope=query.scope,
            min_n=query.programme.min_n_unit,
        )
    return render(request, "analytics/changes.html", context)


@analytics_view
def staff(request: HttpRequest) -> HttpResponse:
    query = query_of(request)
    context = page_context(request, query, "staff")
    if query is not None:
        context["figures"] = staff_report(
            version_id=query.version_id,
            months=query.months,
            scope=query.scope,
            min_n=query.programme.min_n_staff,
        )
    return render(request, "analytics/staff.html", context)


@analytics_view
def funnel(request: HttpRequest) -> HttpResponse:
    query = query_of(request)
    context = page_context(request, query, "funnel")
    if query is not None:
        total, rows = funnel_report(
            programme=query.programme, months=query.months, scope=query.scope
        )
        total.label = _("All")
        for row in rows:
            row.link = f"{context['drill_base']}{row.unit_id}"
        context.update(
            total=total,
            rows=[*rows, total],
            chart={
                "steps": [_("Invited"), _("Sent"), _("Opened"), _("Started"), _("Completed")],
                "counts": [total.counts[step] for step in FUNNEL_STEPS],
            },
        )
    return render(request, "analytics/funnel.html", context)


@analytics_view
def advisor(request: HttpRequest, pk: int) -> HttpResponse:
    query = query_of(request)
    staff_member = staff_list(request.user).filter(pk=pk).first()
    if query is None or staff_member is None:
        raise Http404
    context = page_context(request, query, "staff")
    report = advisor_report(
        version_id=query.version_id,
        months=query.months,
        staff=staff_member,
        min_n=query.programme.min_n_staff,
    )
    names = context["factor_names"]
    context.update(
        report=report,
        chart={
            **trend_series(report.trend, query.programme.min_n_staff),
            "factors": [names.get(code, code) for code, *_rest in report.factors],
            "unit": [round(v, 1) if v is not None else None for _c, v, _s, _n in report.factors],
            "network": [round(s, 1) if s is not None else None for _c, _v, s, _n in report.factors],
            "labels": {
                "index": _("CSI index"),
                "interval": _("Confidence interval"),
                "thin": _("Too few answers"),
                "unit": str(staff_member),
                "network": str(report.store or ""),
            },
        },
    )
    return render(request, "analytics/advisor.html", context)
