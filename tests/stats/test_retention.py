"""BG/NBD and MBG/CNBD-k: the published CDNOW fit, the same figures as the lifetimes
package, and known parameters recovered from seeded simulations of regular visits."""

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from manyi.stats.retention import (
    MBGCNBD,
    VisitSummary,
    _gradient,
    by_frequency,
    expected_visits,
    fit,
    log_likelihood,
    p_alive,
    visit_summary,
)

lifetimes = pytest.importorskip("lifetimes")
from lifetimes.datasets import load_cdnow_summary  # noqa: E402

CDNOW_SAMPLE = Path(lifetimes.__file__).parent / "datasets" / "CDNOW_sample.txt"


@pytest.fixture(scope="module")
def cdnow():
    """The 2,357 CDNOW customers over 39 weeks (Fader, Hardie & Lee 2005)."""
    data = load_cdnow_summary(index_col=[0])
    summary = VisitSummary(
        x=data["frequency"].to_numpy(float),
        t_x=data["recency"].to_numpy(float),
        T=data["T"].to_numpy(float),
        litt=np.zeros(len(data)),
    )
    return data, summary


def test_bgnbd_gives_the_published_cdnow_estimates(cdnow):
    # FHL (2005), section 5: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
    found = fit(cdnow[1])
    assert (round(found.r, 3), round(found.alpha, 3)) == (0.243, 4.414)
    assert (round(found.a, 3), round(found.b, 3)) == (0.793, 2.426)
    assert found.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    assert (found.customers, found.repeat_visits, found.k) == (2357, 2457, 1)


def test_bgnbd_agrees_with_lifetimes_on_alive_and_expected_visits(cdnow):
    data, summary = cdnow
    args = data["frequency"], data["recency"], data["T"]
    theirs = lifetimes.BetaGeoFitter().fit(*args)
    found = fit(summary)
    mine = [found.r, found.alpha, found.a, found.b]
    assert mine == pytest.approx(list(theirs.params_), rel=1e-4)
    alive = np.asarray(theirs.conditional_probability_alive(*args))
    assert p_alive(found, summary) == pytest.approx(alive, abs=1e-5)
    expected = np.asarray(theirs.conditional_expected_number_of_purchases_up_to_time(39, *args))
    assert expected_visits(found, summary, 39) == pytest.approx(expected, abs=1e-5)


def test_mbgnbd_is_lifetimes_modified_bgnbd(cdnow):
    # With k = 1 the MBG/CNBD-k model is MBG/NBD (Batislam, Denizel & Filiztekin 2007).
    data, summary = cdnow
    args = data["frequency"], data["recency"], data["T"]
    theirs = lifetimes.ModifiedBetaGeoFitter().fit(*args)
    found = fit(summary, model=MBGCNBD, k=1)
    assert [found.r, found.alpha, found.a, found.b] == pytest.approx(list(theirs.params_), rel=1e-4)
    alive = np.asarray(theirs.conditional_probability_alive(*args))
    assert p_alive(found, summary) == pytest.approx(alive, abs=1e-5)
    expected = np.asarray(theirs.conditional_expected_number_of_purchases_up_to_time(39, *args))
    assert expected_visits(found, summary, 39) == pytest.approx(expected, abs=1e-5)


