"""Did an action move its figure? The difference in differences from additive cells, and
the placebo check that keeps an action from being credited with a store's own recovery.

**Difference in differences.** With ``treated`` T and ``after`` A in {0, 1}, the OLS fit of
``y ~ 1 + T + A + T·A`` is saturated in the four (T, A) groups, so its interaction is the
contrast of their means (J. D. Angrist, J.-S. Pischke, *Mostly Harmless Econometrics*,
2009, §5.2):

    δ = (ȳ₁₁ − ȳ₁₀) − (ȳ₀₁ − ȳ₀₀) = Σ_g c_g ȳ_g,   c = (+1, −1, −1, +1)

Everything follows from each group's n, Σy and Σy² — a report never reads the answers:

- classical: s² = SSR / (n − 4), Var δ = s² Σ_g 1/n_g, with SSR = Σ_g (Σy² − n ȳ²);
- HC1 (MacKinnon & White 1985): Var δ = n/(n − 4) · Σ_g SSR_g / n_g²;
- CR1, clustered (Cameron & Miller 2015, "A practitioner's guide to cluster-robust
  inference"): each cluster's score u_c = Σ_g c_g (Σy_{c,g} − n_{c,g} ȳ_g) / n_g, and
  Var δ = G/(G − 1) · (n − 1)/(n − 4) · Σ_c u_c² — which needs the cells split by cluster.

The interval and p use the classical error with t(n − 4), as the command line promises.

**Placebo check.** One store's month-to-month shocks make the answer-level errors far too
small; so the same estimate is made for every comparable store that took no action (a
placebo), and an action is credited only when its estimate lies outside the placebos'
5–95 % range (A. Abadie, A. Diamond, J. Hainmueller 2010, the in-space placebo idea).
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

SIGNS = {(1, 1): 1.0, (1, 0): -1.0, (0, 1): -1.0, (0, 0): 1.0}  # c_g by (treated, after)


@dataclass(frozen=True)
class DidCells:
    """Sums per (cluster, treated, after): how many, Σy and Σy². ``cluster`` may be all
    zero when no clustering is wanted."""

    cluster: np.ndarray
    treated: np.ndarray
    after: np.ndarray
    n: np.ndarray
    sum_y: np.ndarray
    sum_yy: np.ndarray


@dataclass(frozen=True)
class DidResult:
    estimate: float
    se: float
    se_robust: float
    se_cluster: float | None
    ci_low: float
    ci_high: float
    p: float
    n: int
    clusters: int | None


def cells_of(
    y: np.ndarray, treated: np.ndarray, after: np.ndarray, cluster: np.ndarray | None = None
) -> DidCells:
    """Fold raw outcomes into the cells ``did`` reads."""
    y = np.asarray(y, dtype=float)
    treated = np.asarray(treated, dtype=np.int64)
    after = np.asarray(after, dtype=np.int64)
    if cluster is None:
        cluster_codes = np.zeros(len(y), np.int64)
    else:
        _names, cluster_codes = np.unique(np.asarray(cluster), return_inverse=True)
        cluster_codes = cluster_codes.ravel()
    key = (cluster_codes * 2 + treated) * 2 + after
    keys, index = np.unique(key, return_inverse=True)
    index = index.ravel()
    return DidCells(
        cluster=keys // 4,
        treated=(keys // 2) % 2,
        after=keys % 2,
        n=np.bincount(index).astype(float),
        sum_y=np.bincount(index, weights=y),
        sum_yy=np.bincount(index, weights=y * y),
    )


def did(cells: DidCells, *, clustered: bool = False) -> DidResult:
    """The difference in differences of the cells, with its classical, HC1 and (when
    ``clustered``) CR1 standard errors; refuses a design with an empty group."""
    groups = {}
    for key in SIGNS:
        mine = (cells.treated == key[0]) & (cells.after == key[1])
        n = float(cells.n[mine].sum())
        if n == 0:
            raise ValueError("each of treated/untreated × before/after needs observations")
        sy, syy = float(cells.sum_y[mine].sum()), float(cells.sum_yy[mine].sum())
        mean = sy / n
        groups[key] = (n, mean, max(syy - n * mean * mean, 0.0))
    n = sum(g[0] for g in groups.values())
    if n <= 4:
        raise ValueError("a difference in differences needs more than four observations")
    estimate = sum(SIGNS[key] * groups[key][1] for key in SIGNS)
    ssr = sum(g[2] for g in groups.values())
    s2 = ssr / (n - 4)
    se = float(np.sqrt(s2 * sum(1 / g[0] for g in groups.values())))
    se_robust = float(np.sqrt(n / (n - 4) * sum(g[2] / g[0] ** 2 for g in groups.values())))
    se_cluster, clusters = None, None
    if clustered:
        se_cluster, clusters = _cluster_se(cells, groups, n)
    t = stats.t.ppf(0.975, n - 4)
    p = float(2 * stats.t.sf(abs(estimate) / se, n - 4)) if se > 0 else float("nan")
    return DidResult(
        estimate=float(estimate), se=se, se_robust=se_robust, se_cluster=se_cluster,
        ci_low=float(estimate - t * se), ci_high=float(estimate + t * se), p=p, n=int(n),
        clusters=clusters,
    )  # fmt: skip


def _cluster_se(cells: DidCells, groups: dict, n: float) -> tuple[float, int]:
    ids, which = np.unique(cells.cluster, return_inverse=True)
    which = which.ravel()
    if len(ids) < 2:
        raise ValueError("clustered errors need two clusters at least")
    score = np.zeros(len(ids))
    for i in range(len(cells.n)):
        key = (int(cells.treated[i]), int(cells.after[i]))
        group_n, mean, _ssr = groups[key]
        score[which[i]] += SIGNS[key] * (cells.sum_y[i] - cells.n[i] * mean) / group_n
    g = len(ids)
    variance = g / (g - 1) * (n - 1) / (n - 4) * float(np.sum(score**2))
    return float(np.sqrt(variance)), g


def clustered_inference(result: DidResult) -> tuple[float, float, float]:
    """The 95 % interval and the two-sided p-value of a clustered estimate from its CR1
    error and Student's t with G − 1 degrees of freedom (G clusters), as Stata and
    statsmodels (``cov_type="cluster"``, ``use_t=True``) give them: with few units the
    normal approximation would claim too much."""
    if result.se_cluster is None or result.clusters is None:
        raise ValueError("the estimate was not clustered")
    df = result.clusters - 1
    t = stats.t.ppf(0.975, df)
    half = t * result.se_cluster
    p = float(2 * stats.t.sf(abs(result.estimate) / result.se_cluster, df))
    return float(result.estimate - half), float(result.estimate + half), p


# With N placebos the smallest one-sided rank p-value an estimate can reach is 1/(N + 1):
# nineteen make 5 % reachable. With fewer, a placebo range cannot judge at that level.
MIN_PLACEBOS = 19


@dataclass(frozen=True)
class PlaceboVerdict:
    low: float  # the placebos' 5th percentile
    high: float  # and 95th
    placebos: int
    p: float  # the rank p-value: the share of placebos at least as far out, counted in
    credited: bool  # the estimate lies outside [low, high] on the side it claims


def placebo_verdict(
    estimate: float, placebos: np.ndarray, *, wanted: float = 1.0
) -> PlaceboVerdict:
    """Whether an estimate stands out from the same estimate for comparable units that
    took no action (Abadie, Diamond & Hainmueller 2010's placebo, or permutation,
    inference): beyond the placebos' 95th percentile for an action meant to raise the
    figure (``wanted`` > 0), below their 5th for one meant to lower it; with the rank
    p-value p = (1 + #{placebos at least as far out}) / (N + 1). Needs ``MIN_PLACEBOS``
    placebos: with fewer, no estimate could reach 5 %."""
    placebos = np.asarray(placebos, dtype=float)
    placebos = placebos[~np.isnan(placebos)]
    if len(placebos) < MIN_PLACEBOS:
        raise ValueError(
            f"a placebo check needs {MIN_PLACEBOS} comparable units at least, not {len(placebos)}"
        )
    low, high = np.percentile(placebos, [5, 95])
    credited = estimate > high if wanted > 0 else estimate < low
    as_far = np.sum(placebos >= estimate) if wanted > 0 else np.sum(placebos <= estimate)
    p = (1 + int(as_far)) / (len(placebos) + 1)
    return PlaceboVerdict(float(low), float(high), len(placebos), p, bool(credited))
