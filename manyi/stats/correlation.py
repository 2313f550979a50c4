"""Pearson's correlation with its Fisher-z interval: how closely two figures of the same
units go together (the 3S view: employee satisfaction beside customer satisfaction).

r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²). Its interval: z = artanh r is about
normal with standard error 1/√(n − 3) (R. A. Fisher, "On the probable error of a
coefficient of correlation deduced from a small sample", *Metron* 1, 1921), so the
interval is tanh(z ± z₀.₉₇₅ / √(n − 3)). The p-value is the exact t test,
t = r √((n − 2)/(1 − r²)) on n − 2 degrees of freedom.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Correlation:
    r: float
    low: float
    high: float
    p: float
    n: int


def pearson(x: np.ndarray, y: np.ndarray, *, level: float = 0.95) -> Correlation:
    """Pearson's r of paired ``x`` and ``y`` (at least four pairs, neither constant)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = x.size
    if n != y.size or n < 4:
        raise ValueError("need at least four pairs")
    dx, dy = x - x.mean(), y - y.mean()
    spread = np.sqrt(np.sum(dx * dx) * np.sum(dy * dy))
    if spread == 0:
        raise ValueError("a constant figure has no correlation")
    r = float(np.clip(np.sum(dx * dy) / spread, -1.0, 1.0))
    half = stats.norm.ppf(0.5 + level / 2) / np.sqrt(n - 3)
    z = np.arctanh(r) if abs(r) < 1 else np.sign(r) * np.inf
    if abs(r) < 1:
        t = r * np.sqrt((n - 2) / (1 - r * r))
        p = float(2 * stats.t.sf(abs(t), n - 2))
    else:
        p = 0.0
    return Correlation(r, float(np.tanh(z - half)), float(np.tanh(z + half)), p, n)
