"""What a response adds to a rollup cell: its variables' values and its answers' points."""

from datetime import date
from typing import Any

import numpy as np
from django.utils import timezone

from manyi.surveys.definition import Definition

RATED = ("rating", "nps")


def variables(definition: Definition) -> tuple[str, ...]:
    """The rollup variables of a version: item scores, factors, gaps, the index, NPS."""
    names = [item.code for item in definition.items if item.type in (*RATED, "servqual")]
    names += [f"factor:{factor.code}" for factor in definition.factors]
    names += [f"gap:{item.code}" for item in definition.items if item.type == "servqual"]
    names += ["@index", "@nps"]
    return tuple(names)


def row(definition: Definition, names: tuple[str, ...], response: Any) -> np.ndarray:
    """One response's values in the order of ``names`` (NaN where not answered)."""
    scores = response.scores or {}
    known: dict[str, Any] = dict(scores.get("items", {}))
    known.update({f"factor:{code}": v for code, v in scores.get("factors", {}).items()})
    known.update({f"gap:{code}": v for code, v in scores.get("gaps", {}).items()})
    known["@index"] = response.index
    known["@nps"] = response.nps
    return np.array([np.nan if known.get(name) is None else float(known[name]) for name in names])


def points(definition: Definition, answers: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Counts of the answered scale points of the rated items: {item: {point: 1}}."""
    counted: dict[str, dict[str, int]] = {}
    for item in definition.items:
        value = answers.get(item.code)
        if item.type in RATED and isinstance(value, int) and not isinstance(value, bool):
            counted[item.code] = {str(value): 1}
    return counted


def add_histograms(total: dict[str, dict[str, int]], more: dict[str, dict[str, int]]) -> None:
    for code, counts in more.items():
        bucket = total.setdefault(code, {})
        for point, count in counts.items():
            bucket[point] = bucket.get(point, 0) + count


def month_of(moment: Any) -> date:
    return timezone.localdate(moment).replace(day=1)
