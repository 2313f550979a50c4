"""Each analytics page as XLSX sheets: the tables beside its charts, with the figures
rounded and signed as the page shows them (importance in per cent, a shortfall as the
points below the network, p values as ``< 0.001``), and words, not codes."""

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from manyi.analytics.query import ReportQuery
from manyi.analytics.reports import csi_report
from manyi.analytics.reports.changes import change_report
from manyi.analytics.reports.drivers import CLASSES, QUADRANTS, kano_report
from manyi.analytics.reports.funnel import funnel_report
from manyi.analytics.reports.gaps import gap_report
from manyi.analytics.reports.nps import nps_report
from manyi.analytics.reports.staff import staff_report
from manyi.analytics.templatetags.report_format import p_value

Sheet = tuple[str, Sequence[str], list[Sequence[Any]]]
Names = dict[str, dict[str, str]]  # "texts" (items) and "factors", in the UI language


def _rounded(value: float | None, digits: int = 0) -> float | int | None:
    if value is None:
        return None
    return round(value) if digits == 0 else round(value, digits)


def _percent(share: float | None) -> int | None:
    """A share shown as whole per cent, as the pages show importance."""
    return None if share is None else round(share * 100)


def _below(gap: float | None) -> int | None:
    """A shortfall's gap as the points below the network: negative, as on the page."""
    return None if gap is None else -round(gap)


def _csi(query: ReportQuery, names: Names) -> list[Sheet]:
    report = csi_report(
        version_id=query.version_id,
        months=query.months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    where = str(query.scope) if query.scope else _("Network")
    index, nps = report.index, report.nps
    return [
        (
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                (_("Programme"), str(query.programme)),
                (_("Unit"), where),
                (_("Period"), query.months.label()),
                (_("Responses"), report.responses),
                (_("CSI index"), _rounded(index.mean) if index else None),
                ("NPS", _rounded(nps.nps, 1) if nps else None),
            ],
        ),
        (
            _("CSI trend"),
            [_("Month"), "n", _("CSI index")],
            [
                (f"{m:%Y-%m}", e.n if e else 0, _rounded(e.mean) if e else None)
                for m, e in report.trend
            ],
        ),
        (
            _("Factor scores"),
            [_("Factor"), where, _("Network")],
            [
                (names["factors"].get(code, code), _rounded(value), _rounded(network))
                for code, _name, value, network in report.factors
            ],
        ),
        (
            _("Ranking"),
            ["#", _("Unit"), "n", _("CSI index")],
            [(f.rank, str(f.unit), f.n, _rounded(f.index)) for f in report.children],
        ),
        (
            _("Shortfalls: fix these first"),
            [_("Item"), _("Importance (%)"), _("Gap to network")],
            [
                (names["texts"].get(s.item, s.item), _percent(s.importance), _below(s.gap))
                for s in report.shortfalls
            ],
        ),
    ]


