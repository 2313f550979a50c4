"""Fit the churn model on 1,000,000 customers with about 5,000,000 visits and score them.

    .venv/bin/python benchmarks/retention.py [--customers 1000000] [--model bgnbd|mbgcnbd]
    .venv/bin/python benchmarks/retention.py --refresh   # the nightly refresh's computation

Builds seeded visit histories (BG/NBD: Poisson visits while alive, a dropout after each),
then times manyi's whole path — visit rows to each customer's summary, the maximum
likelihood fit, P(alive) and the expected visits of the next 52 weeks for everyone — with
its peak RSS. The baseline is the lifetimes package fitting BG/NBD on the same summary
in the same run (else nothing); the two sets of parameters must agree to 1e-3.
Target: ≤ 60 s and ≤ 2 GiB.

``--refresh`` times what the nightly churn refresh computes from the visit rows instead:
both models fitted and the better kept by AIC, every customer's P(alive), expected visits,
rhythm and reasons from the visits (``manyi.care.churn.score``), and the returns within
12 months (anywhere and to the same store) and the monthly cohorts behind the retention
report; the reading of the visits and the writing of the list are the database's part.
"""

import argparse
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from manyi.stats.retention import (  # noqa: E402
    BGNBD,
    MBGCNBD,
    expected_visits,
    fit,
    p_alive,
    visit_summary,
)

WINDOW = 3 * 365  # days of history
TRUTH = {"r": 1.2, "alpha": 9.0, "a": 0.9, "b": 3.0}  # per week


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Peak resident memory while a block runs, sampled every 50 ms."""

    def __enter__(self) -> "RssSampler":
        self.start = self.peak = rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_mib())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def visits(customers: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Visit rows (customer number, day) of a seeded BG/NBD population."""
    rng = np.random.default_rng(seed)
    who, days = [], []
    for start in range(0, customers, 100_000):
        n = min(100_000, customers - start)
        rate = rng.gamma(TRUTH["r"], 1 / TRUTH["alpha"], n) / 7  # visits a day
        dropout = rng.beta(TRUTH["a"], TRUTH["b"], n)
        allowed = rng.geometric(dropout)  # repeat visits before dropping out (BG: ≥ 1)
        first = rng.integers(0, WINDOW - 30, n)
        times = first[:, None] + np.cumsum(rng.exponential(1 / rate[:, None], (n, 60)), axis=1)
        made = (np.arange(1, 61)[None, :] <= allowed[:, None]) & (times < WINDOW)
        row, column = np.nonzero(made)
        who.append(np.concatenate([np.arange(start, start + n), start + row]))
        days.append(np.concatenate([first, times[row, column].astype(np.int64)]))
    return np.concatenate(who), np.concatenate(days)


def refresh(who: np.ndarray, days: np.ndarray) -> None:
    """The nightly refresh's arithmetic on the same rows, against the same targets."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manyi.settings")
    django.setup()
    from manyi.care.churn import Visits, score
    from manyi.care.models import ChurnPolicy
    from manyi.stats.cohorts import cohort_retention, returned_within

    day = days + 740_000  # ordinals of real days
    unit = who % 500  # five hundred stores
    until = int(day.max())
    rows = Visits(customer=who, asset=np.zeros_like(who), unit=unit, day=day, at=who)
    with RssSampler() as memory:
        began = time.perf_counter()
        scored = score(rows, until=until, policy=ChurnPolicy(model="best"))
        fitted = time.perf_counter()
        returned_within(who, day, horizon=365, until=until)
        returned_within(who * 500 + unit, day, horizon=365, until=until)
        cohort_retention(who, day // 30, until=until // 30, offsets=13, group=unit * 4)
        done = time.perf_counter()
    found = scored.fit
    print(
        f"refresh: {found.model} (k = {found.k}) chosen by AIC {found.aic:,.0f} over "
        f"{scored.other.model} {scored.other.aic:,.0f}; {scored.overdue.sum():,} overdue, "
        f"{scored.drifting.sum():,} drifting"
    )
    print(
        f"  fit both and score {fitted - began:.1f} s, returns and cohorts {done - fitted:.1f} s:"
        f" {done - began:.1f} s in all, peak RSS {memory.peak:,.0f} MiB"
        f" (+{memory.peak - memory.start:,.0f})"
    )
    print(f"  target ≤ 60 s: {'met' if done - began <= 60 else 'NOT met'}; ≤ 2 GiB: "
          f"{'met' if memory.peak <= 2048 else 'NOT met'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--model", choices=[BGNBD, MBGCNBD], default=BGNBD)
    parser.add_argument("--refresh", action="store_true")
    options = parser.parse_args()

    who, days = visits(options.customers)
    print(f"{options.customers:,} customers, {len(days):,} visit rows over {WINDOW} days")
    if options.refresh:
        refresh(who, days)
        return
    with RssSampler() as memory:
        began = time.perf_counter()
        _codes, summary = visit_summary(who, days, until=WINDOW - 1, period=7)
        summarised = time.perf_counter()
        found = fit(summary, model=options.model)
        fitted = time.perf_counter()
        alive = p_alive(found, summary)
        expected = expected_visits(found, summary, 52)
        scored = time.perf_counter()
    took = scored - began
    print(
        f"manyi {found.model} (k = {found.k}): r {found.r:.4f}, alpha {found.alpha:.4f}, "
        f"a {found.a:.4f}, b {found.b:.4f}, LL {found.log_likelihood:,.1f}"
    )
    print(
        f"  summary {summarised - began:.1f} s, fit {fitted - summarised:.1f} s, "
        f"score {scored - fitted:.1f} s: {took:.1f} s in all, "
        f"peak RSS {memory.peak:,.0f} MiB (+{memory.peak - memory.start:,.0f}); "
        f"mean P(alive) {alive.mean():.3f}, next 52 weeks {expected.sum():,.0f} visits"
    )
    print(f"  target ≤ 60 s: {'met' if took <= 60 else 'NOT met'}; ≤ 2 GiB: "
          f"{'met' if memory.peak <= 2048 else 'NOT met'}")  # fmt: skip
    if options.model != BGNBD:
        return
    try:
        import pandas as pd
        from lifetimes import BetaGeoFitter
    except ImportError:
        print("lifetimes is not installed: no baseline (pip install -e '.[test]')")
        return
    frame = pd.DataFrame({"x": summary.x, "t_x": summary.t_x, "T": summary.T})
    began = time.perf_counter()
    theirs = BetaGeoFitter().fit(frame["x"], frame["t_x"], frame["T"])
    theirs.conditional_probability_alive(frame["x"], frame["t_x"], frame["T"])
    theirs.conditional_expected_number_of_purchases_up_to_time(
        52, frame["x"], frame["t_x"], frame["T"]
    )
    baseline = time.perf_counter() - began
    mine = np.array([found.r, found.alpha, found.a, found.b])
    agree = np.allclose(mine, theirs.params_.to_numpy(), rtol=1e-3, atol=0)
    print(
        f"lifetimes BG/NBD fit and score of the same summary: {baseline:.1f} s "
        f"(without manyi's summary step); parameters {'agree' if agree else 'DIFFER'} to 1e-3"
    )
    print(f"ratio (lifetimes ÷ manyi fit and score): {baseline / (scored - summarised):.1f}×")


if __name__ == "__main__":
    main()
