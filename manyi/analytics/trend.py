"""The CSI trend as a chart draws it: months with enough answers as a line with its
confidence band, months below the minimum n apart (hollow points, no band) so that two
answers in a month just begun never stretch the axis; every value kept on the scale."""

import math
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from manyi.analytics.reports.csi import Report
from manyi.stats.descriptive import MeanEstimate

TOP = 1000.0  # the index runs from 0 to 1,000
STEP = 50  # the axis ends on a multiple of this


def _clip(value: float) -> float:
    return round(min(max(value, 0.0), TOP), 1)


def trend_series(trend: list[tuple[date, MeanEstimate | None]], min_n: int) -> dict[str, Any]:
    """Series for the ``csi-trend`` chart: ``index`` (enough answers), ``thin`` (fewer
    than ``min_n``), ``low``/``high`` (the band, clipped to 0–1,000), ``n`` per month,
    and the axis, fitted to the line and its band only."""
    months, index, thin, low, high, counts = [], [], [], [], [], []
    for month, estimate in trend:
        months.append(f"{month:%Y-%m}")
        counts.append(estimate.n if estimate else 0)
        enough = estimate is not None and estimate.n >= min_n
        index.append(_clip(estimate.mean) if enough else None)
        thin.append(_clip(estimate.mean) if estimate and not enough else None)
        banded = enough and estimate.n > 1 and math.isfinite(estimate.ci_low)
        low.append(_clip(estimate.ci_low) if banded else None)
        high.append(_clip(estimate.ci_high) if banded else None)
    shown = [value for value in (*index, *low, *high) if value is not None]
    if not shown:  # only thin months: fit those
        shown = [value for value in thin if value is not None]
    axis = None
    if shown:
        bottom = max(0.0, math.floor((min(shown) - STEP / 2) / STEP) * STEP)
        top = min(TOP, math.ceil((max(shown) + STEP / 2) / STEP) * STEP)
        axis = {"min": bottom, "max": top}
        # A thin month off the axis is drawn on its edge; the tooltip tells the value.
        thin = [None if v is None else min(max(v, bottom), top) for v in thin]
    return {
        "months": months,
        "index": index,
        "thin": thin,
        "thin_true": [_clip(e.mean) if e and e.n < min_n else None for _m, e in trend],
        "low": low,
        "high": high,
        "n": counts,
        "min_n": min_n,
        "axis": axis,
    }


def dashboard_series(report: "Report", language: str, scope_label: str) -> dict[str, Any]:
    """The CSI dashboard's two charts: the trend and the factor scores beside the
    network's, with their labels in the current language."""
    return {
        **trend_series(report.trend, report.min_n),
        "factors": [name.get(language) for _code, name, _u, _n in report.factors],
        "unit": [round(u, 1) if u is not None else None for _c, _n, u, _w in report.factors],
        # At the network's own level there is nothing to compare the network with.
        "network": [
            round(w, 1) if w is not None and report.scope is not None else None
            for _c, _n, _u, w in report.factors
        ],
        "labels": {
            "index": _("CSI index"),
            "interval": _("Confidence interval"),
            "thin": _("Too few answers"),
            "unit": scope_label,
            "network": _("Network"),
        },
    }
