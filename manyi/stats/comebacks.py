"""Come-backs: whether a job had to be done again — a repair whose vehicle was brought
back for another repair soon after it was handed over (车辆一次性修复率 is the share that
was not). Pure NumPy; times are numbers (seconds), so the caller fixes the clock.

A job *came back* when another job of the same entity (the vehicle) was opened after it
closed and no more than ``window`` later; jobs opened before it closed overlap it (two
orders of one visit) and are not a return. A job is decided once its window is over by
``until``; a job not closed yet, or whose window runs past ``until``, is ``UNDECIDED``.
"""

import numpy as np

UNDECIDED = -1
SHIFT = 2**33  # seconds per entity slot in the combined sort key (over 270 years)


def came_back(
    entity: np.ndarray, opened: np.ndarray, closed: np.ndarray, *, window: float, until: float
) -> np.ndarray:
    """For each job: 1 if it came back within ``window``, 0 if not, ``UNDECIDED`` when
    it is not closed (``closed`` NaN) or its window is not over by ``until``."""
    entity = np.asarray(entity, dtype=np.int64)
    opened = np.asarray(opened, dtype=float)
    closed = np.asarray(closed, dtype=float)
    if len(entity) == 0:
        return np.zeros(0, dtype=np.int64)
    base = float(np.nanmin(opened))
    key = entity * SHIFT + (opened - base)
    order = np.argsort(key, kind="stable")
    sorted_key, sorted_entity, sorted_opened = key[order], entity[order], opened[order]
    done = ~np.isnan(closed)
    probe = entity * SHIFT + (np.where(done, closed, base) - base)
    # The first job of the same entity opened strictly after this one closed.
    nxt = np.searchsorted(sorted_key, probe, side="right")
    has_next = nxt < len(entity)
    has_next[has_next] = sorted_entity[nxt[has_next]] == entity[has_next]
    gap = np.full(len(entity), np.inf)
    gap[has_next] = sorted_opened[nxt[has_next]] - closed[has_next]
    came = (gap <= window).astype(np.int64)
    decided = done & (closed + window <= until)
    return np.where(decided, came, UNDECIDED)
