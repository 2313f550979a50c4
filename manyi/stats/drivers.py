"""Derived importance of items for an outcome (overall satisfaction, loyalty).

Three views, all from the correlation matrix — so they run on rollups (Σx, Σxxᵀ):

* the item's correlation with the outcome;
* standardised OLS coefficients ``β = Rxx⁻¹ rxy`` with ``R² = rxyᵀ β``;
* relative weights (J. W. Johnson, "A heuristic method for estimating the relative
  weight of predictor variables in multiple regression", *Multivariate Behavioral
  Research* 35 (2000) 1–19): with ``Rxx = Q Λ Qᵀ`` and ``Λ* = Q Λ^½ Qᵀ`` (the
  correlations of the items with their closest orthogonal counterparts),
  ``β* = Λ*⁻¹ rxy`` and raw weight ``εⱼ = Σₖ Λ*ⱼₖ² β*ₖ²``. The raw weights sum to R²
  and, unlike betas, stay positive and sensible when items are correlated, as
  satisfaction items always are.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


class SingularError(ValueError):
    pass


@dataclass(frozen=True)
class Drivers:
    n: int
    r2: float
    correlations: dict[str, float]
    betas: dict[str, float]
    raw_weights: dict[str, float]  # sum to r2
    importance: dict[str, float]  # raw weights / r2: sum to 1


def correlation_from_covariance(covariance: np.ndarray) -> np.ndarray:
    covariance = np.asarray(covariance, dtype=float)
    sd = np.sqrt(np.diag(covariance))
    if np.any(sd == 0):
        raise SingularError("an item has no variance (every answer is the same)")
    return covariance / np.outer(sd, sd)


def drivers_from_correlation(correlation: np.ndarray, items: Sequence[str], n: int) -> Drivers:
    """Importance from the correlation matrix of the items followed by the outcome.

    ``correlation`` is (k+1)×(k+1): the k items in the order of ``items``, then the
    outcome in the last row and column.
    """
    correlation = np.asarray(correlation, dtype=float)
    k = len(items)
    if correlation.shape != (k + 1, k + 1):
        raise ValueError("the correlation matrix needs the items and then the outcome")
    rxx, rxy = correlation[:k, :k], correlation[:k, k]
    values, vectors = np.linalg.eigh(rxx)
    if values.min() <= 1e-10 * max(values.max(), 1.0):
        raise SingularError(
            "the items are linearly dependent (singular correlation matrix); drop one"
        )
    half = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    beta_star = np.linalg.solve(half, rxy)
    raw = (half**2) @ (beta_star**2)
    betas = np.linalg.solve(rxx, rxy)
    r2 = float(rxy @ betas)
    names = list(items)
    total = float(raw.sum())
    shares = raw / total if total > 0 else np.zeros_like(raw)  # nothing explained: no shares
    return Drivers(
        n=n,
        r2=r2,
        correlations=dict(zip(names, rxy.tolist(), strict=True)),
        betas=dict(zip(names, betas.tolist(), strict=True)),
        raw_weights=dict(zip(names, raw.tolist(), strict=True)),
        importance=dict(zip(names, shares.tolist(), strict=True)),
    )


def drivers_of(items_data: np.ndarray, outcome: np.ndarray, items: Sequence[str]) -> Drivers:
    """Importance from complete rows of raw answers."""
    data = np.column_stack([np.asarray(items_data, dtype=float), np.asarray(outcome, float)])
    if data.shape[0] <= len(items) + 1:
        raise ValueError("more respondents than items are needed")
    return drivers_from_correlation(
        correlation_from_covariance(np.cov(data, rowvar=False)), items, data.shape[0]
    )
