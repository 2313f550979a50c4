"""The printed report's charts as SVG, drawn from the same series the pages give ECharts:
the CSI trend (months below the minimum n hollow and apart, the band clipped to the
scale), factor scores as dots on a fitted axis, and the items by quadrant with their
colour key. WeasyPrint lays the SVG out with the page's fonts."""

import math
from collections.abc import Sequence
from html import escape
from typing import Any

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, sans-serif"
BLUE, PALE, GREY, INK, RULE = "#206bc4", "#c9d7ee", "#9aa0ac", "#1d2733", "#dde1e7"
WIDTH = 680
QUADRANT_COLOURS = {
    "concentrate_here": "#d63939",
    "keep_up": "#2fb344",
    "low_priority": "#f59f00",
    "possible_overkill": "#4299e1",
}


def tick_step(span: float) -> float:
    """Ticks on round numbers, a handful whatever the range (as the pages' charts)."""
    for limit, step in ((12, 2), (30, 5), (60, 10), (100, 25), (400, 50), (800, 100)):
        if span <= limit:
            return step
    return 200


def _fitted(values: Sequence[float], margin: float, step: float, top: float) -> tuple[float, float]:
    """An axis from a multiple of ``step`` below the values to one above, within 0–top."""
    low = max(0.0, math.floor((min(values) - margin) / step) * step)
    high = min(top, math.ceil((max(values) + margin) / step) * step)
    return low, (high if high > low else low + step)


def _steps(low: float, high: float, step: float) -> list[float]:
    return [low + step * i for i in range(round((high - low) / step) + 1)]


def _attributes(style: dict[str, Any]) -> str:
    return "".join(f' {key.replace("_", "-")}="{value}"' for key, value in style.items())


def _text(x: float, y: float, words: Any, anchor: str = "start", **style: Any) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{_attributes(style)}>'
        f"{escape(str(words))}</text>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str = RULE, **style: Any) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{colour}"{_attributes(style)}/>'
    )


def _dot(x: float, y: float, radius: float, fill: str, **style: Any) -> str:
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}"{_attributes(style)}/>'


def _svg(height: float, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="{FONT}" font-size="10" '
        f'fill="{INK}">{"".join(body)}</svg>'
    )


def _label_width(label: str) -> float:
    """Roughly how wide a label is drawn at 10 px: Chinese characters twice as wide."""
    return sum(10.0 if ord(char) > 0x2E80 else 5.6 for char in label)


def _key(entries: Sequence[tuple[str, str]], x: float, hollow: int = -1) -> list[str]:
    """A colour key along the top: a dot and a label per entry (``hollow``: drawn open)."""
    parts = []
    for position, (colour, label) in enumerate(entries):
        fill = "white" if position == hollow else colour
        parts += [_dot(x + 5, 9, 4, fill, stroke=colour), _text(x + 13, 12, label)]
        x += 28 + _label_width(str(label))
    return parts


def _runs(points: list[tuple]) -> list[list[tuple]]:
    """Consecutive months together: a line or band never bridges a missing month."""
    runs: list[list[tuple]] = []
    for point in points:
        if runs and point[0] == runs[-1][-1][0] + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def trend_chart(series: dict[str, Any]) -> str:
    """The dashboard's trend series as a line with its band; thin months hollow, apart."""
    height, left, right, top, bottom = 210, 44, 12, 30, 24
    axis = series["axis"] or {"min": 0.0, "max": 1000.0}
    low, high = axis["min"], axis["max"]
    months = series["months"]
    step_x = (WIDTH - left - right) / max(len(months), 1)

    def x(i: int) -> float:
        return left + step_x * (i + 0.5)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    labels = series["labels"]
    body = _key(
        [(BLUE, labels["index"]), (PALE, labels["interval"]), (GREY, labels["thin"])], left, 2
    )
    for value in _steps(low, high, tick_step(high - low)):
        body += [_line(left, y(value), WIDTH - right, y(value))]
        body += [_text(left - 4, y(value) + 3, f"{value:.0f}", "end")]
    every = 1 if len(months) <= 12 else 2
    body += [_text(x(i), height - 8, m, "middle") for i, m in enumerate(months) if i % every == 0]
    band = [
        (i, lo, hi)
        for i, (lo, hi) in enumerate(zip(series["low"], series["high"], strict=True))
        if lo is not None and hi is not None
    ]
    for run in _runs(band):
        upper = " ".join(f"{x(i):.1f},{y(hi):.1f}" for i, _lo, hi in run)
        lower = " ".join(f"{x(i):.1f},{y(lo):.1f}" for i, lo, _hi in reversed(run))
        body.append(f'<polygon points="{upper} {lower}" fill="{PALE}" fill-opacity="0.7"/>')
    points = [(i, v) for i, v in enumerate(series["index"]) if v is not None]
    for run in _runs(points):
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
        body.append(f'<polyline points="{line}" fill="none" stroke="{BLUE}" stroke-width="1.8"/>')
    body += [_dot(x(i), y(v), 3, BLUE) for i, v in points]
    body += [
        _dot(x(i), y(v), 3.5, "white", stroke=GREY, stroke_width=1.5)
        for i, v in enumerate(series["thin"])
        if v is not None
    ]
    return _svg(height, body)


