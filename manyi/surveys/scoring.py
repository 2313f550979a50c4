"""Scoring one response from its version's definition (plain Python, one definition).

The conventions are those of DOMAIN.md ("How the figures are computed"):

* item score: ``(x − min) / (max − min) × 1000`` (reversed items: ``1000 −`` that);
  "not applicable" and missing answers are left out;
* factor score: the mean of its items' scores;
* index (CSI): ``Σ weight × factor score`` over the factors; when a factor has no
  answered item, the weights of the factors that do are rescaled to sum to 1;
* NPS class: promoter 9–10, passive 7–8, detractor 0–6 on the 0–10 item;
* SERVQUAL gap: perception − expectation per item; a dimension's gap is the mean of
  its items' gaps; a SERVQUAL item's score uses its perception.
"""

from dataclasses import dataclass, field
from typing import Any

from manyi.surveys.answers import NA
from manyi.surveys.definition import Definition, Item


@dataclass(frozen=True)
class Scores:
    items: dict[str, float] = field(default_factory=dict)
    factors: dict[str, float] = field(default_factory=dict)
    index: float | None = None
    nps: int | None = None
    nps_class: str = ""
    gaps: dict[str, float] = field(default_factory=dict)
    dimension_gaps: dict[str, float] = field(default_factory=dict)
    dimensions: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "factors": self.factors,
            "index": self.index,
            "nps": self.nps,
            "nps_class": self.nps_class,
            "gaps": self.gaps,
            "dimension_gaps": self.dimension_gaps,
            "dimensions": self.dimensions,
        }


def nps_class(value: int) -> str:
    if value >= 9:
        return "promoter"
    if value >= 7:
        return "passive"
    return "detractor"


def item_score(item: Item, point: int, scale_max: int = 1000) -> float:
    """``(x − min) / (max − min) × 1000``, flipped for a reversed item."""
    assert item.scale is not None
    share = (point - item.scale.min) / (item.scale.max - item.scale.min)
    return scale_max * (1 - share if item.reversed else share)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def score(definition: Definition, answers: dict[str, Any]) -> Scores:
    """Item, factor, index, NPS and gap scores of checked answers."""
    items: dict[str, float] = {}
    gaps: dict[str, float] = {}
    nps_value = None
    for item in definition.items:
        value = answers.get(item.code)
        if value is None or value == NA or not item.scored:
            continue
        if item.type == "servqual":
            if NA in (value["e"], value["p"]):
                continue
            gaps[item.code] = float(value["p"] - value["e"])
            value = value["p"]
        items[item.code] = item_score(item, value, definition.index_scale)
        if item.type == "nps" and nps_value is None:
            nps_value = value
    factors = {}
    for factor in definition.factors:
        mean = _mean(
            [
                items[item.code]
                for item in definition.items
                if item.factor == factor.code and item.code in items
            ]
        )
        if mean is not None:
            factors[factor.code] = mean
    index = None
    weight = sum(f.weight for f in definition.factors if f.code in factors)
    if factors and weight > 0:
        index = (
            sum(f.weight * factors[f.code] for f in definition.factors if f.code in factors)
            / weight
        )
    dimension_gaps, dimensions = {}, {}
    for dimension in definition.dimensions:
        members = [item.code for item in definition.items if item.dimension == dimension.code]
        if (gap := _mean([gaps[code] for code in members if code in gaps])) is not None:
            dimension_gaps[dimension.code] = gap
        if (level := _mean([items[code] for code in members if code in items])) is not None:
            dimensions[dimension.code] = level
    return Scores(
        items=items,
        factors=factors,
        index=index,
        nps=nps_value,
        nps_class=nps_class(nps_value) if nps_value is not None else "",
        gaps=gaps,
        dimension_gaps=dimension_gaps,
        dimensions=dimensions,
    )
