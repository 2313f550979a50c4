"""The retention figures as additive cells, rebuilt each night from the visits: a report
over any set of units sums the cells of those units (no scan of the visits)."""

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from manyi.bulk import insert_many
from manyi.care.models import Attitude, ChurnPolicy, CohortCell, LoyaltyCell, ReturnCell
from manyi.customers.models import Customer, Tier
from manyi.stats.cohorts import UNDECIDED, cohort_retention, returned_within

if TYPE_CHECKING:
    from manyi.care.churn import Visits

COHORT_MONTHS = 13  # the cohort month and the twelve after it; the last 13 cohorts kept
MONTH_DAYS = 30.4375
TIERS = list(Tier.values)
ATTITUDES = list(Attitude.values)


def month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_start(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


def _months(days: np.ndarray) -> np.ndarray:
    distinct, index = np.unique(days, return_inverse=True)
    numbers = np.array([month_number(date.fromordinal(int(d))) for d in distinct], np.int64)
    return numbers[index.ravel()] if len(days) else np.zeros(0, np.int64)


def _tiers_of(customers: np.ndarray) -> np.ndarray:
    """The number (in TIERS) of each customer's current tier."""
    pks, tiers = zip(*Customer.objects.values_list("pk", "tier").order_by("pk"), strict=True)
    pks_a = np.asarray(pks, np.int64)
    codes = np.asarray([TIERS.index(tier) for tier in tiers], np.int64)
    return codes[np.searchsorted(pks_a, customers)]


def _grouped(keys: np.ndarray, *columns: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    distinct, index = np.unique(keys, return_inverse=True)
    index = index.ravel()
    return distinct, [np.bincount(index, weights=c, minlength=len(distinct)) for c in columns]


def cells_rebuild(
    visits: "Visits", attitude: dict[int, str], *, until: int,
    policy: ChurnPolicy,
) -> None:  # fmt: skip
    """Replace the return, cohort and loyalty cells (inside the caller's transaction)."""
    ReturnCell.objects.all().delete()
    CohortCell.objects.all().delete()
    LoyaltyCell.objects.all().delete()
    if not len(visits.day):
        return
    horizon = round(policy.return_months * MONTH_DAYS)
    came = returned_within(visits.at, visits.day, horizon=horizon, until=until)
    span = int(visits.unit.max()) + 1
    here = returned_within(visits.at * span + visits.unit, visits.day, horizon=horizon,
                           until=until)  # fmt: skip
    month = _months(visits.day)
    tier = _tiers_of(visits.customer)
    _return_cells(visits, month, tier, came, here)
    _cohort_cells(visits, month, tier, until_month=month_number(date.fromordinal(until)))
    _loyalty_cells(visits, tier, came, attitude)


def _return_cells(
    visits: "Visits", month: np.ndarray, tier: np.ndarray, came: np.ndarray, here: np.ndarray
) -> None:
    months = int(month.max()) + 1
    key = (visits.unit * months + month) * len(TIERS) + tier
    decided = (came != UNDECIDED).astype(float)
    keys, (count, decided_n, returned, returned_here) = _grouped(
        key, np.ones(len(key)), decided, (came == 1).astype(float), (here == 1).astype(float)
    )
    rows = [
        {
            "unit_id": int(k // len(TIERS) // months),
            "month": month_start(int(k // len(TIERS) % months)),
            "tier": TIERS[int(k % len(TIERS))],
            "visits": int(count[i]),
            "decided": int(decided_n[i]),
            "returned": int(returned[i]),
            "returned_here": int(returned_here[i]),
        }
        for i, k in enumerate(keys)
    ]
    insert_many(ReturnCell, rows)


def _cohort_cells(
    visits: "Visits", month: np.ndarray, tier: np.ndarray, *, until_month: int
) -> None:
    # A customer's cohort is the unit of their first visit: give the rows in day order.
    order = np.argsort(visits.day, kind="stable")
    group = visits.unit * len(TIERS) + tier
    table = cohort_retention(
        visits.at[order], month[order], until=until_month, offsets=COHORT_MONTHS,
        group=group[order],
    )  # fmt: skip
    recent = table.cohorts > until_month - COHORT_MONTHS  # the cohorts the report shows
    rows = []
    for i in np.flatnonzero(recent).tolist():
        unit_id, tier = divmod(int(table.groups[i]), len(TIERS))
        for offset in np.flatnonzero(table.seen[i]).tolist():
            rows.append(
                {
                    "unit_id": unit_id,
                    "tier": TIERS[tier],
                    "cohort": month_start(int(table.cohorts[i])),
                    "offset": offset,
                    "customers": int(table.seen[i, offset]),
                }
            )
    insert_many(CohortCell, rows)


def _loyalty_cells(
    visits: "Visits", tier: np.ndarray, came: np.ndarray, attitude: dict[int, str]
) -> None:
    """Per customer: the unit of their latest visit, their tier and latest NPS class,
    and their decided and returned visits."""
    ids, customer_of_visit = np.unique(visits.customer, return_inverse=True)
    customer_of_visit = customer_of_visit.ravel()
    decided = np.bincount(customer_of_visit, weights=came != UNDECIDED, minlength=len(ids))
    returned = np.bincount(customer_of_visit, weights=came == 1, minlength=len(ids))
    last = np.lexsort((visits.day, customer_of_visit))
    last_row = last[np.r_[np.flatnonzero(np.diff(customer_of_visit[last])), len(last) - 1]]
    unit = visits.unit[last_row]
    customer_tier = tier[last_row]
    said = np.array(
        [ATTITUDES.index(attitude.get(int(pk), Attitude.UNKNOWN)) for pk in ids], np.int64
    )
    key = (unit * len(TIERS) + customer_tier) * len(ATTITUDES) + said
    keys, (customers, decided_n, returned_n) = _grouped(key, np.ones(len(ids)), decided, returned)
    rows = [
        {
            "unit_id": int(k // len(ATTITUDES) // len(TIERS)),
            "tier": TIERS[int(k // len(ATTITUDES) % len(TIERS))],
            "attitude": ATTITUDES[int(k % len(ATTITUDES))],
            "customers": int(customers[i]),
            "decided": int(decided_n[i]),
            "returned": int(returned_n[i]),
        }
        for i, k in enumerate(keys)
    ]
    insert_many(LoyaltyCell, rows)
