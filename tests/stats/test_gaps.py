"""SERVQUAL gaps checked against scipy's paired t test."""

import numpy as np
import pytest
from scipy.stats import ttest_rel

from manyi.stats.gaps import dimension_gap, gap_of

RNG = np.random.default_rng(9)
EXPECT = np.clip(np.round(RNG.normal(6.1, 0.8, size=120)), 1, 7)
PERCEIVE = np.clip(np.round(EXPECT - 0.4 + RNG.normal(0, 1.0, size=120)), 1, 7)


def test_gap_and_paired_test_match_scipy():
    ours = gap_of(EXPECT, PERCEIVE)
    theirs = ttest_rel(PERCEIVE, EXPECT)
    assert ours.gap == pytest.approx((PERCEIVE - EXPECT).mean(), abs=1e-12)
    assert ours.t == pytest.approx(theirs.statistic, abs=1e-10)
    assert ours.p == pytest.approx(theirs.pvalue, abs=1e-12)


def test_an_unanswered_side_leaves_the_pair_out():
    expect, perceive = EXPECT.copy(), PERCEIVE.copy()
    expect[3], perceive[10] = np.nan, np.nan
    keep = np.ones(120, bool)
    keep[[3, 10]] = False
    ours = gap_of(expect, perceive)
    assert ours.n == 118
    assert ours.t == pytest.approx(ttest_rel(PERCEIVE[keep], EXPECT[keep]).statistic, abs=1e-10)


def test_a_dimension_gap_is_the_mean_of_its_item_gaps():
    first, second = gap_of(EXPECT, PERCEIVE), gap_of(EXPECT, PERCEIVE - 1)
    assert dimension_gap([first, second]) == pytest.approx((first.gap + second.gap) / 2)


def test_a_dimension_test_from_item_covariances_matches_scipy_on_the_row_means():
    from scipy.stats import ttest_1samp

    from manyi.stats.gaps import dimension_gap_test

    rng = np.random.default_rng(21)
    gaps = rng.integers(-3, 2, size=(60, 4)).astype(float) + rng.normal(0, 0.3, size=(60, 1))
    ours = dimension_gap_test(60, gaps.mean(axis=0), np.cov(gaps, rowvar=False))
    theirs = ttest_1samp(gaps.mean(axis=1), 0.0)
    assert ours.gap == pytest.approx(gaps.mean(), abs=1e-12)
    assert ours.t == pytest.approx(theirs.statistic, abs=1e-9)
    assert ours.p == pytest.approx(theirs.pvalue, abs=1e-12)
