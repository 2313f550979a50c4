"""Fair figures for staff with few answers: a one-way random-effects model fitted by
REML from per-staff sums, its best linear unbiased predictions (BLUP), and the chance
of each member being in the top fifth.

**Model.** Customer j of staff member i in store s(i) rates

    y_ij = β_s(i) + u_i + e_ij,   u_i ~ N(0, τ²),   e_ij ~ N(0, σ²),

with a fixed mean per store and a random staff effect. Everything the likelihood needs
is each member's n_i, ȳ_i and within sum of squares W_i = Σ_j (y_ij − ȳ_i)², which the
staff rollups hold (n, Σy, Σy²). With γ = τ²/σ² and m_i = n_i / (1 + n_i γ):

- GLS store means β̂_s = Σ_{i∈s} m_i ȳ_i / Σ_{i∈s} m_i;
- Q(γ) = Σ_i W_i + Σ_i m_i (ȳ_i − β̂_s(i))², and σ̂²(γ) = Q / (N − p), p the stores;
- the REML log-likelihood profiled over σ² (Harville 1977, *JASA* 72:320; Searle,
  Casella & McCulloch, *Variance Components*, 1992, §6.6), up to a constant,

      ℓ(γ) = −½ [ (N − p) log σ̂² + Σ_i log(1 + n_i γ) + Σ_s log Σ_{i∈s} m_i ],

  maximised over γ ≥ 0;
- BLUP û_i = λ_i (ȳ_i − β̂_s(i)), λ_i = n_i τ² / (σ² + n_i τ²), its conditional
  variance τ² σ² / (σ² + n_i τ²) (what statsmodels' ``MixedLM`` reports as
  ``random_effects`` and ``random_effects_cov``), and the shrunken figure
  μ̂_i = β̂_s(i) + û_i;
- the prediction error variance of μ̂_i, which adds the uncertainty of the store's own
  mean: Var(μ̂_i − μ_i) = τ² σ² / (σ² + n_i τ²) + (1 − λ_i)² / W_s with
  W_s = Σ_{j∈s} 1 / (τ² + σ² / n_j) (the two parts are uncorrelated; C. R. Henderson,
  *Biometrics* 31, 1975, the inverse of the mixed-model equations). The interval of
  the shrunken figure is μ̂_i ± 1.96 √Var.

A member with few answers is pulled toward their store's mean in proportion to how
little their own answers can tell; one with many keeps nearly their own mean.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class StaffSums:
    """Per member: their store's index (0..p−1), answers, Σy and Σy²."""

    store: np.ndarray
    n: np.ndarray
    sum_y: np.ndarray
    sum_yy: np.ndarray


@dataclass(frozen=True)
class Shrinkage:
    tau2: float  # variance of staff effects
    sigma2: float  # variance of one answer around its staff member's mean
    store_means: np.ndarray  # β̂ per store
    raw: np.ndarray  # ȳ_i
    effect: np.ndarray  # BLUP û_i
    effect_var: np.ndarray  # conditional variance of u_i given the answers
    shrunk: np.ndarray  # β̂_s(i) + û_i
    shrunk_var: np.ndarray  # its prediction error variance, the store mean's included
    low: np.ndarray  # 95 % interval of the shrunken figure
    high: np.ndarray


def _parts(sums: StaffSums) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, int, int]:
    n = np.asarray(sums.n, dtype=float)
    if np.any(n <= 0):
        raise ValueError("every staff member needs at least one answer")
    mean = np.asarray(sums.sum_y, dtype=float) / n
    within = np.maximum(np.asarray(sums.sum_yy, dtype=float) - n * mean**2, 0.0).sum()
    store = np.asarray(sums.store, dtype=int)
    return n, mean, store, float(within), int(n.sum()), int(store.max()) + 1


def _store_means(store: np.ndarray, m: np.ndarray, mean: np.ndarray, p: int) -> np.ndarray:
    weight = np.bincount(store, weights=m, minlength=p)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.bincount(store, weights=m * mean, minlength=p) / weight


def _profile(gamma: float, n, mean, store, within, total, p) -> tuple[float, float, np.ndarray]:
    """−2 × the profiled REML log-likelihood (less its constant), σ̂² and β̂ at γ."""
    m = n / (1.0 + n * gamma)
    beta = _store_means(store, m, mean, p)
    q = within + float(np.sum(m * (mean - beta[store]) ** 2))
    sigma2 = q / (total - p)
    weight = np.bincount(store, weights=m, minlength=p)
    value = (total - p) * np.log(sigma2) + np.sum(np.log1p(n * gamma)) + np.sum(np.log(weight))
    return float(value), sigma2, beta


def shrink(sums: StaffSums) -> Shrinkage:
    """Fit the model by REML and predict each member's effect (module docstring).

    Needs more answers than stores and some spread within members; every store index
    from 0 to p − 1 must have a member.
    """
    n, mean, store, within, total, p = _parts(sums)
    if np.bincount(store, minlength=p).min() == 0:
        raise ValueError("a store index has no staff member")
    if total <= p or within <= 0:
        raise ValueError("too few answers to tell staff apart from noise")

    def objective(log_gamma: float) -> float:
        return _profile(float(np.exp(log_gamma)), n, mean, store, within, total, p)[0]

    found = optimize.minimize_scalar(
        objective, bounds=(np.log(1e-10), np.log(1e4)), method="bounded",
        options={"xatol": 1e-12, "maxiter": 500},
    )  # fmt: skip
    gamma = float(np.exp(found.x))
    if _profile(0.0, n, mean, store, within, total, p)[0] <= found.fun:
        gamma = 0.0  # the likelihood peaks on the boundary: no spread between staff
    _value, sigma2, beta = _profile(gamma, n, mean, store, within, total, p)
    tau2 = gamma * sigma2
    share = n * tau2 / (sigma2 + n * tau2)
    effect = share * (mean - beta[store])
    effect_var = tau2 * sigma2 / (sigma2 + n * tau2)
    shrunk = beta[store] + effect
    weight = np.bincount(store, weights=1.0 / (tau2 + sigma2 / n), minlength=p)
    shrunk_var = effect_var + (1.0 - share) ** 2 / weight[store]
    half = Z95 * np.sqrt(shrunk_var)
    return Shrinkage(
        tau2,
        sigma2,
        beta,
        mean,
        effect,
        effect_var,
        shrunk,
        shrunk_var,
        shrunk - half,
        shrunk + half,
    )


def top_share(
    effect: np.ndarray, effect_var: np.ndarray, *, share: float = 0.2, draws: int = 4000,
    seed: int = 0, score: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:  # fmt: skip
    """The probability of each member being among the best ``share`` (the top fifth:
    ⌈share × k⌉ places of k), by a seeded Monte Carlo over their effects drawn from
    N(û_i, Var(u_i | answers)) independently. ``score`` maps the drawn effects
    (draws × k) to what is ranked — a scorecard's total, of which the effect is part."""
    effect = np.asarray(effect, dtype=float)
    k = effect.size
    if k == 0:
        return np.zeros(0)
    places = max(1, int(np.ceil(share * k - 1e-9)))
    rng = np.random.default_rng(seed)
    drawn = effect + rng.standard_normal((draws, k)) * np.sqrt(np.asarray(effect_var, float))
    if score is not None:
        drawn = score(drawn)
    # Best first in each draw; members drawn equal (no spread at all) in random order.
    order = np.lexsort((rng.random((draws, k)), -drawn), axis=-1)
    top = np.zeros(k)
    np.add.at(top, order[:, :places].ravel(), 1.0)
    return top / draws
