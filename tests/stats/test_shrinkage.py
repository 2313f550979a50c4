"""Staff shrinkage checked against statsmodels' ``MixedLM(reml=True)`` fitted on the raw
answers (``y ~ C(store)``, a random intercept per staff member), and a seeded
simulation showing that shrunken effects rank staff closer to their true skill than
raw means do."""

import numpy as np
import pytest
from scipy import stats

from manyi.stats.shrinkage import StaffSums, shrink, top_share

sm = pytest.importorskip("statsmodels.api")


def _network(seed: int, *, stores: int = 6, per_store: int = 5, tau: float = 30.0,
             sigma: float = 80.0):  # fmt: skip
    """Answers of advisors in stores: some with a handful of answers, some with many."""
    rng = np.random.default_rng(seed)
    store_of = np.repeat(np.arange(stores), per_store)
    skill = rng.normal(0, tau, store_of.size)
    answers = rng.choice([3, 5, 8, 12, 25, 40, 80], store_of.size)
    level = rng.normal(820, 30, stores)
    rows = [
        (store_of[i], i, level[store_of[i]] + skill[i] + rng.normal(0, sigma))
        for i in range(store_of.size)
        for _ in range(answers[i])
    ]
    store, staff, y = (np.array(column) for column in zip(*rows, strict=True))
    return store, staff, y, skill


def _sums(store, staff, y) -> StaffSums:
    members = np.unique(staff)
    return StaffSums(
        store=np.array([store[staff == m][0] for m in members]),
        n=np.array([np.sum(staff == m) for m in members]),
        sum_y=np.array([y[staff == m].sum() for m in members]),
        sum_yy=np.array([(y[staff == m] ** 2).sum() for m in members]),
    )


@pytest.fixture(scope="module")
def fitted():
    store, staff, y, _skill = _network(3)
    exog = np.eye(store.max() + 1)[store]
    reference = sm.MixedLM(y, exog, groups=staff).fit(reml=True, method="bfgs", gtol=1e-10)
    return shrink(_sums(store, staff, y)), reference


def test_the_variances_are_those_of_reml(fitted):
    mine, reference = fitted
    assert mine.sigma2 == pytest.approx(reference.scale, rel=1e-6)
    assert mine.tau2 == pytest.approx(float(np.asarray(reference.cov_re)[0, 0]), rel=1e-5)


def test_store_means_are_the_fixed_effects(fitted):
    mine, reference = fitted
    np.testing.assert_allclose(mine.store_means, reference.fe_params, atol=1e-4)


def test_each_effect_and_its_variance_are_the_blup(fitted):
    mine, reference = fitted
    effects = reference.random_effects
    variances = reference.random_effects_cov
    for i, group in enumerate(sorted(effects)):
        assert mine.effect[i] == pytest.approx(float(effects[group].iloc[0]), abs=1e-4)
        assert mine.effect_var[i] == pytest.approx(float(variances[group].iloc[0, 0]), abs=1e-4)


def test_the_interval_counts_the_store_means_own_uncertainty():
    """The prediction error variance of β̂_s + û_i against Henderson's mixed-model
    equations solved directly: C = [[X'X, X'Z], [Z'X, Z'Z + (σ²/τ²) I]], PEV = σ² a'C⁻¹a
    with a picking the store's mean and the member's effect."""
    store, staff, y, _skill = _network(3)
    sums = _sums(store, staff, y)
    fit = shrink(sums)
    members = np.unique(staff)
    X = np.eye(store.max() + 1)[store]
    Z = (staff[:, None] == members[None, :]).astype(float)
    C = np.block([[X.T @ X, X.T @ Z],
                  [Z.T @ X, Z.T @ Z + fit.sigma2 / fit.tau2 * np.eye(members.size)]])  # fmt: skip
    inverse = np.linalg.inv(C)
    for i in range(members.size):
        a = np.zeros(C.shape[0])
        a[sums.store[i]] = 1.0
        a[X.shape[1] + i] = 1.0
        assert fit.shrunk_var[i] == pytest.approx(fit.sigma2 * a @ inverse @ a, rel=1e-9)
    assert np.all(fit.shrunk_var > fit.effect_var)


def test_few_answers_are_pulled_toward_the_store_and_many_are_not(fitted):
    mine, _reference = fitted
    n = _sums(*_network(3)[:3]).n
    pull = np.abs(mine.shrunk - mine.raw)
    apart = np.abs(mine.raw - mine.store_means[_sums(*_network(3)[:3]).store])
    share = np.divide(pull, apart, out=np.zeros_like(pull), where=apart > 0)
    assert share[n == 3].mean() > 0.5 > 0.2 > share[n == 80].mean()
    assert np.all(mine.low < mine.shrunk) and np.all(mine.shrunk < mine.high)


def test_no_spread_between_staff_gives_every_effect_zero():
    rng = np.random.default_rng(5)
    staff = np.repeat(np.arange(12), 30)
    store = staff // 4
    y = 800 + rng.normal(0, 1, staff.size) * 0 + rng.normal(0, 50, staff.size)
    y -= np.array([y[staff == m].mean() for m in range(12)])[staff]  # identical staff means
    y += 800
    fit = shrink(_sums(store, staff, y))
    assert fit.tau2 == 0
    np.testing.assert_allclose(fit.effect, 0, atol=1e-9)


def test_shrinkage_ranks_closer_to_true_skill_than_raw_means():
    """Over 200 seeded networks the shrunken effects rank the advisors closer to their
    true skill (Spearman) than their raw distance from the store's mean does."""
    better, gains = 0, []
    for seed in range(200):
        store, staff, y, skill = _network(1000 + seed)
        sums = _sums(store, staff, y)
        fit = shrink(sums)
        raw = sums.sum_y / sums.n - fit.store_means[sums.store]
        truth = skill - np.array([skill[sums.store == s].mean() for s in sums.store])
        shrunk_rho = stats.spearmanr(fit.effect, truth).statistic
        raw_rho = stats.spearmanr(raw, truth).statistic
        gains.append(shrunk_rho - raw_rho)
        better += shrunk_rho > raw_rho
    assert better > 120
    assert stats.ttest_1samp(gains, 0, alternative="greater").pvalue < 1e-6


def test_top_fifth_chances_sum_to_its_places_and_follow_the_effects():
    effect = np.array([30.0, 10.0, 0.0, -5.0, -20.0, 25.0, 2.0, 1.0, -1.0, 5.0])
    chance = top_share(effect, np.full(10, 25.0), seed=7)
    assert chance.sum() == pytest.approx(2.0)  # ⌈0.2 × 10⌉ places in every draw
    assert chance[0] > chance[5] > chance[1] > chance[4]
    np.testing.assert_array_equal(chance, top_share(effect, np.full(10, 25.0), seed=7))


def test_a_sure_leader_is_certain_and_an_uncertain_one_is_not():
    chance = top_share(np.array([100.0, 0, 0, 0, 0]), np.array([1.0, 1, 1, 1, 1]), seed=1)
    assert chance[0] == 1.0
    unsure = top_share(np.array([5.0, 0, 0, 0, 0]), np.array([400.0, 1, 1, 1, 1]), seed=1)
    assert 0.3 < unsure[0] < 0.8


def test_a_member_without_answers_is_refused():
    with pytest.raises(ValueError):
        shrink(StaffSums(np.array([0, 0]), np.array([0, 4]), np.zeros(2), np.zeros(2)))
