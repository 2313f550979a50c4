"""Returns and cohort retention, checked against a plain pandas computation of the same
definitions (an independent implementation) on seeded visits."""

import numpy as np
import pandas as pd
import pytest

from manyi.stats.cohorts import UNDECIDED, cohort_retention, returned_within


@pytest.fixture(scope="module")
def visits():
    rng = np.random.default_rng(5)
    n = 4000
    entity = rng.integers(0, 600, n)
    day = rng.integers(0, 900, n)
    return entity, day


def test_a_visit_returns_when_the_same_customer_comes_again_within_the_horizon(visits):
    entity, day = visits
    until, horizon = 800, 365
    got = returned_within(entity, day, horizon=horizon, until=until)
    frame = pd.DataFrame({"e": entity, "d": day})
    expected = []
    for e, d in zip(entity, day, strict=True):
        later = frame.d[(frame.e == e) & (frame.d > d)]
        if d + horizon > until:
            expected.append(UNDECIDED)  # its year is not over: not counted either way
        else:
            expected.append(int(bool(len(later)) and later.min() - d <= horizon))
    assert got.tolist() == expected


def test_a_second_visit_on_the_same_day_is_not_a_return():
    got = returned_within(np.array([1, 1, 1, 2]), np.array([10, 10, 50, 10]), horizon=30,
                          until=100)  # fmt: skip
    assert got.tolist() == [0, 0, 0, 0]
    got = returned_within(np.array([1, 1, 1]), np.array([10, 10, 30]), horizon=30, until=45)
    assert got.tolist() == [1, 1, UNDECIDED]  # came back, but the last visit's month is open


def test_cohort_retention_matches_a_pandas_cohort_table(visits):
    entity, day = visits
    month = day // 30
    table = cohort_retention(entity, month, until=27, offsets=12)
    share = table.share(27)
    frame = pd.DataFrame({"e": entity, "m": month})
    frame = frame[frame.m <= 27]
    frame["cohort"] = frame.groupby("e").m.transform("min")
    frame["offset"] = frame.m - frame.cohort
    sizes = frame.groupby("cohort").e.nunique()
    seen = frame[frame.offset < 12].groupby(["cohort", "offset"]).e.nunique().unstack()
    expected = seen.reindex(columns=range(12)).fillna(0).div(sizes, axis=0)
    assert table.cohorts.tolist() == sizes.index.tolist()
    assert table.sizes.tolist() == sizes.tolist()
    for row, cohort in enumerate(table.cohorts):
        for offset in range(12):
            if cohort + offset > 27:
                assert np.isnan(share[row, offset])
            else:
                assert share[row, offset] == pytest.approx(expected.loc[cohort, offset])
    assert np.all(share[:, 0] == 1)


def test_no_visits_give_an_empty_table():
    table = cohort_retention(np.zeros(0), np.zeros(0), until=5, offsets=3)
    assert table.seen.shape == (0, 3)


def test_groups_split_the_cohorts_by_where_each_customer_first_came(visits):
    entity, day = visits
    month = day // 30
    group = entity % 3  # each entity always in one group here
    split = cohort_retention(entity, month, until=27, offsets=6, group=group)
    for g in range(3):
        alone = cohort_retention(entity[group == g], month[group == g], until=27, offsets=6)
        mine = split.groups == g
        assert split.cohorts[mine].tolist() == alone.cohorts.tolist()
        assert split.seen[mine].tolist() == alone.seen.tolist()
    whole = cohort_retention(entity, month, until=27, offsets=6)
    assert split.seen.sum(axis=0).tolist() == whole.seen.sum(axis=0).tolist()


def test_a_customer_counts_for_the_group_of_their_first_row():
    """Given in day order, the first row is the first visit: a customer who came to
    group 2 on the 3rd and to group 1 on the 20th of one month is group 2's."""
    table = cohort_retention(np.array([7, 7]), np.array([5, 5]), until=5, offsets=1,
                             group=np.array([2, 1]))  # fmt: skip
    assert table.groups.tolist() == [2] and table.seen.tolist() == [[1]]
