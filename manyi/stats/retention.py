"""Who is still a customer: the BG/NBD and MBG/CNBD-k models of visits that simply stop.

In a service business nobody cancels; customers stop coming. Both models see a customer
through three numbers of their visit history in a calibration window — ``x`` repeat
visits, ``t_x`` the time from the first to the last visit, ``T`` the time from the first
visit to the end of the window — plus, for MBG/CNBD-k, ``litt``, the sum of the logs of
the ``x`` times between visits.

**BG/NBD** (P. S. Fader, B. G. S. Hardie, K. L. Lee, "Counting your customers the easy
way: an alternative to the Pareto/NBD model", *Marketing Science* 24 (2005) 275–284):
while alive a customer visits as a Poisson process of rate λ ~ Gamma(r, α); after each
visit they drop out with probability p ~ Beta(a, b). Per customer

    L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
        · [1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)]

**MBG/CNBD-k** (T. Reutterer, M. Platzer, N. Schröder, "Leveraging purchase regularity
for predicting customer behavior the easy way", *International Journal of Research in
Marketing* 38 (2021) 194–215; reference implementation: the R package BTYDplus): the
times between visits are Erlang-k (k = 1 is memoryless, larger k is more regular, as
maintenance is), and a customer may also drop out right after the first visit (the "M").
With d = 1 for that dropout at zero (d = 0 gives BG/CNBD-k, and k = 1, d = 0 is BG/NBD):

    ln L = (k−1)·litt − x·ln((k−1)!) + ln B(a, b+x+d) − ln B(a, b)
           + ln Γ(r+kx) − ln Γ(r) + r ln α − (r+kx) ln(α+T) + ln(S₁ + S₂)
    S₁ = δ(d=1 or x>0) · a/(b+x−1+d) · ((α+T)/(α+t_x))^(r+kx)
    S₂ = Σ_{j<k} Γ(r+kx+j)/Γ(r+kx) · (T−t_x)^j / (j! (α+T)^j)

P(alive at T) = S₂/(S₁+S₂). λ is the rate of the Erlang stages, so visits come at λ/k.

Parameters are fitted by maximum likelihood over their logarithms with the analytic
gradient (L-BFGS-B); k is chosen by likelihood. AIC = 2·(parameters) − 2·ln L, counting
k as a parameter of MBG/CNBD-k.
"""

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, digamma, gammaln, hyp2f1, logsumexp
from scipy.stats import nbinom

BGNBD, MBGCNBD = "bgnbd", "mbgcnbd"
K_MAX = 6  # the most regular Erlang-k tried when k is chosen by likelihood
MOST_VISITS = 5000  # a bound on the series of expected visits (never reached in practice)


