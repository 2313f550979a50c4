"""The difference in differences from cells, checked against statsmodels' OLS of
``y ~ treated + after + treated:after`` (classical, HC1 and cluster-robust errors) and
against Card & Krueger's published New Jersey minimum-wage estimate."""

import numpy as np
import pytest

from manyi.stats.did import DidCells, cells_of, clustered_inference, did, placebo_verdict

sm = pytest.importorskip("statsmodels.api")


@pytest.fixture(scope="module")
def panel():
    """Twenty stores, a third treated, answers before and after with store effects."""
    rng = np.random.default_rng(8)
    store = rng.integers(0, 20, 3000)
    treated = (store < 7).astype(int)
    after = rng.integers(0, 2, 3000)
    y = (800 + rng.normal(0, 15, 20)[store] + 12 * after + 25 * treated * after
         + rng.normal(0, 60, 3000))  # fmt: skip
    return y, treated, after, store


def _ols(y, treated, after):
    X = sm.add_constant(np.column_stack([treated, after, treated * after]).astype(float))
    return sm.OLS(y, X)


def test_the_estimate_and_its_errors_are_those_of_ols(panel):
    y, treated, after, store = panel
    mine = did(cells_of(y, treated, after, store), clustered=True)
    model = _ols(y, treated, after)
    plain, hc1 = model.fit(), model.fit(cov_type="HC1")
    clustered = model.fit(cov_type="cluster", cov_kwds={"groups": store})
    assert mine.estimate == pytest.approx(plain.params[3], rel=1e-10)
    assert mine.se == pytest.approx(plain.bse[3], rel=1e-10)
    assert mine.se_robust == pytest.approx(hc1.bse[3], rel=1e-10)
    assert mine.se_cluster == pytest.approx(clustered.bse[3], rel=1e-10)
    assert mine.p == pytest.approx(plain.pvalues[3], rel=1e-8)
    low, high = plain.conf_int()[3]
    assert (mine.ci_low, mine.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert mine.n == 3000 and mine.clusters == 20


def test_cells_added_up_give_what_the_raw_answers_give(panel):
    """Cells per store and month, summed, are the raw answers' cells: additive."""
    y, treated, after, store = panel
    halves = [cells_of(y[part], treated[part], after[part], store[part])
              for part in (slice(0, 1234), slice(1234, None))]  # fmt: skip
    fields = ("cluster", "treated", "after", "n", "sum_y", "sum_yy")
    # Both halves hold all twenty stores, so their cluster numbers agree.
    joined = DidCells(*(np.concatenate([getattr(h, f) for h in halves]) for f in fields))
    whole = did(cells_of(y, treated, after, store), clustered=True)
    summed = did(joined, clustered=True)
    for field in ("estimate", "se", "se_robust", "se_cluster"):
        assert getattr(summed, field) == pytest.approx(getattr(whole, field), rel=1e-9)


def test_card_and_krueger_new_jersey_minimum_wage():
    """Mean full-time-equivalent employment (Card & Krueger 1994, table 3): New Jersey
    20.44 → 21.03, Pennsylvania 23.33 → 21.17; published difference in differences 2.76
    (from unrounded means). One store per cell mean is enough for the point estimate."""
    cells = DidCells(
        cluster=np.zeros(4), treated=np.array([1, 1, 0, 0]), after=np.array([0, 1, 0, 1]),
        n=np.full(4, 2.0), sum_y=2 * np.array([20.44, 21.03, 23.33, 21.17]),
        sum_yy=2 * np.array([20.44, 21.03, 23.33, 21.17]) ** 2 + 2,
    )  # fmt: skip
    assert did(cells).estimate == pytest.approx(2.76, abs=0.015)


def test_the_clustered_interval_uses_t_with_one_less_than_the_clusters(panel):
    y, treated, after, store = panel
    mine = did(cells_of(y, treated, after, store), clustered=True)
    fitted = _ols(y, treated, after).fit(cov_type="cluster", cov_kwds={"groups": store}, use_t=True)
    low, high, p = clustered_inference(mine)
    assert (low, high) == pytest.approx(tuple(fitted.conf_int()[3]), rel=1e-9)
    assert p == pytest.approx(fitted.pvalues[3], rel=1e-8)


def test_a_design_with_an_empty_group_is_refused():
    with pytest.raises(ValueError, match="needs observations"):
        did(cells_of(np.arange(6.0), np.array([1, 1, 1, 0, 0, 0]), np.zeros(6)))
    with pytest.raises(ValueError, match="two clusters"):
        did(cells_of(np.arange(8.0), np.array([1, 1, 0, 0] * 2), np.array([0, 1] * 4)),
            clustered=True)  # fmt: skip


def test_an_estimate_is_credited_only_beyond_the_placebos():
    placebos = np.random.default_rng(1).normal(0, 10, 40)
    assert placebo_verdict(30.0, placebos).credited
    assert not placebo_verdict(8.0, placebos).credited
    assert placebo_verdict(-30.0, placebos, wanted=-1).credited
    assert not placebo_verdict(30.0, placebos, wanted=-1).credited
    with pytest.raises(ValueError, match="19 comparable units at least"):
        placebo_verdict(1.0, np.arange(18.0))


def test_the_rank_p_value_counts_the_placebos_as_far_out():
    """Nineteen placebos 1…19: an estimate above them all has p = 1/20; one equal to the
    18th has two placebos at least as large, p = 3/20."""
    placebos = np.arange(1.0, 20.0)
    assert placebo_verdict(25.0, placebos).p == pytest.approx(1 / 20)
    assert placebo_verdict(18.0, placebos).p == pytest.approx(3 / 20)
    assert placebo_verdict(0.0, placebos, wanted=-1).p == pytest.approx(1 / 20)


def _store_months(seed, stores=30, months=8, per=40, effect_from=6, effect=0.0):
    """Answers of each store and month: a store's level, a shock for each store-month
    (what makes one month bad for one store) and answer noise; store 0 gains ``effect``
    from month ``effect_from``. Returns each (store, month)'s n, Σy, Σy²."""
    rng = np.random.default_rng(seed)
    level = rng.normal(800, 20, stores)
    shock = rng.normal(0, 15, (stores, months))
    sums = {}
    for s in range(stores):
        for m in range(months):
            y = level[s] + shock[s, m] + rng.normal(0, 60, per)
            if s == 0 and m >= effect_from:
                y = y + effect
            sums[s, m] = (per, y.sum(), (y * y).sum())
    return sums, shock


def _windows(sums, treated, stores, before, after):
    rows = [(s, int(s == treated), w, *np.sum([sums[s, m] for m in months], axis=0))
            for s in stores for w, months in ((0, before), (1, after))]  # fmt: skip
    table = np.array(rows, dtype=float)
    return DidCells(*(table[:, i] for i in range(6)))


def _verdict(sums, treated, stores, before, after):
    others = [s for s in stores if s != treated]
    estimate = did(_windows(sums, treated, stores, before, after)).estimate
    placebos = [did(_windows(sums, p, others, before, after)).estimate for p in others]
    return estimate, placebo_verdict(estimate, np.array(placebos))


def test_the_placebos_credit_a_real_effect_and_not_a_store_that_recovers_by_itself():
    stores = list(range(30))
    # A store's month-to-month shocks (sd 15) blur one store's estimate by about 20
    # points: a real effect worth crediting is several times that.
    real, _shock = _store_months(3, effect=80.0)
    estimate, verdict = _verdict(real, 0, stores, before=[2, 3, 4], after=[6, 7])
    assert verdict.credited and estimate == pytest.approx(80, abs=40)
    # No effect anywhere; the store picked is the one whose month 5 was the worst.
    calm, shock = _store_months(5)
    picked = int(np.argmin(shock[:, 5]))
    naive, _ = _verdict(calm, picked, stores, before=[5], after=[6, 7])
    honest, verdict = _verdict(calm, picked, stores, before=[2, 3, 4], after=[6, 7])
    assert not verdict.credited  # the before window ends before the month that triggered
    assert naive > honest + 15  # measured from the bad month, it "recovers" by itself
