"""The printed report's charts: well-formed SVG that draws what the page's charts draw."""

from datetime import date
from xml.etree import ElementTree

from manyi.analytics.pdf_charts import factor_chart, quadrant_chart, trend_chart
from manyi.analytics.trend import trend_series
from manyi.stats.descriptive import MeanEstimate

SVG = "{http://www.w3.org/2000/svg}"
LABELS = {"index": "CSI", "interval": "CI", "thin": "Too few", "unit": "Store A", "network": "N"}


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 -- our own output, not untrusted input


def _estimate(mean: float, n: int, half: float) -> MeanEstimate:
    return MeanEstimate(mean=mean, n=n, sd=50.0, ci_low=mean - half, ci_high=mean + half)


def test_a_thin_month_is_drawn_hollow_and_off_the_line():
    trend = [
        (date(2026, 9, 1), _estimate(800, 40, 15)),
        (date(2026, 10, 1), _estimate(810, 38, 15)),
        (date(2026, 11, 1), _estimate(120, 2, 900)),  # two poor answers
    ]
    svg = _parse(trend_chart({**trend_series(trend, 30), "labels": LABELS}))
    (line,) = svg.iter(f"{SVG}polyline")
    assert len(line.get("points").split()) == 2  # the thin month is not on the line
    hollow = [c for c in svg.iter(f"{SVG}circle") if c.get("fill") == "white"]
    assert len(hollow) == 2  # the key's and the thin month's
    bottom = 210 - 24
    for circle in svg.iter(f"{SVG}circle"):
        assert float(circle.get("cy")) <= bottom  # nothing drawn below the axis


def test_factor_dots_sit_on_an_axis_fitted_to_them():
    series = {
        "factors": ["Service <quality>", "Pick-up"],
        "unit": [772.0, 790.0],
        "network": [788.0, 791.0],
        "labels": LABELS,
    }
    text = factor_chart(series)
    svg = _parse(text)
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.isdigit()]
    assert ticks[0] == "700" and ticks[-1] == "850"  # not 0 to 1,000
    assert "Service &lt;quality&gt;" in text  # item names are text, never markup
    assert factor_chart({**series, "unit": [None, None], "network": [None, None]}) == ""


def test_each_item_takes_its_quadrants_colour_and_the_key_names_all_four():
    names = {
        "concentrate_here": "Concentrate here",
        "keep_up": "Keep up",
        "low_priority": "Low priority",
        "possible_overkill": "Overkill",
    }
    chart = {
        "points": [
            {"name": "A", "value": [770.0, 9.0], "quadrant": "concentrate_here"},
            {"name": "B", "value": [800.0, 4.0], "quadrant": "possible_overkill"},
        ],
        "split": 6.5,
        "performance_split": 785.0,
        "quadrants": names,
        "labels": {"performance": "Performance", "importance": "Importance"},
    }
    svg = _parse(quadrant_chart(chart))
    words = {t.text for t in svg.iter(f"{SVG}text")}
    assert set(names.values()) <= words and "Importance (%)" in words
    fills = [c.get("fill") for c in svg.iter(f"{SVG}circle")]
    assert fills[-2:] == ["#d63939", "#4299e1"]
    assert quadrant_chart({**chart, "points": []}) == ""