def _drivers(query: ReportQuery, names: Names) -> list[Sheet]:
    report = csi_report(
        version_id=query.version_id,
        months=query.months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    kano = kano_report(version_id=query.version_id, months=query.months, scope=query.scope)
    texts = names["texts"]
    return [
        (
            _("Importance and performance"),
            [
                _("Item"),
                _("Importance (%)"),
                _("Performance"),
                _("Network"),
                _("Quadrant"),
                "n",
            ],
            [
                (
                    texts.get(p.item, p.item),
                    _percent(p.importance),
                    _rounded(p.performance),
                    _rounded(p.network),
                    str(QUADRANTS.get(p.quadrant, p.quadrant)),
                    p.n,
                )
                for p in report.positions
            ],
        ),
        (
            _("Basic, performance and motivation items"),
            [_("Item"), _("Penalty"), _("Reward"), _("Class")],
            [
                (
                    texts.get(k.item, k.item),
                    _rounded(k.penalty),
                    _rounded(k.reward),
                    str(CLASSES.get(k.category, k.category)),
                )
                for k in kano.items
            ],
        ),
    ]


def _nps(query: ReportQuery, names: Names) -> list[Sheet]:
    report = nps_report(
        version_id=query.version_id,
        months=query.months,
        compare_months=query.compare_months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    header = [_("Month"), "n", _("Promoters"), _("Passives"), _("Detractors"), "NPS"]
    return [
        (
            _("NPS by month"),
            header,
            [
                (f"{m:%Y-%m}", e.n, e.promoters, e.passives, e.detractors, _rounded(e.nps, 1))
                if e
                else (f"{m:%Y-%m}", 0, 0, 0, 0, None)
                for m, e in report.trend
            ],
        ),
        (
            _("Ranking"),
            ["#", _("Unit"), "n", "NPS"],
            [
                (f.rank, str(f.unit), f.n, _rounded(f.estimate.nps, 1) if f.estimate else None)
                for f in report.children
            ],
        ),
        (_("Answers 0–10"), [str(point) for point in range(11)], [report.histogram]),
    ]


def _gaps(query: ReportQuery, names: Names) -> list[Sheet]:
    report = gap_report(version_id=query.version_id, months=query.months, scope=query.scope)
    header = [_("Dimension"), "n", _("Gap"), "t", "p", _("Network")]
    language = get_language() or "zh-hans"
    return [
        (
            _("Gap by dimension"),
            header,
            [
                (
                    d.name.get(language),
                    d.gap.n,
                    _rounded(d.gap.gap, 2),
                    _rounded(d.gap.t, 2),
                    p_value(d.gap.p),
                    _rounded(d.network, 2),
                )
                for d in report.dimensions
            ],
        ),
        (
            _("Items"),
            [_("Item"), "n", _("Expectation"), _("Perception"), _("Gap"), "p", _("Network")],
            [
                (
                    names["texts"].get(i.item, i.item),
                    i.gap.n,
                    _rounded(i.expectation, 2),
                    _rounded(i.perception, 2),
                    _rounded(i.gap.gap, 2),
                    p_value(i.gap.p),
                    _rounded(i.network, 2),
                )
                for i in report.items
            ],
        ),
    ]


def _changes(query: ReportQuery, names: Names) -> list[Sheet]:
    report = change_report(
        version_id=query.version_id,
        months=query.months,
        compare_months=query.compare_months,
        scope=query.scope,
        min_n=query.programme.min_n_unit,
    )
    header = [_("Figure"), _("Before"), _("Now"), _("Change"), "n", "n", "p", _("adjusted p")]
    return [
        (
            _("What changed"),
            header,
            [
                (
                    _move_label(m, names),
                    _rounded(m.before, 1),
                    _rounded(m.now, 1),
                    _rounded(m.difference, 1),
                    m.n_before,
                    m.n_now,
                    p_value(m.p),
                    p_value(m.q),
                )
                for m in report.moves
            ],
        )
    ]


def _move_label(move: Any, names: Names) -> str:
    """A moved figure named as the What changed page names it."""
    if move.kind == "index":
        return _("CSI index")
    if move.kind == "nps":
        return "NPS"
    if move.kind == "factor":
        return f"{_('Factor')}: {names['factors'].get(move.code, move.code)}"
    if move.kind == "unit":
        return f"{_('Unit')}: {move.label}"
    if move.kind == "gap":
        return f"{_('Gap')}: {names['texts'].get(move.code, move.code)}"
    return names["texts"].get(move.code, move.code)


def _staff(query: ReportQuery, names: Names) -> list[Sheet]:
    figures = staff_report(
        version_id=query.version_id,
        months=query.months,
        scope=query.scope,
        min_n=query.programme.min_n_staff,
    )
    return [
        (
            _("Advisors"),
            ["#", _("Advisor"), _("Unit"), "n", _("CSI index"), _("Trails the store on")],
            [
                (
                    f.rank,
                    str(f.staff),
                    str(f.unit),
                    f.n,
                    _rounded(f.index),
                    names["factors"].get(f.weakest, "") if f.behind and f.behind > 0 else "",
                )
                for f in figures
            ],
        )
    ]


def _funnel(query: ReportQuery, names: Names) -> list[Sheet]:
    total, rows = funnel_report(programme=query.programme, months=query.months, scope=query.scope)
    steps = ("invited", "sent", "opened", "started", "completed", "expired", "opted_out", "failed")
    header = [
        _("Unit"),
        _("Invited"),
        _("Sent"),
        _("Opened"),
        _("Started"),
        _("Completed"),
        _("Expired"),
        _("Opted out"),
        _("Failed"),
    ]
    return [
        (
            _("Response funnel"),
            header,
            [
                (row.label or _("All"), *(row.counts[step] for step in steps))
                for row in [*rows, total]
            ],
        )
    ]


WORKBOOKS: dict[str, Callable[[ReportQuery, Names], list[Sheet]]] = {
    "dashboard": _csi,
    "drivers": _drivers,
    "nps": _nps,
    "gaps": _gaps,
    "changes": _changes,
    "staff": _staff,
    "funnel": _funnel,
}
