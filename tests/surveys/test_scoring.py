"""Scoring one response: the CSI index against a hand-computed example from the weights."""

import pytest

from manyi.surveys.definition import parse
from manyi.surveys.scoring import nps_class, score

FIVE_FACTORS = {
    "factors": [
        {"code": "initiation", "name": "服务启动", "weight": 0.15},
        {"code": "advisor", "name": "服务顾问", "weight": 0.20},
        {"code": "facility", "name": "服务设施", "weight": 0.15},
        {"code": "pickup", "name": "交车", "weight": 0.17},
        {"code": "quality", "name": "服务质量", "weight": 0.33},
    ],
    "items": [
        {"code": "I1", "type": "rating", "factor": "initiation", "scale": {"min": 1, "max": 10}},
        {"code": "A1", "type": "rating", "factor": "advisor", "scale": {"min": 1, "max": 10}},
        {"code": "A2", "type": "rating", "factor": "advisor", "scale": {"min": 1, "max": 10}},
        {
            "code": "F1",
            "type": "rating",
            "factor": "facility",
            "allow_na": True,
            "scale": {"min": 1, "max": 10},
        },
        {"code": "F2", "type": "rating", "factor": "facility", "scale": {"min": 1, "max": 10}},
        {"code": "P1", "type": "rating", "factor": "pickup", "scale": {"min": 1, "max": 10}},
        {"code": "Q1", "type": "rating", "factor": "quality", "scale": {"min": 1, "max": 10}},
        {
            "code": "Q2",
            "type": "rating",
            "factor": "quality",
            "reversed": True,
            "scale": {"min": 1, "max": 5},
        },
        {"code": "NPS", "type": "nps"},
    ],
}


def test_the_csi_index_matches_a_hand_computed_example():
    answers = {
        "I1": 8,
        "A1": 10,
        "A2": 7,
        "F1": "na",
        "F2": 6,
        "P1": 9,
        "Q1": 10,
        "Q2": 2,
        "NPS": 9,
    }
    result = score(parse(FIVE_FACTORS), answers)
    # By hand: I1 = 7/9·1000; advisor = (1000 + 6/9·1000)/2; facility = 5/9·1000 (F1 is
    # "not applicable" and left out); pickup = 8/9·1000; quality = (1000 + (1 − 1/4)·1000)/2
    # = 875 (Q2 is reversed on 1–5). CSI = .15·7000/9 + .20·2500/3 + .15·5000/9
    # + .17·8000/9 + .33·875 = 4660/9 + 288.75 = 806.527…
    assert result.factors["advisor"] == pytest.approx(2500 / 3)
    assert result.factors["quality"] == pytest.approx(875)
    assert result.index == pytest.approx(4660 / 9 + 288.75)
    assert "F1" not in result.items
    assert (result.nps, result.nps_class) == (9, "promoter")


def test_a_factor_without_answers_leaves_the_others_reweighted():
    answers = {"I1": 10, "A1": 1, "A2": 1, "F2": 10, "P1": 10, "Q1": 10, "Q2": 1}
    # advisor scores 0; the rest score 1000. All factors answered: CSI = 1 − .20 = 800.
    assert score(parse(FIVE_FACTORS), answers).index == pytest.approx(800)
    del answers["A1"], answers["A2"]
    # Without the advisor factor the other weights sum to .80 and are rescaled to 1.
    assert score(parse(FIVE_FACTORS), answers).index == pytest.approx(1000)


@pytest.mark.parametrize(
    "value,expected",
    [
        (0, "detractor"),
        (6, "detractor"),
        (7, "passive"),
        (8, "passive"),
        (9, "promoter"),
        (10, "promoter"),
    ],
)
def test_nps_classes_follow_the_usual_cut_points(value, expected):
    assert nps_class(value) == expected


def test_servqual_gaps_are_perception_minus_expectation_per_item_and_dimension():
    definition = parse(
        {
            "dimensions": [{"code": "reliability", "name": "信赖度"}],
            "items": [
                {
                    "code": "R1",
                    "type": "servqual",
                    "dimension": "reliability",
                    "scale": {"min": 1, "max": 7},
                },
                {
                    "code": "R2",
                    "type": "servqual",
                    "dimension": "reliability",
                    "scale": {"min": 1, "max": 7},
                },
            ],
        }
    )
    result = score(definition, {"R1": {"e": 7, "p": 5}, "R2": {"e": 6, "p": 7}})
    assert result.gaps == {"R1": -2.0, "R2": 1.0}
    assert result.dimension_gaps == {"reliability": pytest.approx(-0.5)}
    assert result.items["R1"] == pytest.approx(4 / 6 * 1000)  # scored on perception
