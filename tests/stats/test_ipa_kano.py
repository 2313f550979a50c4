"""IPA quadrants, the shortfall list, and penalty–reward checked against statsmodels."""

import numpy as np
import pytest
import statsmodels.api as sm

from manyi.stats.ipa import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL, ipa, shortfalls
from manyi.stats.kano import BASIC, MOTIVATION, dummies, penalty_reward

IMPORTANCE = {"SQ1": 0.35, "SA1": 0.25, "SF1": 0.1, "VP1": 0.3}
STORE = {"SQ1": 700.0, "SA1": 860.0, "SF1": 690.0, "VP1": 760.0}
NETWORK = {"SQ1": 800.0, "SA1": 820.0, "SF1": 720.0, "VP1": 780.0}
COUNTS = {"SQ1": 120, "SA1": 120, "SF1": 120, "VP1": 12}


def test_items_fall_into_martilla_and_james_quadrants():
    quadrants = {p.item: p.quadrant for p in ipa(IMPORTANCE, STORE, NETWORK, COUNTS)}
    assert quadrants == {
        "SQ1": CONCENTRATE,  # important, below the network
        "SA1": KEEP_UP,  # important, above
        "SF1": LOW_PRIORITY,  # less important, below
        "VP1": CONCENTRATE,
    }
    assert OVERKILL not in quadrants.values()


def test_the_shortfall_list_ranks_importance_times_gap_and_leaves_thin_items_out():
    ranked, thin = shortfalls(ipa(IMPORTANCE, STORE, NETWORK, COUNTS), min_n=30)
    assert [s.item for s in ranked] == ["SQ1", "SF1"]
    assert ranked[0].priority == pytest.approx(0.35 * 100)
    assert thin == ["VP1"]


RNG = np.random.default_rng(21)
N = 600
ANSWERS = RNG.integers(1, 11, size=(N, 3)).astype(float)
LOW, HIGH = dummies(ANSWERS, 4, 9)
# Item A only hurts when bad (basic); item C only delights when good (motivation).
OVERALL = (
    7 - 2.0 * LOW[:, 0] + 0.1 * HIGH[:, 0] - 0.6 * LOW[:, 1] + 0.6 * HIGH[:, 1]
    - 0.1 * LOW[:, 2] + 1.8 * HIGH[:, 2] + RNG.normal(scale=0.5, size=N)
)  # fmt: skip


def test_penalty_and_reward_are_the_ols_coefficients_of_the_dummies():
    ours = penalty_reward(ANSWERS, OVERALL, ["A", "B", "C"], low=4, high=9)
    fit = sm.OLS(OVERALL, sm.add_constant(np.column_stack([LOW, HIGH]))).fit()
    assert [k.penalty for k in ours] == pytest.approx(list(fit.params[1:4]), abs=1e-10)
    assert [k.reward for k in ours] == pytest.approx(list(fit.params[4:7]), abs=1e-10)
    assert [k.category for k in ours] == [BASIC, "performance", MOTIVATION]
