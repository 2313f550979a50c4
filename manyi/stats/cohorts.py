"""Loyalty as behaviour: who came back, and how each month's new customers stayed.

Two measures over visits (an entity number and a day number each):

- **Return within a horizon**: a visit on day d is *returned* when the same entity visits
  again on a day in (d, d + h]; it is *decided* once that whole window has passed by
  ``until``. Only decided visits count, returned or not: counting a recent visit once
  its customer came back, but not while they might still come, would make the recent
  months look better than they are.
- **Cohort retention** (the usual acquisition-cohort table): an entity's cohort is the
  month of its first visit; the share of the cohort with a visit in its m-th month after
  (m = 0 is the cohort month itself, always 1). Offsets past ``until`` are unknown (NaN).
"""

from dataclasses import dataclass

import numpy as np

UNDECIDED = -1


def returned_within(entity: np.ndarray, day: np.ndarray, *, horizon: int, until: int) -> np.ndarray:
    """For each visit (in the order given) whose ``horizon`` days have passed by day
    ``until``: 1 if the entity visits again within them, else 0; ``UNDECIDED`` (−1) for a
    visit whose window is not over. Visits on the same day of one entity are one visit: a
    second visit on the same day is not a return."""
    entity = np.asarray(entity, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    order = np.lexsort((day, entity))
    e, d = entity[order], day[order]
    # Runs of one entity's visits on one day; after a run, the entity's next later day.
    new_run = np.r_[True, (e[1:] != e[:-1]) | (d[1:] != d[:-1])]
    starts, run = np.flatnonzero(new_run), np.cumsum(new_run) - 1
    after = np.r_[starts[1:], len(d)]  # the row after each run
    has_next = after < len(d)
    has_next[has_next] = e[after[has_next]] == e[starts[has_next]]
    next_run_day = np.full(len(starts), np.iinfo(np.int64).max // 2)
    next_run_day[has_next] = d[after[has_next]]
    next_day = next_run_day[run]
    came = next_day - d <= horizon
    result = np.where(d + horizon <= until, came.astype(np.int64), UNDECIDED)
    out = np.empty(len(d), dtype=np.int64)
    out[order] = result
    return out


@dataclass(frozen=True)
class CohortTable:
    groups: np.ndarray  # the group of each cohort (all 0 without groups)
    cohorts: np.ndarray  # the month number of each cohort, ascending within a group
    seen: np.ndarray  # cohorts × offsets: entities of the cohort seen in that month

    @property
    def sizes(self) -> np.ndarray:
        return self.seen[:, 0] if len(self.seen) else np.zeros(0)

    def share(self, until: int) -> np.ndarray:
        """The share of each cohort seen at each offset; NaN for months after ``until``."""
        offsets = self.seen.shape[1]
        share = self.seen / np.maximum(self.sizes, 1)[:, None]
        share[self.cohorts[:, None] + np.arange(offsets)[None, :] > until] = np.nan
        return share


def cohort_retention(
    entity: np.ndarray,
    month: np.ndarray,
    *,
    until: int,
    offsets: int,
    group: np.ndarray | None = None,
) -> CohortTable:
    """Cohort retention over month numbers (year × 12 + month − 1): for each cohort (the
    month of an entity's first visit up to ``until``), how many of its entities visit in
    each of the ``offsets`` months from that first one. ``group`` (per visit) splits the
    cohorts further: an entity belongs to the group of its first visit (of the earliest
    row given for that month)."""
    entity = np.asarray(entity, dtype=np.int64)
    month = np.asarray(month, dtype=np.int64)
    group = np.zeros(len(entity), np.int64) if group is None else np.asarray(group, np.int64)
    kept = month <= until
    entity, month, group = entity[kept], month[kept], group[kept]
    if not len(entity):
        empty = np.zeros(0, np.int64)
        return CohortTable(empty, empty, np.zeros((0, offsets), np.int64))
    order = np.lexsort((month, entity))  # by entity, then month: the first row is the cohort
    entity, month, group = entity[order], month[order], group[order]
    new_entity = np.r_[True, entity[1:] != entity[:-1]]
    starts, index = np.flatnonzero(new_entity), np.cumsum(new_entity) - 1
    first, first_group = month[starts], group[starts]
    offset = month - first[index]
    keys, cohort_of = np.unique(first_group * (until + 1) + first, return_inverse=True)
    inside = offset < offsets
    pairs = np.unique(index[inside] * offsets + offset[inside])  # each entity once a month
    who, off = pairs // offsets, pairs % offsets
    seen = np.zeros((len(keys), offsets), np.int64)
    np.add.at(seen, (cohort_of[who], off), 1)
    return CohortTable(keys // (until + 1), keys % (until + 1), seen)
