"""Sample sizes checked against Krejcie and Morgan's published table and statsmodels."""

import math

import pytest
from statsmodels.stats.proportion import samplesize_confint_proportion

from manyi.stats.sampling import (
    margin_mean,
    margin_proportion,
    sample_size_proportion,
)

# Krejcie & Morgan (1970), Table 1: population N → sample size S (±5 %, 95 %, p = .5).
KREJCIE_MORGAN = {10: 10, 50: 44, 100: 80, 200: 132, 500: 217, 1000: 278, 10000: 370}


@pytest.mark.parametrize(("population", "published"), KREJCIE_MORGAN.items())
def test_sample_size_matches_krejcie_and_morgan(population, published):
    size = sample_size_proportion(0.05, population=population, confidence=0.95)
    assert round(size.exact) == published


def test_infinite_population_size_matches_statsmodels():
    for margin in (0.03, 0.05, 0.1):
        ours = sample_size_proportion(margin, p=0.3, confidence=0.9).infinite
        theirs = samplesize_confint_proportion(0.3, margin, alpha=0.1)
        assert ours == pytest.approx(theirs, rel=1e-9)


def test_margin_and_size_are_inverse():
    size = sample_size_proportion(0.04, population=2000)
    assert margin_proportion(size.n, population=2000) <= 0.04
    assert margin_proportion(size.n - 1, population=2000) > 0.04


def test_a_census_has_no_margin():
    assert margin_proportion(300, population=300) == 0
    assert margin_mean(300, sd=200, population=300) == 0


def test_margin_of_a_mean_without_correction():
    assert margin_mean(100, sd=200) == pytest.approx(1.959964 * 20, rel=1e-6)
    assert margin_mean(100, sd=200, population=1000) == pytest.approx(
        1.959964 * 20 * math.sqrt(900 / 999), rel=1e-6
    )


def test_a_sample_larger_than_the_population_is_refused():
    with pytest.raises(ValueError, match="larger than the population"):
        margin_proportion(101, population=100)
