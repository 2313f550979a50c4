"""Pearson's r and its Fisher-z interval checked against SciPy's ``pearsonr`` (whose
``confidence_interval`` is Fisher's) and the textbook example of a tiny sample."""

import numpy as np
import pytest
from scipy import stats

from manyi.stats.correlation import pearson


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_r_its_interval_and_p_are_scipys(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(800, 40, 24)
    y = 0.6 * (x - 800) + rng.normal(0, 30, 24)
    mine = pearson(x, y)
    reference = stats.pearsonr(x, y)
    interval = reference.confidence_interval(confidence_level=0.95)
    assert mine.r == pytest.approx(reference.statistic, abs=1e-12)
    assert (mine.low, mine.high) == pytest.approx((interval.low, interval.high), abs=1e-12)
    assert mine.p == pytest.approx(reference.pvalue, rel=1e-9)
    assert mine.n == 24


def test_too_few_pairs_or_a_constant_figure_is_refused():
    with pytest.raises(ValueError):
        pearson(np.array([1.0, 2, 3]), np.array([2.0, 4, 5]))
    with pytest.raises(ValueError):
        pearson(np.ones(6), np.arange(6.0))
