"""Means, shares (top-2-box, bottom box) and histograms, from sums or counts.

Every function takes sufficient statistics — ``n``, ``Σx``, ``Σx²`` or the counts of
each scale point — so it runs equally on raw answers and on additive rollups.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm, t


@dataclass(frozen=True)
class MeanEstimate:
    n: int
    mean: float
    sd: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class ShareEstimate:
    n: int
    k: int
    share: float
    ci_low: float
    ci_high: float


def mean_from_sums(
    n: int, total: float, total_sq: float, *, confidence: float = 0.95
) -> MeanEstimate:
    """Mean with a Student-t interval from ``n``, ``Σx`` and ``Σx²``.

    ``s² = (Σx² − (Σx)²/n) / (n − 1)``; interval ``x̄ ± t(1−α/2, n−1) · s/√n``.
    With fewer than two answers the interval is undefined (NaN).
    """
    if n < 1:
        raise ValueError("a mean needs at least one answer")
    mean = total / n
    if n < 2:
        return MeanEstimate(n, mean, math.nan, math.nan, math.nan)
    variance = max(total_sq - total * total / n, 0.0) / (n - 1)
    sd = math.sqrt(variance)
    half = float(t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    return MeanEstimate(n, mean, sd, mean - half, mean + half)


def mean_of(values: Sequence[float], *, confidence: float = 0.95) -> MeanEstimate:
    """``mean_from_sums`` of raw values."""
    data = np.asarray(values, dtype=float)
    return mean_from_sums(
        data.size, float(data.sum()), float((data * data).sum()), confidence=confidence
    )


def share(k: int, n: int, *, confidence: float = 0.95) -> ShareEstimate:
    """A share ``k/n`` with the Wilson score interval.

    ``(p̂ + z²/2n ± z·sqrt(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`` — E. B. Wilson,
    "Probable inference…", *JASA* 22 (1927) 209–212; it stays inside [0, 1] and
    behaves at small n, where the normal interval does not.
    """
    if n < 1 or not 0 <= k <= n:
        raise ValueError("a share needs 0 ≤ k ≤ n and n ≥ 1")
    z = float(norm.ppf(0.5 + confidence / 2))
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    return ShareEstimate(n, k, p, (centre - spread) / scale, (centre + spread) / scale)


def histogram(values: Sequence[int], low: int, high: int) -> np.ndarray:
    """Counts of each scale point ``low..high`` (values outside are an error)."""
    data = np.asarray(values, dtype=int)
    if data.size and (data.min() < low or data.max() > high):
        raise ValueError("a value lies outside the scale")
    return np.bincount(data - low, minlength=high - low + 1)


def top_box(counts: Sequence[int], *, boxes: int = 2, confidence: float = 0.95) -> ShareEstimate:
    """Share of answers in the ``boxes`` best points; ``counts`` run from worst to best."""
    counts = np.asarray(counts, dtype=int)
    return share(int(counts[-boxes:].sum()), int(counts.sum()), confidence=confidence)


def bottom_box(counts: Sequence[int], *, boxes: int = 2, confidence: float = 0.95) -> ShareEstimate:
    """Share of answers in the ``boxes`` worst points; ``counts`` run from worst to best."""
    counts = np.asarray(counts, dtype=int)
    return share(int(counts[:boxes].sum()), int(counts.sum()), confidence=confidence)
