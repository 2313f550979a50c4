"""Changes between periods checked against scipy and statsmodels."""

import numpy as np
import pytest
from scipy.stats import ttest_ind
from statsmodels.stats.proportion import proportions_ztest

from manyi.stats.change import mean_change, rankable, share_change

RNG = np.random.default_rng(12)
MARCH = RNG.normal(812, 150, size=140)
AUGUST = RNG.normal(770, 190, size=95)


def _sums(values):
    return len(values), float(values.sum()), float((values**2).sum())


def test_mean_change_is_welchs_test():
    ours = mean_change(_sums(MARCH), _sums(AUGUST))
    theirs = ttest_ind(MARCH, AUGUST, equal_var=False)
    assert ours.statistic == pytest.approx(theirs.statistic, abs=1e-9)
    assert ours.p == pytest.approx(theirs.pvalue, abs=1e-12)
    assert ours.significant == (theirs.pvalue < 0.05)


def test_share_change_is_the_pooled_two_proportion_z_test():
    ours = share_change((112, 140), (61, 95))
    z, p = proportions_ztest([112, 61], [140, 95])
    assert ours.statistic == pytest.approx(z, abs=1e-12)
    assert ours.p == pytest.approx(p, abs=1e-12)


def test_a_thin_figure_is_not_ranked():
    assert rankable(30, 30) and not rankable(29, 30)
