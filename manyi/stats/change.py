"""Has a figure really moved? Tests between two periods or two units, from sums.

* Means: Welch's t test, ``t = (x̄₁ − x̄₂) / sqrt(s₁²/n₁ + s₂²/n₂)`` with the
  Welch–Satterthwaite degrees of freedom (B. L. Welch, *Biometrika* 34 (1947) 28–35).
* Shares (top-2-box…): the two-proportion z test with the pooled share.
* Minimum n: a figure from fewer answers than the programme's minimum is shown but
  never ranked or flagged as a change.
"""

import math
from dataclasses import dataclass

from scipy.stats import norm
from scipy.stats import t as student


@dataclass(frozen=True)
class Change:
    difference: float  # first minus second
    statistic: float
    p: float
    significant: bool


def rankable(n: int, min_n: int) -> bool:
    """Whether a figure from ``n`` answers may be ranked or called a change."""
    return n >= min_n


def mean_change(
    first: tuple[int, float, float],
    second: tuple[int, float, float],
    *,
    alpha: float = 0.05,
) -> Change:
    """Welch's test on two means, each given as ``(n, Σx, Σx²)``."""
    moments = []
    for n, total, total_sq in (first, second):
        if n < 2:
            raise ValueError("each group needs at least two answers")
        mean = total / n
        variance = max(total_sq - total * total / n, 0.0) / (n - 1)
        moments.append((n, mean, variance / n))
    (n1, m1, v1), (n2, m2, v2) = moments
    difference = m1 - m2
    if v1 + v2 == 0:
        p = 1.0 if difference == 0 else 0.0
        return Change(difference, 0.0 if difference == 0 else math.inf, p, p < alpha)
    t_value = difference / math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    p = float(2 * student.sf(abs(t_value), df))
    return Change(difference, t_value, p, p < alpha)


def share_change(first: tuple[int, int], second: tuple[int, int], *, alpha: float = 0.05) -> Change:
    """Two-proportion z test, each share given as ``(k, n)``."""
    (k1, n1), (k2, n2) = first, second
    if n1 < 1 or n2 < 1:
        raise ValueError("each group needs at least one answer")
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return Change(p1 - p2, 0.0, 1.0, False)
    z = (p1 - p2) / se
    p = float(2 * norm.sf(abs(z)))
    return Change(p1 - p2, z, p, p < alpha)