@dataclass(frozen=True)
class VisitSummary:
    """Each customer's repeat visits ``x``, recency ``t_x``, age ``T`` and the sum of
    the logs of the times between their visits ``litt`` (times in periods)."""

    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    litt: np.ndarray

    def __len__(self) -> int:
        return len(self.x)

    @cached_property
    def by_visits(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct repeat-visit counts and each customer's place among them: what
        depends on x alone (Γ and ψ of r+kx, of b+x+d) is computed once a count."""
        levels, index = np.unique(self.x, return_inverse=True)
        return levels, index


@dataclass(frozen=True)
class RetentionFit:
    model: str  # "bgnbd" or "mbgcnbd"
    k: int
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    aic: float
    customers: int
    repeat_visits: int


def visit_summary(
    customer: np.ndarray, day: np.ndarray, *, until: int, period: float
) -> tuple[np.ndarray, VisitSummary]:
    """Summarise visits — a customer number (0…n−1) and a day number each — up to day
    ``until`` inclusive: visits after it are left out, visits on one day count once,
    times are day differences divided by ``period`` (days), never rounded. Returns the
    customer numbers that visited, in order, and their summary."""
    customer = np.asarray(customer, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    kept = day <= until
    customer, day = customer[kept], day[kept]
    if not len(day):
        return np.zeros(0, dtype=np.int64), VisitSummary(*(np.zeros(0) for _ in range(4)))
    low = int(day.min())
    span = int(until) - low + 1
    keys = np.sort(customer * span + (day - low))  # by customer, then day
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]  # a day once (a sort: np.unique hashes)
    who, days = keys // span, (keys % span + low).astype(float)
    # The keys are sorted, so each customer's rows run together: find where runs start.
    first_row = np.flatnonzero(np.r_[True, who[1:] != who[:-1]])
    last_row = np.r_[first_row[1:], len(who)] - 1
    codes, counts = who[first_row], last_row - first_row + 1
    first, last = days[first_row], days[last_row]
    # The log of each gap between two visits of one customer; the step from one customer
    # to the next counts 0, so that each customer's run of gaps adds up to their litt.
    same = np.diff(who) == 0
    logs = np.zeros(len(days))
    logs[:-1][same] = np.log(np.diff(days)[same] / period)
    return codes, VisitSummary(
        x=(counts - 1).astype(float),
        t_x=(last - first) / period,
        T=(until - first) / period,
        litt=np.add.reduceat(logs, first_row),
    )


def _parts(theta: np.ndarray, k: int, d: int, s: VisitSummary) -> dict[str, np.ndarray]:
    """The log of S₁ and of each term of S₂, shared by the likelihood, its gradient
    and P(alive)."""
    r, alpha, a, b = theta
    levels, index = s.by_visits
    shape = r + k * s.x
    has_s1 = (s.x > 0) | (d == 1)
    # b+x−1+d, where S₁ exists (for x = 0 without dropout at zero it may be 0 or less)
    den = np.where(has_s1, b + s.x - 1 + d, 1.0)
    log_t = np.log(alpha + s.T)
    with np.errstate(divide="ignore"):
        log_s1 = np.where(
            has_s1, np.log(a) - np.log(den) + shape * (log_t - np.log(alpha + s.t_x)), -np.inf
        )
        gap = np.log(s.T - s.t_x) - log_t
    terms = [np.zeros_like(s.x)]
    for j in range(1, k):
        rising = gammaln(r + k * levels + j) - gammaln(r + k * levels)  # ln Γ(s+j)/Γ(s)
        terms.append(rising[index] + j * gap - math.lgamma(j + 1))
    return {"shape": shape, "den": den, "log_t": log_t, "log_s1": log_s1, "log_s2": np.array(terms)}


def log_likelihood(theta: np.ndarray, k: int, d: int, s: VisitSummary) -> np.ndarray:
    """Each customer's ln L under (M)BG/CNBD-k with ``theta`` = (r, α, a, b)."""
    return _likelihood(theta, k, d, s, gradient=False)[0]


def _gradient(theta: np.ndarray, k: int, d: int, s: VisitSummary) -> np.ndarray:
    """∂ Σ ln L / ∂θ."""
    return _likelihood(theta, k, d, s, gradient=True)[1]


def _likelihood(
    theta: np.ndarray, k: int, d: int, s: VisitSummary, *, gradient: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Each customer's ln L and, when asked, ∂ Σ ln L / ∂θ: the module's formulas, with
    ln(S₁+S₂) and its slopes through the weights of its terms."""
    r, alpha, a, b = theta
    levels, index = s.by_visits
    p = _parts(theta, k, d, s)
    shape, log_t = p["shape"], p["log_t"]
    total = (
        np.logaddexp(p["log_s1"], logsumexp(p["log_s2"], axis=0))
        if k > 1
        else np.logaddexp(p["log_s1"], 0.0)
    )
    of_x = (  # ln B(a, b+x+d) − ln B(a, b) + ln Γ(r+kx) − ln Γ(r), once a count
        gammaln(b + levels + d) - gammaln(a + b + levels + d) + gammaln(a + b) - gammaln(b)
        + gammaln(r + k * levels) - gammaln(r) - levels * math.lgamma(k)
    )  # fmt: skip
    value = (k - 1) * s.litt + of_x[index] + r * np.log(alpha) - shape * log_t + total
    if not gradient:
        return value, np.zeros(4)
    w1 = np.exp(p["log_s1"] - total)
    psi_shape = digamma(r + k * levels)
    psi_all = digamma(a + b + levels + d)[index]
    d_r = (
        psi_shape[index] - digamma(r) + np.log(alpha) - log_t + w1 * (log_t - np.log(alpha + s.t_x))
    )
    d_alpha = (
        r / alpha - shape / (alpha + s.T) + w1 * shape * (1 / (alpha + s.T) - 1 / (alpha + s.t_x))
    )
    if k > 1:
        w2 = np.exp(p["log_s2"] - total)  # one row per j
        j = np.arange(k)[:, None]
        rising = digamma(r + k * levels + j) - psi_shape  # ψ(s+j) − ψ(s), per count
        d_r += (w2 * rising[:, index]).sum(axis=0)
        d_alpha -= (w2 * j).sum(axis=0) / (alpha + s.T)
    d_a = digamma(a + b) - psi_all + w1 / a
    d_b = digamma(b + levels + d)[index] - psi_all - digamma(b) + digamma(a + b) - w1 / p["den"]
    return value, np.array([d_r.sum(), d_alpha.sum(), d_a.sum(), d_b.sum()])


def _fit_k(s: VisitSummary, k: int, d: int) -> tuple[np.ndarray, float]:
    def negative(log_theta: np.ndarray) -> tuple[float, np.ndarray]:
        theta = np.exp(log_theta)
        values, slope = _likelihood(theta, k, d, s, gradient=True)
        return -float(values.sum()), -theta * slope  # d/d(ln θ) = θ · d/dθ

    start = np.log([1.0, max(float(np.mean(s.T)), 1e-3), 1.0, 1.0])
    found = minimize(
        negative, start, jac=True, method="L-BFGS-B",
        bounds=[(-12.0, 12.0)] * 4, options={"maxiter": 1000, "ftol": 1e-14, "gtol": 1e-8},
    )  # fmt: skip
    if not np.isfinite(found.fun):
        raise ValueError("the likelihood could not be maximised on these visits")
    return np.exp(found.x), -float(found.fun)


def _check(s: VisitSummary) -> None:
    if len(s) < 2:
        raise ValueError("fitting a model needs the visits of at least two customers")
    if not np.any(s.x > 0):
        raise ValueError("nobody came back: a model of return visits needs some")
    if np.any(s.T < 0) or np.any(s.t_x > s.T):
        raise ValueError("every customer's visits must fall within the window")


def fit(s: VisitSummary, *, model: str = BGNBD, k: int | None = None) -> RetentionFit:
    """Fit BG/NBD, or MBG/CNBD-k (k given, or the likeliest of 1…K_MAX). The search over
    k stops once the likelihood has fallen twice in a row, as BTYDplus's grid search
    does: it rises to one peak as the stages fit the rhythm, then falls."""
    if model == BGNBD:
        ks, d, extra = [1], 0, 0
    elif model == MBGCNBD:
        ks, d, extra = ([k] if k else list(range(1, K_MAX + 1))), 1, 1
    else:
        raise ValueError(f"model is {BGNBD} or {MBGCNBD}")
    _check(s)
    tried: list[tuple[tuple[np.ndarray, float], int]] = []
    for each in ks:
        tried.append((_fit_k(s, each, d), each))
        lls = [found[1] for found, _k in tried[-3:]]
        if len(lls) == 3 and lls[2] < lls[1] < lls[0]:
            break
    (theta, ll), chosen = max(tried, key=lambda found: found[0][1])
    return RetentionFit(
        model=model, k=chosen, r=float(theta[0]), alpha=float(theta[1]),
        a=float(theta[2]), b=float(theta[3]), log_likelihood=ll,
        aic=2 * (4 + extra) - 2 * ll, customers=len(s), repeat_visits=int(s.x.sum()),
    )  # fmt: skip


def _theta(found: RetentionFit) -> tuple[np.ndarray, int]:
    return np.array([found.r, found.alpha, found.a, found.b]), int(found.model == MBGCNBD)


def p_alive(found: RetentionFit, s: VisitSummary) -> np.ndarray:
    """P(still a customer at the end of the window) = S₂/(S₁+S₂)."""
    theta, d = _theta(found)
    p = _parts(theta, found.k, d, s)
    s2 = logsumexp(p["log_s2"], axis=0)
    return np.exp(s2 - np.logaddexp(p["log_s1"], s2))


def expected_visits(found: RetentionFit, s: VisitSummary, horizon: float) -> np.ndarray:
    """Visits each customer is expected to make in the next ``horizon`` periods:
    P(alive) times the visits of a live customer.

    Alive, the customer's dropout p is Beta(A, B) with A = a, B = b+x+d. For k = 1 the
    visit rate is Gamma(s, β), s = r+x, β = α+T, and the live customer's visits are

        (A+B−1)/(A−1) · [1 − (β/(β+t))^s · ₂F₁(s, B; A+B−1; t/(β+t))]

    (FHL 2005 eq. 10 for BG/NBD; Batislam, Denizel & Filiztekin 2007 for MBG/NBD). For
    k > 1 the customer has passed j of the k Erlang stages since their last visit, with
    the weights of the S₂ terms, and then λ is Gamma(r+kx+j, α+T); the stages to come in
    t are negative binomial N, the m-th visit needs N ≥ mk − j, and the customer is
    still there for it with E[(1−p)^(m−1)] = B(A, B+m−1)/B(A, B):

        Σ_j w_j Σ_m P(N_j ≥ mk − j) · B(A, B+m−1)/B(A, B)."""
    theta, d = _theta(found)
    if found.k == 1:
        visits = _alive_visits_memoryless(theta, d, s, horizon)
    else:
        visits = _alive_visits_regular(theta, found.k, d, s, horizon)
    return p_alive(found, s) * visits


def _alive_visits_memoryless(theta: np.ndarray, d: int, s: VisitSummary, t: float) -> np.ndarray:
    r, alpha, a, b = theta
    big_a, big_b = a, b + s.x + d
    shape, beta = r + s.x, alpha + s.T
    if abs(big_a - 1) < 1e-6:
        big_a += 1e-6  # the closed form has a removable singularity at a = 1
    z = t / (beta + t)
    return (
        (big_a + big_b - 1) / (big_a - 1)
        * (1 - (beta / (beta + t)) ** shape * hyp2f1(shape, big_b, big_a + big_b - 1, z))
    )  # fmt: skip


def _alive_visits_regular(
    theta: np.ndarray, k: int, d: int, s: VisitSummary, t: float
) -> np.ndarray:
    _r, alpha, a, b = theta
    parts = _parts(theta, k, d, s)
    weights = np.exp(parts["log_s2"] - logsumexp(parts["log_s2"], axis=0))  # w_j
    big_b = b + s.x + d
    success = (alpha + s.T) / (alpha + s.T + t)  # N_j is NB(r+kx+j, success)
    visits = np.zeros(len(s))
    for j in range(k):
        shape = parts["shape"] + j
        m = 1
        while True:
            reach = nbinom.sf(m * k - j - 1, shape, success)  # P(N_j ≥ mk − j)
            there = np.exp(betaln(a, big_b + m - 1) - betaln(a, big_b))
            visits += weights[j] * reach * there
            if not np.any(reach * there > 1e-10) or m > MOST_VISITS:
                break
            m += 1
    return visits


@dataclass(frozen=True)
class FrequencyGroup:
    repeat_visits: int  # the group's x; the last group holds this many and more
    customers: int
    predicted: float  # mean expected visits in the hold-out
    actual: float  # mean visits made in the hold-out


def by_frequency(
    x: np.ndarray, predicted: np.ndarray, actual: np.ndarray, *, top: int = 6
) -> list[FrequencyGroup]:
    """The calibration/hold-out check of Fader, Hardie & Lee (2005, fig. 4): customers
    grouped by repeat visits in the calibration window (``top`` and more together), the
    mean predicted against the mean actual visits in the hold-out."""
    group = np.minimum(np.asarray(x, dtype=np.int64), top)
    groups = []
    for level in np.unique(group):
        mine = group == level
        groups.append(
            FrequencyGroup(
                int(level),
                int(mine.sum()),
                float(np.mean(predicted[mine])),
                float(np.mean(actual[mine])),
            )
        )
    return groups