def factor_chart(series: dict[str, Any]) -> str:
    """Factor scores as dots (the unit) and diamonds (the network) on an axis fitted to
    them, so that a 16-point gap shows."""
    rows = list(zip(series["factors"], series["unit"], series["network"], strict=True))
    values = [v for _name, unit, network in rows for v in (unit, network) if v is not None]
    if not values:
        return ""
    compared = any(network is not None for _name, _unit, network in rows)
    left, right, top, row = 170, 16, 28, 22
    height = top + row * len(rows) + 22
    low, high = _fitted(values, 25, 50, 1000)

    def x(value: float) -> float:
        return left + (value - low) / (high - low) * (WIDTH - left - right)

    labels = series["labels"]
    body = _key([(BLUE, labels["unit"])] + ([(GREY, labels["network"])] if compared else []), left)
    for value in _steps(low, high, tick_step(high - low)):
        body += [_line(x(value), top, x(value), height - 20)]
        body += [_text(x(value), height - 8, f"{value:.0f}", "middle")]
    for position, (name, unit, network) in enumerate(rows):
        middle = top + row * position + row / 2
        body.append(_text(left - 8, middle + 3, name, "end"))
        if network is not None:
            cx = x(network)
            corners = ((cx, middle - 5), (cx + 5, middle), (cx, middle + 5), (cx - 5, middle))
            shape = " ".join(f"{a:.1f},{b:.1f}" for a, b in corners)
            body.append(f'<polygon points="{shape}" fill="{GREY}"/>')
        if unit is not None:
            body.append(_dot(x(unit), middle, 5, BLUE))
    return _svg(height, body)


def quadrant_chart(chart: dict[str, Any]) -> str:
    """Items by performance and importance (per cent), coloured by quadrant, with the
    dashed lines at mean importance and the network's mean score, and a colour key."""
    points = chart["points"]
    if not points:
        return ""
    height, left, right, top, bottom = 300, 52, 16, 30, 36
    xs = [p["value"][0] for p in points] + [chart["performance_split"]]
    ys = [p["value"][1] for p in points] + [chart["split"]]
    x_step, y_step = tick_step(max(xs) - min(xs) + 4), tick_step(max(ys) - min(ys) + 2)
    x_low, x_high = _fitted(xs, 2, x_step, 1000)
    y_low, y_high = _fitted(ys, 1, y_step, 100)

    def x(value: float) -> float:
        return left + (value - x_low) / (x_high - x_low) * (WIDTH - left - right)

    def y(value: float) -> float:
        return top + (y_high - value) / (y_high - y_low) * (height - top - bottom)

    key = [(colour, chart["quadrants"][code]) for code, colour in QUADRANT_COLOURS.items()]
    body = _key(key, left)
    for value in _steps(x_low, x_high, x_step):
        body.append(_text(x(value), height - bottom + 12, f"{value:g}", "middle"))
    for value in _steps(y_low, y_high, y_step):
        body += [_line(left, y(value), WIDTH - right, y(value))]
        body += [_text(left - 4, y(value) + 3, f"{value:g}", "end")]
    middle = (top + height - bottom) / 2
    labels = chart["labels"]
    body.append(_text((left + WIDTH - right) / 2, height - 6, labels["performance"], "middle"))
    body.append(
        _text(
            12,
            middle,
            f"{labels['importance']} (%)",
            "middle",
            transform=f"rotate(-90 12 {middle})",
        )
    )
    split_x, split_y = x(chart["performance_split"]), y(chart["split"])
    body.append(_line(left, split_y, WIDTH - right, split_y, GREY, stroke_dasharray="4 3"))
    body.append(_line(split_x, top, split_x, height - bottom, GREY, stroke_dasharray="4 3"))
    body += [
        _dot(x(p["value"][0]), y(p["value"][1]), 4.5, QUADRANT_COLOURS.get(p["quadrant"], GREY))
        for p in points
    ]
    return _svg(height, body)