def test_the_raw_cdnow_visits_summarise_as_the_published_summary(cdnow):
    raw = np.loadtxt(CDNOW_SAMPLE, usecols=(1, 2), dtype=np.int64)
    from datetime import date

    ordinal = np.array([date(d // 10000, d // 100 % 100, d % 100).toordinal() for d in raw[:, 1]])
    codes, summary = visit_summary(
        raw[:, 0] - 1, ordinal, until=date(1997, 9, 30).toordinal(), period=7
    )
    data = cdnow[0]
    assert len(codes) == len(data) == 2357
    assert summary.x == pytest.approx(data["frequency"].to_numpy(float))
    assert summary.t_x == pytest.approx(data["recency"].to_numpy(float), abs=0.006)
    assert pytest.approx(data["T"].to_numpy(float), abs=0.006) == summary.T


def test_a_summary_counts_a_day_once_leaves_out_later_visits_and_keeps_fractions():
    #               customer 0: days 0, 0, 10, 31 (and 50 after the window); customer 1: day 3
    customer = np.array([0, 0, 0, 0, 0, 1])
    day = np.array([0, 0, 10, 31, 50, 3])
    codes, summary = visit_summary(customer, day, until=42, period=7)
    assert list(codes) == [0, 1]
    assert list(summary.x) == [2, 0]
    assert summary.t_x == pytest.approx([31 / 7, 0])
    assert pytest.approx([6, 39 / 7]) == summary.T
    assert summary.litt == pytest.approx([np.log(10 / 7) + np.log(21 / 7), 0])


@pytest.mark.parametrize(("k", "d"), [(1, 0), (2, 1), (3, 1), (3, 0)])
def test_the_gradient_is_the_slope_of_the_likelihood(k, d):
    rng = np.random.default_rng(3)
    x = rng.integers(0, 6, 200).astype(float)
    T = rng.uniform(20, 60, 200)
    t_x = np.where(x > 0, T * rng.uniform(0.2, 1, 200), 0)
    summary = VisitSummary(x, t_x, T, np.log(rng.uniform(2, 9, 200)) * x)
    theta = np.array([1.7, 9.0, 0.8, 2.5])
    numeric = approx_fprime(theta, lambda t: log_likelihood(t, k, d, summary).sum(), 1e-7)
    assert _gradient(theta, k, d, summary) == pytest.approx(numeric, rel=1e-4)


def simulate(n, *, k, r, alpha, a, b, T, horizon, seed, most=200):
    """Seeded MBG/CNBD-k visit histories: all start at 0, observed to ``T``; and each
    customer's visits in the hold-out (T, T + horizon]."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(r, 1 / alpha, n)  # of the Erlang stages
    dropout = rng.beta(a, b, n)
    # Repeat visits a customer makes before dropping out (may drop right after the first)
    allowed = rng.geometric(dropout) - 1
    gaps = rng.gamma(k, 1 / rate[:, None], (n, most))
    times = np.cumsum(gaps, axis=1)
    made = np.arange(1, most + 1)[None, :] <= allowed[:, None]
    seen = made & (times <= T)
    x = seen.sum(axis=1).astype(float)
    t_x = np.where(x > 0, np.where(seen, times, 0).max(axis=1), 0)
    logs = np.log(np.where(seen, gaps, 1.0)).sum(axis=1)
    later = (made & (times > T) & (times <= T + horizon)).sum(axis=1)
    return VisitSummary(x, t_x, np.full(n, float(T)), logs), later


@pytest.mark.parametrize("k", [2, 3])
def test_regular_visits_give_back_their_k_and_parameters(k):
    truth = {"r": 3.0, "alpha": 12.0, "a": 1.5, "b": 6.0}
    summary, _later = simulate(20000, k=k, T=104, horizon=52, seed=k, **truth)
    found = fit(summary, model=MBGCNBD)
    assert found.k == k  # chosen by likelihood among 1…6
    estimated = {"r": found.r, "alpha": found.alpha, "a": found.a, "b": found.b}
    for name, value in truth.items():
        assert estimated[name] == pytest.approx(value, rel=0.15), name
    memoryless = fit(summary)
    assert found.aic < memoryless.aic  # regular visits: MBG/CNBD-k beats BG/NBD


def test_expected_visits_meet_the_simulated_hold_out_by_frequency_group():
    summary, later = simulate(
        20000, k=2, r=3.0, alpha=12.0, a=1.5, b=6.0, T=104, horizon=52, seed=11
    )
    found = fit(summary, model=MBGCNBD, k=2)
    predicted = expected_visits(found, summary, 52)
    assert predicted.sum() == pytest.approx(later.sum(), rel=0.02)
    for low, high in [(0, 1), (1, 4), (4, 8), (8, 1000)]:
        group = (summary.x >= low) & (summary.x < high)
        assert predicted[group].sum() == pytest.approx(later[group].sum(), rel=0.05), low


def test_the_regular_series_at_k_1_is_the_closed_form(cdnow):
    from manyi.stats.retention import _alive_visits_memoryless, _alive_visits_regular

    summary = cdnow[1]
    theta = np.array([0.8, 5.0, 1.4, 3.0])
    for d in (0, 1):
        closed = _alive_visits_memoryless(theta, d, summary, 39)
        assert _alive_visits_regular(theta, 1, d, summary, 39) == pytest.approx(closed, rel=1e-6)


def test_too_little_to_fit_is_refused_with_a_reason():
    nobody_back = VisitSummary(np.zeros(3), np.zeros(3), np.full(3, 10.0), np.zeros(3))
    with pytest.raises(ValueError, match="nobody came back"):
        fit(nobody_back)
    with pytest.raises(ValueError, match="bgnbd or mbgcnbd"):
        fit(nobody_back, model="pareto")
    after_the_end = VisitSummary(np.array([1.0, 2]), np.array([5.0, 12]), np.array([8.0, 10]),
                                 np.zeros(2))  # fmt: skip
    with pytest.raises(ValueError, match="within the window"):
        fit(after_the_end)


def test_a_customer_first_seen_on_the_last_day_counts(cdnow):
    # T = 0: a first visit on the day the window ends says nothing yet, and harms nothing.
    summary = cdnow[1]
    newcomer = VisitSummary(*(np.append(column, 0.0) for column in
                              (summary.x, summary.t_x, summary.T, summary.litt)))  # fmt: skip
    found = fit(newcomer)
    assert found.customers == 2358 and round(found.r, 3) == 0.243


def test_the_hold_out_check_groups_customers_by_their_repeat_visits():
    x = np.array([0, 0, 1, 2, 7, 9.0])
    groups = by_frequency(x, np.array([0.1, 0.3, 1, 2, 5, 7]), np.array([0, 1, 1, 3, 4, 6]),
                          top=6)  # fmt: skip
    assert [(g.repeat_visits, g.customers) for g in groups] == [(0, 2), (1, 1), (2, 1), (6, 2)]
    assert groups[0].predicted == pytest.approx(0.2) and groups[0].actual == 0.5
    assert groups[-1].predicted == 6 and groups[-1].actual == 5
