"""NPS and its interval, checked by scoring respondents +1/0/−1 and using statsmodels."""

import numpy as np
import pytest
from scipy.stats import norm
from statsmodels.stats.weightstats import DescrStatsW

from manyi.stats.nps import nps_difference, nps_from_histogram, nps_of

RNG = np.random.default_rng(7)
SPRING = RNG.choice(11, size=412, p=[0.02] * 5 + [0.05, 0.1, 0.13, 0.2, 0.25, 0.17])
AUTUMN = RNG.choice(11, size=380, p=[0.03] * 5 + [0.07, 0.12, 0.15, 0.2, 0.2, 0.11])


def _score(answers):
    return np.where(answers >= 9, 1.0, np.where(answers <= 6, -1.0, 0.0))


def test_nps_and_its_interval_equal_the_mean_of_the_respondent_scores():
    ours = nps_of(SPRING, confidence=0.95)
    stats = DescrStatsW(_score(SPRING))
    # The multinomial variance of p − d is the population variance of the ±1 score.
    se = np.sqrt(stats.var / stats.nobs) * 100
    assert ours.nps == pytest.approx(stats.mean * 100, abs=1e-10)
    assert ours.se == pytest.approx(se, abs=1e-10)
    z = norm.ppf(0.975)
    assert (ours.ci_low, ours.ci_high) == pytest.approx(
        (ours.nps - z * se, ours.nps + z * se), abs=1e-10
    )


def test_a_histogram_gives_the_same_nps_as_the_answers():
    counts = np.bincount(SPRING, minlength=11)
    assert nps_from_histogram(counts) == nps_of(SPRING)


def test_two_periods_are_compared_with_a_two_sided_z_test():
    spring, autumn = nps_of(SPRING), nps_of(AUTUMN)
    result = nps_difference(spring, autumn)
    a, b = DescrStatsW(_score(SPRING)), DescrStatsW(_score(AUTUMN))
    se = np.sqrt(a.var / a.nobs + b.var / b.nobs) * 100
    z = (a.mean - b.mean) * 100 / se
    assert result.z == pytest.approx(z, abs=1e-10)
    assert result.p == pytest.approx(2 * norm.sf(abs(z)), abs=1e-12)


def test_an_answer_above_ten_is_refused():
    with pytest.raises(ValueError, match="0 to 10"):
        nps_of([9, 11])
