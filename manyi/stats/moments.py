"""Additive sufficient statistics of a set of responses (the content of a rollup cell).

For k variables (item answers, factor scores, the index) with missing values, a
``Moments`` keeps, for every pair (i, j) of variables, over the responses where both
were answered: the count ``N[i, j]``, the sums ``S[i, j] = Σ xᵢ`` and
``Q[i, j] = Σ xᵢ²``, and the cross-products ``P[i, j] = Σ xᵢ xⱼ``. The diagonal holds
each variable alone. Two ``Moments`` of disjoint sets add up to the ``Moments`` of
their union, so figures over any units and months come from summing cells, and
pairwise-complete covariances and correlations are exact:

``cov(i, j) = (P[i, j] − S[i, j] S[j, i] / N[i, j]) / (N[i, j] − 1)``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Moments:
    variables: tuple[str, ...]
    count: np.ndarray  # N, k×k
    sums: np.ndarray  # S, k×k: S[i, j] = Σ xᵢ where i and j answered
    squares: np.ndarray  # Q, k×k: Q[i, j] = Σ xᵢ² where i and j answered
    products: np.ndarray  # P, k×k: Σ xᵢ xⱼ

    @classmethod
    def empty(cls, variables: Sequence[str]) -> "Moments":
        k = len(variables)
        return cls(tuple(variables), *(np.zeros((k, k)) for _ in range(4)))

    @classmethod
    def of(cls, variables: Sequence[str], rows: np.ndarray) -> "Moments":
        """The moments of raw rows (one column per variable, NaN where unanswered)."""
        data = np.asarray(rows, dtype=float).reshape(-1, len(variables))
        present = ~np.isnan(data)
        values = np.where(present, data, 0.0)
        answered = present.astype(float)
        return cls(
            tuple(variables),
            answered.T @ answered,
            values.T @ answered,
            (values * values).T @ answered,
            values.T @ values,
        )

    def __add__(self, other: "Moments") -> "Moments":
        if self.variables != other.variables:
            raise ValueError("moments of different variables cannot be added")
        return Moments(
            self.variables,
            self.count + other.count,
            self.sums + other.sums,
            self.squares + other.squares,
            self.products + other.products,
        )

    def n(self, variable: str) -> int:
        i = self.variables.index(variable)
        return int(self.count[i, i])

    def mean(self, variable: str) -> float:
        i = self.variables.index(variable)
        return float(self.sums[i, i] / self.count[i, i]) if self.count[i, i] else float("nan")

    def covariance(self) -> np.ndarray:
        """Pairwise-complete sample covariances (NaN where fewer than two shared answers)."""
        n = self.count
        with np.errstate(divide="ignore", invalid="ignore"):
            covariance = (self.products - self.sums * self.sums.T / n) / (n - 1)
        return np.where(n >= 2, covariance, np.nan)

    def correlation(self) -> np.ndarray:
        """Pairwise-complete correlations, each from the answers both variables share."""
        n = self.count
        with np.errstate(divide="ignore", invalid="ignore"):
            centred = self.products - self.sums * self.sums.T / n
            var_i = self.squares - self.sums**2 / n
            correlation = centred / np.sqrt(var_i * var_i.T)
        return np.where(n >= 2, correlation, np.nan)

    def diagonal(self) -> np.ndarray:
        """Each variable alone: rows n, Σx, Σx² (3×k) — enough for means and rankings."""
        return np.stack([np.diag(self.count), np.diag(self.sums), np.diag(self.squares)])

    def pack(self) -> bytes:
        """The four matrices as little-endian float64 bytes (for a rollup row)."""
        stacked = np.stack([self.count, self.sums, self.squares, self.products])
        return stacked.astype("<f8").tobytes()

    @classmethod
    def unpack(cls, variables: Sequence[str], blob: bytes) -> "Moments":
        k = len(variables)
        stacked = np.frombuffer(blob, dtype="<f8").reshape(4, k, k)
        return cls(tuple(variables), *(stacked[i].copy() for i in range(4)))
