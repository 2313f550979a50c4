"""Means and shares checked against statsmodels."""

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from manyi.stats.descriptive import (
    bottom_box,
    histogram,
    mean_from_sums,
    mean_of,
    share,
    top_box,
)

RNG = np.random.default_rng(20261124)
ANSWERS = RNG.integers(1, 11, size=237)


def test_mean_and_interval_match_statsmodels():
    ours = mean_of(ANSWERS, confidence=0.9)
    theirs = DescrStatsW(ANSWERS.astype(float))
    low, high = theirs.tconfint_mean(alpha=0.1)
    assert ours.mean == pytest.approx(theirs.mean, abs=1e-10)
    assert ours.sd == pytest.approx(theirs.std_mean * np.sqrt(len(ANSWERS)), abs=1e-10)
    assert (ours.ci_low, ours.ci_high) == pytest.approx((low, high), abs=1e-10)


def test_sums_of_two_halves_give_the_mean_of_the_whole():
    first, second = ANSWERS[:100], ANSWERS[100:]
    n = len(first) + len(second)
    total = float(first.sum() + second.sum())
    total_sq = float((first.astype(float) ** 2).sum() + (second.astype(float) ** 2).sum())
    assert mean_from_sums(n, total, total_sq) == mean_of(ANSWERS)


@pytest.mark.parametrize(("k", "n"), [(0, 12), (7, 12), (180, 237), (237, 237)])
def test_share_interval_is_wilsons(k, n):
    ours = share(k, n, confidence=0.95)
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert (ours.ci_low, ours.ci_high) == pytest.approx((low, high), abs=1e-10)


def test_top_and_bottom_box_count_the_ends_of_the_scale():
    counts = histogram(ANSWERS, 1, 10)
    assert counts.sum() == len(ANSWERS)
    assert top_box(counts).k == int((ANSWERS >= 9).sum())
    assert bottom_box(counts, boxes=3).k == int((ANSWERS <= 3).sum())


def test_a_value_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="outside the scale"):
        histogram([1, 11], 1, 10)
