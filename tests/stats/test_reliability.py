"""Cronbach's alpha checked against pingouin."""

import numpy as np
import pandas as pd
import pingouin
import pytest

from manyi.stats.reliability import (
    covariance_from_sums,
    cronbach_alpha,
    cronbach_alpha_of,
)

RNG = np.random.default_rng(11)
LATENT = RNG.normal(size=300)
ITEMS = ["SA1", "SA2", "SQ1", "SQ2", "SQ3"]
DATA = np.clip(
    np.round(
        8 + 1.2 * LATENT[:, None] + RNG.normal(scale=[0.8, 0.9, 1.0, 1.4, 2.5], size=(300, 5))
    ),
    1,
    10,
)


def test_alpha_matches_pingouin():
    ours = cronbach_alpha_of(DATA, ITEMS)
    theirs, _ci = pingouin.cronbach_alpha(data=pd.DataFrame(DATA, columns=ITEMS))
    assert ours.alpha == pytest.approx(theirs, abs=1e-10) and ours.n == 300


def test_alpha_if_deleted_matches_pingouin_on_the_other_items():
    ours = cronbach_alpha_of(DATA, ITEMS)
    frame = pd.DataFrame(DATA, columns=ITEMS)
    for item in ITEMS:
        theirs, _ci = pingouin.cronbach_alpha(data=frame.drop(columns=item))
        assert ours.alpha_if_deleted[item] == pytest.approx(theirs, abs=1e-10)
    # The noisiest item is the one whose removal helps most.
    assert max(ours.alpha_if_deleted, key=ours.alpha_if_deleted.get) == "SQ3"


def test_rollup_sums_give_the_same_alpha_as_raw_answers():
    halves = (DATA[:120], DATA[120:])
    n = sum(len(h) for h in halves)
    sums = sum(h.sum(axis=0) for h in halves)
    cross = sum(h.T @ h for h in halves)
    from_sums = cronbach_alpha(covariance_from_sums(n, sums, cross), n, ITEMS)
    assert from_sums.alpha == pytest.approx(cronbach_alpha_of(DATA, ITEMS).alpha, abs=1e-12)


def test_one_item_has_no_alpha():
    with pytest.raises(ValueError, match="two items"):
        cronbach_alpha_of(DATA[:, :1], ITEMS[:1])
