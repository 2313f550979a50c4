"""Reliability of a scale: Cronbach's alpha and alpha if an item is deleted.

``α = k/(k−1) · (1 − Σ σᵢ² / σ²_total)`` where ``σ²_total = Σᵢ Σⱼ σᵢⱼ`` is the variance
of the sum score (L. J. Cronbach, "Coefficient alpha and the internal structure of
tests", *Psychometrika* 16 (1951) 297–334). Everything comes from the covariance
matrix, so it runs on rollups (Σx, Σxxᵀ) as well as on raw answers.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Alpha:
    alpha: float
    n: int
    alpha_if_deleted: dict[str, float]


def alpha_from_covariance(covariance: np.ndarray) -> float:
    covariance = np.asarray(covariance, dtype=float)
    k = covariance.shape[0]
    if k < 2:
        raise ValueError("alpha needs at least two items")
    total = covariance.sum()
    if total <= 0:
        raise ValueError("the sum score has no variance")
    return float(k / (k - 1) * (1 - np.trace(covariance) / total))


def covariance_from_sums(n: int, sums: np.ndarray, cross: np.ndarray) -> np.ndarray:
    """Sample covariance (n − 1) from ``n``, ``Σx`` (vector) and ``Σxxᵀ`` (matrix)."""
    if n < 2:
        raise ValueError("a covariance needs at least two answers")
    sums = np.asarray(sums, dtype=float)
    return (np.asarray(cross, dtype=float) - np.outer(sums, sums) / n) / (n - 1)


def cronbach_alpha(covariance: np.ndarray, n: int, items: Sequence[str]) -> Alpha:
    """Alpha of all ``items`` and, for each, alpha of the others."""
    if len(items) < 2:
        raise ValueError("alpha needs at least two items")
    covariance = np.asarray(covariance, dtype=float)
    if covariance.shape != (len(items), len(items)):
        raise ValueError("one name per item of the covariance matrix")
    deleted = {}
    if len(items) > 2:
        for index, name in enumerate(items):
            keep = [i for i in range(len(items)) if i != index]
            deleted[name] = alpha_from_covariance(covariance[np.ix_(keep, keep)])
    return Alpha(alpha_from_covariance(covariance), n, deleted)


def cronbach_alpha_of(data: np.ndarray, items: Sequence[str]) -> Alpha:
    """Alpha of complete rows of raw answers (one column per item)."""
    data = np.asarray(data, dtype=float)
    if data.shape[0] < 2:
        raise ValueError("alpha needs at least two respondents")
    return cronbach_alpha(np.cov(data, rowvar=False), data.shape[0], items)
