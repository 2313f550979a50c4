"""Come-backs worked by hand, and against a plain loop over random jobs."""

import numpy as np
import pytest

from manyi.stats.comebacks import UNDECIDED, came_back

DAY = 86400.0


def _naive(entity, opened, closed, window, until):
    out = []
    for i in range(len(entity)):
        if np.isnan(closed[i]) or closed[i] + window > until:
            out.append(UNDECIDED)
            continue
        later = [opened[j] for j in range(len(entity))
                 if entity[j] == entity[i] and opened[j] > closed[i]]  # fmt: skip
        out.append(int(bool(later) and min(later) - closed[i] <= window))
    return out


def test_the_edges_of_the_window_and_of_a_visit():
    # car 1: back exactly 30 days after handover → a come-back (the window includes its end)
    # car 2: back 30 days and a second later → fixed
    # car 3: two orders of one visit (the second opened before the first closed) → neither
    #        is a return of the other; the visit is fixed
    # car 4: back the same afternoon → a come-back; the return itself still open → undecided
    # car 5: handed over 10 days before ``until`` → its window is not over
    entity = np.array([1, 1, 2, 2, 3, 3, 4, 4, 5])
    opened = np.array([0, 30, 0, 30, 0, 0.5, 0, 0.5, 90]) * DAY + [0, 0, 0, 1, 0, 0, 0, 0, 0]
    closed = np.array([0, 31, 0, 31, 1, 0.8, 0.25, np.nan, 90]) * DAY
    flags = came_back(entity, opened, closed, window=30 * DAY, until=100 * DAY)
    assert flags.tolist() == [1, 0, 0, 0, 0, 0, 1, UNDECIDED, UNDECIDED]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_agrees_with_a_plain_loop(seed):
    rng = np.random.default_rng(seed)
    n = 300
    entity = rng.integers(0, 40, n)
    opened = rng.uniform(0, 200, n).round(2) * DAY
    closed = opened + rng.uniform(0, 3, n) * DAY
    closed[rng.random(n) < 0.05] = np.nan
    flags = came_back(entity, opened, closed, window=30 * DAY, until=180 * DAY)
    assert flags.tolist() == _naive(entity, opened, closed, 30 * DAY, 180 * DAY)
