"""Sample size and margin of error for a survey drawn from a finite population.

References: W. G. Cochran, *Sampling Techniques*, 3rd ed. (Wiley, 1977), §4.4 and
§2.15; R. V. Krejcie and D. W. Morgan, "Determining sample size for research
activities", *Educational and Psychological Measurement* 30 (1970) 607–610.
"""

import math
from dataclasses import dataclass

from scipy.stats import norm


def z_value(confidence: float) -> float:
    """The two-sided normal quantile: 1.960 for 95 % confidence."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    return float(norm.ppf(0.5 + confidence / 2))


def finite_population_correction(n: int, population: int | None) -> float:
    """``sqrt((N − n) / (N − 1))``; 1 for an unknown or infinite population."""
    if population is None:
        return 1.0
    if population < 1 or n > population:
        raise ValueError("the sample cannot be larger than the population")
    if population == 1:
        return 0.0
    return math.sqrt((population - n) / (population - 1))


def margin_proportion(
    n: int, *, population: int | None = None, p: float = 0.5, confidence: float = 0.95
) -> float:
    """Half-width of the confidence interval of a share: ``z · sqrt(p(1−p)/n) · fpc``.

    ``p = 0.5`` gives the widest (safe) margin when the share is not known.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    fpc = finite_population_correction(n, population)
    return z_value(confidence) * math.sqrt(p * (1 - p) / n) * fpc


def margin_mean(
    n: int, *, sd: float, population: int | None = None, confidence: float = 0.95
) -> float:
    """Half-width of the confidence interval of a mean: ``z · sd / sqrt(n) · fpc``."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if sd < 0:
        raise ValueError("the standard deviation cannot be negative")
    return z_value(confidence) * sd / math.sqrt(n) * finite_population_correction(n, population)


@dataclass(frozen=True)
class SampleSize:
    infinite: float  # Cochran's n₀ = z² p(1−p) / e²
    exact: float  # n₀ / (1 + (n₀ − 1) / N), the finite-population size before rounding
    n: int  # completed responses needed: ``exact`` rounded up


def sample_size_proportion(
    margin: float, *, population: int | None = None, p: float = 0.5, confidence: float = 0.95
) -> SampleSize:
    """Completed responses needed to estimate a share within ``± margin``.

    ``n₀ = z² p (1 − p) / e²`` and, for a population of ``N``,
    ``n = n₀ / (1 + (n₀ − 1) / N)`` (Cochran 1977, eq. 4.2; the same as Krejcie and
    Morgan's table).
    """
    if not 0 < margin < 1:
        raise ValueError("the margin must be between 0 and 1")
    infinite = z_value(confidence) ** 2 * p * (1 - p) / margin**2
    exact = infinite if population is None else infinite / (1 + (infinite - 1) / population)
    return SampleSize(infinite=infinite, exact=exact, n=math.ceil(exact - 1e-9))
