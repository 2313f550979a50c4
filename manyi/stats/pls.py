"""PLS path modelling (PLS-PM) on a correlation matrix, with bootstrap intervals.

Lohmöller's algorithm works on the covariance of standardised indicators alone
(J.-B. Lohmöller, *Latent Variable Path Modeling with Partial Least Squares*,
Physica, 1989; M. Tenenhaus, V. Esposito Vinzi, Y.-M. Chatelin and C. Lauro, "PLS
path modeling", *Computational Statistics & Data Analysis* 48 (2005) 159–205), so a
model runs on rollups (Σx, Σxxᵀ) as well as on raw answers:

1. outer weights ``wⱼ`` start at 1 and are scaled so that ``Var(Yⱼ) = wⱼᵀ Sⱼⱼ wⱼ = 1``;
2. the constructs' correlations are ``C = Wᵀ S W``; inner weights ``eᵢⱼ`` link
   adjacent constructs — centroid: ``sign(cᵢⱼ)``; factorial: ``cᵢⱼ``; path: for a
   predecessor, its coefficient in the regression of ``Yⱼ`` on all predecessors, for
   a follower, ``cᵢⱼ``;
3. the inner estimate ``Zⱼ = Σᵢ eᵢⱼ Yᵢ`` has ``Cov(X, Z) = S W E``; mode A takes
   ``wⱼ ∝ Cov(Xⱼ, Zⱼ)``, mode B ``wⱼ ∝ Sⱼⱼ⁻¹ Cov(Xⱼ, Zⱼ)``; rescale; repeat to
   convergence.

Then path coefficients are the OLS coefficients of each endogenous construct on its
predecessors (``β = C_PP⁻¹ C_Pj``, ``R² = C_jP β``) and loadings are the correlations
of indicators with their construct (``Sₕ,ⱼ wⱼ``). The ECSI model (image →
expectation → quality → value → satisfaction → loyalty) is one such model.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SCHEMES = ("path", "centroid", "factorial")


class ModelError(ValueError):
    """The model cannot be estimated: empty construct, cycle, unknown name, singular."""


@dataclass(frozen=True)
class Construct:
    name: str
    indicators: tuple[str, ...]
    mode: str = "A"


@dataclass(frozen=True)
class PlsResult:
    n: int
    paths: dict[tuple[str, str], float]
    r2: dict[str, float]
    loadings: dict[str, dict[str, float]]
    weights: dict[str, dict[str, float]]
    iterations: int


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


def check_model(constructs: Sequence[Construct], paths: Sequence[tuple[str, str]]) -> list[str]:
    """The constructs in a causal order; ``ModelError`` for a model that cannot be fitted."""
    names = [c.name for c in constructs]
    if len(set(names)) != len(names):
        raise ModelError("a construct is named twice")
    for construct in constructs:
        if not construct.indicators:
            raise ModelError(f"construct {construct.name!r} has no indicators")
        if construct.mode not in ("A", "B"):
            raise ModelError(f"construct {construct.name!r}: mode is A or B")
    seen = [i for c in constructs for i in c.indicators]
    if len(set(seen)) != len(seen):
        raise ModelError("an indicator belongs to two constructs")
    for source, target in paths:
        for name in (source, target):
            if name not in names:
                raise ModelError(f"path {source} -> {target}: unknown construct {name!r}")
        if source == target:
            raise ModelError(f"path {source} -> {target} points to itself")
    order, remaining = [], set(names)
    while remaining:
        free = [
            n
            for n in names
            if n in remaining and not any(s in remaining and t == n for s, t in paths)
        ]
        if not free:
            raise ModelError("the paths contain a cycle")
        order.extend(free)
        remaining -= set(free)
    return order


def _inner_weights(c: np.ndarray, adjacency: np.ndarray, scheme: str) -> np.ndarray:
    """E with ``E[i, j]`` the weight of construct i in the inner estimate of j."""
    linked = adjacency + adjacency.T
    if scheme == "centroid":
        return np.sign(c) * linked
    if scheme == "factorial":
        return c * linked
    e = np.zeros_like(c)
    for j in range(c.shape[0]):
        predecessors = np.flatnonzero(adjacency[:, j])
        followers = np.flatnonzero(adjacency[j, :])
        if predecessors.size:
            e[predecessors, j] = np.linalg.solve(
                c[np.ix_(predecessors, predecessors)], c[predecessors, j]
            )
        e[followers, j] = c[followers, j]
    return e


def pls_from_correlation(
    correlation: np.ndarray,
    indicators: Sequence[str],
    constructs: Sequence[Construct],
    paths: Sequence[tuple[str, str]],
    n: int,
    *,
    scheme: str = "path",
    tolerance: float = 1e-12,
    max_iterations: int = 500,
) -> PlsResult:
    """Fit a PLS path model to the correlation matrix of its ``indicators``."""
    if scheme not in SCHEMES:
        raise ModelError(f"scheme is one of {', '.join(SCHEMES)}")
    check_model(constructs, paths)
    s = np.asarray(correlation, dtype=float)
    index = {name: i for i, name in enumerate(indicators)}
    missing = [i for c in constructs for i in c.indicators if i not in index]
    if missing:
        raise ModelError(f"unknown indicator {missing[0]!r}")
    blocks = [np.array([index[i] for i in c.indicators]) for c in constructs]
    position = {c.name: j for j, c in enumerate(constructs)}
    k = len(constructs)
    adjacency = np.zeros((k, k))
    for source, target in paths:
        adjacency[position[source], position[target]] = 1
    weights = [np.ones(len(block)) for block in blocks]

    def scaled(w: np.ndarray, block: np.ndarray) -> np.ndarray:
        variance = float(w @ s[np.ix_(block, block)] @ w)
        if variance <= 1e-14:
            raise ModelError("a construct has no variance (singular correlation matrix)")
        return w / np.sqrt(variance)

    def stacked(ws: list[np.ndarray]) -> np.ndarray:
        w_matrix = np.zeros((s.shape[0], k))
        for j, (w, block) in enumerate(zip(ws, blocks, strict=True)):
            w_matrix[block, j] = w
        return w_matrix

    weights = [scaled(w, block) for w, block in zip(weights, blocks, strict=True)]
    iterations = 0
    try:
        while True:
            iterations += 1
            w_matrix = stacked(weights)
            c = w_matrix.T @ s @ w_matrix
            covariance_with_z = s @ w_matrix @ _inner_weights(c, adjacency, scheme)
            new = []
            for j, (construct, block) in enumerate(zip(constructs, blocks, strict=True)):
                t = covariance_with_z[block, j]
                if construct.mode == "B":
                    t = np.linalg.solve(s[np.ix_(block, block)], t)
                new.append(scaled(t, block))
            change = sum(
                float(((abs(a) - abs(b)) ** 2).sum()) for a, b in zip(new, weights, strict=True)
            )
            weights = new
            if change < tolerance:
                break
            if iterations == max_iterations:
                raise ModelError(f"no convergence in {max_iterations} iterations")
        w_matrix = stacked(weights)
        c = w_matrix.T @ s @ w_matrix
        coefficients, r2 = {}, {}
        for j, construct in enumerate(constructs):
            predecessors = np.flatnonzero(adjacency[:, j])
            if not predecessors.size:
                continue
            beta = np.linalg.solve(c[np.ix_(predecessors, predecessors)], c[predecessors, j])
            r2[construct.name] = float(c[predecessors, j] @ beta)
            for p, b in zip(predecessors, beta, strict=True):
                coefficients[constructs[p].name, construct.name] = float(b)
    except np.linalg.LinAlgError as error:
        raise ModelError(
            "singular matrix: indicators or constructs are linearly dependent"
        ) from error
    loadings = {
        construct.name: dict(
            zip(construct.indicators, (s[block][:, block] @ w).tolist(), strict=True)
        )
        for construct, block, w in zip(constructs, blocks, weights, strict=True)
    }
    return PlsResult(
        n=n,
        paths=coefficients,
        r2=r2,
        loadings=loadings,
        weights={
            construct.name: dict(zip(construct.indicators, w.tolist(), strict=True))
            for construct, w in zip(constructs, weights, strict=True)
        },
        iterations=iterations,
    )


def pls_of(
    data: np.ndarray,
    indicators: Sequence[str],
    constructs: Sequence[Construct],
    paths: Sequence[tuple[str, str]],
    *,
    scheme: str = "path",
) -> PlsResult:
    """Fit to complete rows of raw answers (one column per indicator)."""
    data = np.asarray(data, dtype=float)
    if data.shape[0] < 3:
        raise ModelError("a path model needs at least three respondents")
    if np.any(data.std(axis=0) == 0):
        raise ModelError("an indicator has no variance (every answer is the same)")
    return pls_from_correlation(
        np.corrcoef(data, rowvar=False),
        indicators,
        constructs,
        paths,
        data.shape[0],
        scheme=scheme,
    )


def pls_bootstrap(
    data: np.ndarray,
    indicators: Sequence[str],
    constructs: Sequence[Construct],
    paths: Sequence[tuple[str, str]],
    *,
    samples: int = 500,
    seed: int = 0,
    scheme: str = "path",
    confidence: float = 0.95,
) -> dict[tuple[str, str], Interval]:
    """Percentile intervals of the path coefficients over ``samples`` resamples of rows."""
    data = np.asarray(data, dtype=float)
    estimate = pls_of(data, indicators, constructs, paths, scheme=scheme)
    rng = np.random.default_rng(seed)
    drawn: dict[tuple[str, str], list[float]] = {key: [] for key in estimate.paths}
    for _ in range(samples):
        rows = rng.integers(0, data.shape[0], size=data.shape[0])
        try:
            fit = pls_of(data[rows], indicators, constructs, paths, scheme=scheme)
        except ModelError:
            continue  # a degenerate resample (an indicator without variance)
        for key, value in fit.paths.items():
            drawn[key].append(value)
    tail = (1 - confidence) / 2 * 100
    return {
        key: Interval(
            estimate.paths[key],
            float(np.percentile(values, tail)),
            float(np.percentile(values, 100 - tail)),
        )
        for key, values in drawn.items()
    }
