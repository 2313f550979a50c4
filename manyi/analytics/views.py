"""The CSI dashboard: a scope unit's figures, its children ranked, what to fix first."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from manyi.analytics.reports import csi_report
from manyi.org.models import Unit
from manyi.org.selectors import scope_unit, sees_network, visible_units
from manyi.surveys.models import Programme
from manyi.surveys.versions import definition_of
from manyi.web.exports import workbook_response

PERIODS = {"3": 3, "6": 6, "12": 12, "18": 18}


def months_back(count: int, today: date | None = None) -> list[date]:
    """The last ``count`` calendar months, this one included, oldest first."""
    today = today or timezone.localdate()
    first = today.year * 12 + today.month - 1
    return [date(m // 12, m % 12 + 1, 1) for m in range(first - count + 1, first + 1)]


def _scope(request: HttpRequest) -> Unit | None:
    wanted = request.GET.get("unit", "")
    if wanted.isdigit():
        unit = visible_units(request.user).filter(pk=int(wanted)).first()
        if unit is None:
            raise Http404
        return unit
    return None if sees_network(request.user) else scope_unit(request.user)


def _chosen(request: HttpRequest) -> tuple[list[Programme], Programme | None, str, list[date]]:
    programmes = list(Programme.objects.select_related("version__questionnaire"))
    chosen = request.GET.get("programme", "")
    # By default the first programme with an index (CSI) rather than an NPS-only one.
    programme = next((p for p in programmes if str(p.pk) == chosen), None) or next(
        (p for p in programmes if definition_of(p.version_id).factors),
        programmes[0] if programmes else None,
    )
    period = request.GET.get("period", "12")
    return programmes, programme, period, months_back(PERIODS.get(period, 12))


@login_required
def csi_dashboard(request: HttpRequest) -> HttpResponse:
    programmes, programme, period, months = _chosen(request)
    scope = _scope(request)
    if programme is None or (scope is None and not sees_network(request.user)):
        return render(request, "analytics/dashboard.html", {"programme": None})
    report = csi_report(
        version_id=programme.version_id, months=months, scope=scope, min_n=programme.min_n_unit
    )
    language = get_language() or "zh-hans"
    chart = {
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
            "unit": str(scope) if scope else _("Network"),
            "network": _("Network"),
        },
    }
    return render(
        request,
        "analytics/dashboard.html",
        {
            "programme": programme,
            "programmes": programmes,
            "period": period,
            "periods": PERIODS,
            "report": report,
            "scope": scope,
            "parents": visible_units(request.user)
            .filter(pk__in=scope.ancestor_ids())
            .order_by("path")
            if scope
            else [],
            "chart": chart,
            "language": language,
            "items": {
                item.code: item.text.get(language)
                for item in definition_of(programme.version_id).items
            },
            "shortfalls": report.shortfalls[:10],
        },
    )


@login_required
def csi_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's tables as one XLSX workbook."""
    _programmes, programme, _period, months = _chosen(request)
    scope = _scope(request)
    if programme is None or (scope is None and not sees_network(request.user)):
        raise Http404
    report = csi_report(
        version_id=programme.version_id, months=months, scope=scope, min_n=programme.min_n_unit
    )
    language = get_language() or "zh-hans"
    texts = {
        item.code: item.text.get(language) for item in definition_of(programme.version_id).items
    }
    where = str(scope) if scope else _("Network")
    index, nps = report.index, report.nps
    summary = [
        (_("Programme"), str(programme)),
        (_("Unit"), where),
        (_("Period"), f"{months[0]:%Y-%m} – {months[-1]:%Y-%m}"),
        (_("Responses"), report.responses),
        (_("CSI index"), round(index.mean, 1) if index else None),
        ("NPS", round(nps.nps, 1) if nps else None),
    ]
    return workbook_response(
        f"csi-{programme.code}-{months[-1]:%Y-%m}",
        [
            (_("Summary"), [_("Figure"), _("Value")], summary),
            (
                _("CSI trend"),
                [_("Month"), "n", _("CSI index")],
                [
                    (f"{m:%Y-%m}", e.n if e else 0, round(e.mean, 1) if e else None)
                    for m, e in report.trend
                ],
            ),
            (
                _("Factor scores"),
                [_("Factor"), where, _("Network")],
                [
                    (name.get(language), value, network)
                    for _c, name, value, network in report.factors
                ],
            ),
            (
                _("Ranking"),
                ["#", _("Unit"), "n", _("CSI index")],
                [(f.rank, str(f.unit), f.n, f.index) for f in report.children],
            ),
            (
                _("Shortfalls: fix these first"),
                [_("Item"), _("Importance"), _("Gap to network")],
                [(texts.get(s.item, s.item), s.importance, s.gap) for s in report.shortfalls],
            ),
        ],
    )
