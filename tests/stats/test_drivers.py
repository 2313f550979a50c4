"""Driver importance checked against statsmodels OLS and the relativeImp package."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from relativeImp import relativeImp

from manyi.stats.drivers import SingularError, drivers_of

RNG = np.random.default_rng(5)
N = 400
LATENT = RNG.normal(size=N)
ITEMS = ["SA1", "SF1", "VP1", "SQ1"]
X = np.column_stack([LATENT + RNG.normal(scale=s, size=N) for s in (0.7, 0.9, 0.8, 0.6)])
# Service quality drives overall satisfaction most, the facility least.
Y = 0.2 * X[:, 0] + 0.05 * X[:, 1] + 0.15 * X[:, 2] + 0.5 * X[:, 3] + RNG.normal(size=N)


def _standardised(a):
    return (a - a.mean(axis=0)) / a.std(axis=0, ddof=1)


def test_r2_and_betas_are_those_of_ols_on_standardised_data():
    ours = drivers_of(X, Y, ITEMS)
    fit = sm.OLS(_standardised(Y), sm.add_constant(_standardised(X))).fit()
    assert ours.r2 == pytest.approx(fit.rsquared, abs=1e-10)
    assert list(ours.betas.values()) == pytest.approx(list(fit.params[1:]), abs=1e-10)


def test_relative_weights_match_the_relativeimp_package():
    ours = drivers_of(X, Y, ITEMS)
    frame = pd.DataFrame(np.column_stack([X, Y]), columns=[*ITEMS, "OVERALL"])
    theirs = relativeImp(frame, outcomeName="OVERALL", driverNames=list(ITEMS))
    assert list(ours.raw_weights.values()) == pytest.approx(
        list(theirs["rawRelaImpt"].astype(float)), abs=1e-10
    )
    assert list(ours.importance.values()) == pytest.approx(
        list(theirs["normRelaImpt"].astype(float) / 100), abs=1e-10
    )
    assert sum(ours.raw_weights.values()) == pytest.approx(ours.r2, abs=1e-12)
    assert max(ours.importance, key=ours.importance.get) == "SQ1"


def test_a_copy_of_an_item_is_a_singular_matrix():
    with pytest.raises(SingularError, match="linearly dependent"):
        drivers_of(np.column_stack([X, X[:, 0] * 2]), Y, [*ITEMS, "SA1x2"])
