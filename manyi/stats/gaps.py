"""SERVQUAL gaps: perception minus expectation, per item and per dimension.

Item gap ``ḡ = mean(P − E)`` over respondents who answered both, tested with the
paired t test ``t = ḡ / (s_d / √n)`` on ``n − 1`` degrees of freedom
(A. Parasuraman, V. A. Zeithaml and L. L. Berry, "SERVQUAL: a multiple-item scale
for measuring consumer perceptions of service quality", *Journal of Retailing* 64
(1988) 12–40). A dimension's gap is the mean of its items' gaps. Sums of ``d`` and
``d²`` are enough, so gaps run on rollups.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import t as student


@dataclass(frozen=True)
class Gap:
    n: int
    gap: float
    sd: float
    t: float
    p: float


def gap_from_sums(n: int, total: float, total_sq: float) -> Gap:
    """The gap and its paired t test from ``n``, ``Σd`` and ``Σd²`` (d = P − E)."""
    if n < 2:
        raise ValueError("a gap test needs at least two answered pairs")
    mean = total / n
    sd = math.sqrt(max(total_sq - total * total / n, 0.0) / (n - 1))
    if sd == 0:
        t_value = 0.0 if mean == 0 else math.copysign(math.inf, mean)
        return Gap(n, mean, sd, t_value, 1.0 if mean == 0 else 0.0)
    t_value = mean / (sd / math.sqrt(n))
    return Gap(n, mean, sd, t_value, float(2 * student.sf(abs(t_value), n - 1)))


def gap_of(expectation: Sequence[float], perception: Sequence[float]) -> Gap:
    """The gap of raw pairs; a pair with either side missing (NaN) is left out."""
    e = np.asarray(expectation, dtype=float)
    p = np.asarray(perception, dtype=float)
    d = (p - e)[~(np.isnan(e) | np.isnan(p))]
    return gap_from_sums(d.size, float(d.sum()), float((d * d).sum()))


def dimension_gap(gaps: Sequence[Gap]) -> float:
    """A dimension's gap: the mean of its items' gaps."""
    if not gaps:
        raise ValueError("a dimension needs at least one item")
    return float(np.mean([gap.gap for gap in gaps]))


def dimension_gap_test(n: int, means: Sequence[float], covariance: np.ndarray) -> Gap:
    """A dimension's gap with a paired test, from its items' mean gaps and covariance.

    Each respondent's dimension gap is the mean of their k item gaps, so its mean is
    the mean of the item gaps and its variance ``1ᵀΣ1 / k²`` (Σ the items' gap
    covariance); the t test then runs on ``n − 1`` degrees of freedom. Exact when the
    ``n`` respondents answered every item of the dimension.
    """
    k = len(means)
    if k == 0:
        raise ValueError("a dimension needs at least one item")
    variance = float(np.asarray(covariance, dtype=float).sum()) / (k * k)
    mean = float(np.mean(means))
    total_sq = (n - 1) * max(variance, 0.0) + n * mean * mean
    return gap_from_sums(n, n * mean, total_sq)
