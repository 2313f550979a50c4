"""Net Promoter Score with its confidence interval, and a test between two groups.

NPS = 100 · (P − D)/n on the 0–10 question: promoters answer 9–10, detractors 0–6
(F. F. Reichheld, "The one number you need to grow", *HBR* 81 (2003) 46–54).

Scoring each respondent +1 (promoter), 0 (passive) or −1 (detractor) makes NPS/100
the mean of that score, so with the shares ``p`` and ``d`` of one multinomial
sample ``Var(p̂ − d̂) = (p + d − (p − d)²)/n`` — the variance of the difference of
two shares of one sample — and the interval is ``NPS ± z · 100 · sqrt(Var)``.
Two independent groups differ by ``z = (NPS₁ − NPS₂) / (100 · sqrt(Var₁ + Var₂))``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm


@dataclass(frozen=True)
class NpsEstimate:
    n: int
    promoters: int
    passives: int
    detractors: int
    nps: float  # points, −100…100
    se: float  # standard error, in points
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class NpsDifference:
    difference: float  # points, first minus second
    se: float
    z: float
    p: float  # two-sided


def nps_from_counts(
    promoters: int, passives: int, detractors: int, *, confidence: float = 0.95
) -> NpsEstimate:
    n = promoters + passives + detractors
    if n < 1:
        raise ValueError("NPS needs at least one answer")
    p, d = promoters / n, detractors / n
    se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    score = 100 * (p - d)
    z = float(norm.ppf(0.5 + confidence / 2))
    return NpsEstimate(
        n, promoters, passives, detractors, score, se, score - z * se, score + z * se
    )


def nps_of(answers: Sequence[int], *, confidence: float = 0.95) -> NpsEstimate:
    """NPS of raw 0–10 answers."""
    data = np.asarray(answers)
    if data.size and (data.min() < 0 or data.max() > 10):
        raise ValueError("NPS answers run from 0 to 10")
    return nps_from_counts(
        int((data >= 9).sum()),
        int(((data >= 7) & (data <= 8)).sum()),
        int((data <= 6).sum()),
        confidence=confidence,
    )


def nps_from_histogram(counts: Sequence[int], *, confidence: float = 0.95) -> NpsEstimate:
    """NPS from the counts of answers 0, 1, …, 10."""
    counts = np.asarray(counts, dtype=int)
    if counts.size != 11:
        raise ValueError("an NPS histogram has 11 counts, for 0 to 10")
    return nps_from_counts(
        int(counts[9:].sum()), int(counts[7:9].sum()), int(counts[:7].sum()), confidence=confidence
    )


def nps_difference(first: NpsEstimate, second: NpsEstimate) -> NpsDifference:
    """Two-sided z test of the difference of two independent NPS."""
    se = math.sqrt(first.se**2 + second.se**2)
    difference = first.nps - second.nps
    if se == 0:
        z = 0.0 if difference == 0 else math.copysign(math.inf, difference)
    else:
        z = difference / se
    return NpsDifference(difference, se, z, float(2 * norm.sf(abs(z))))
