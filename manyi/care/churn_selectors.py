"""Reads of churn risk, win-back and retention, always within the units the reader sees."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext

from manyi.care.models import (
    OPEN_WINBACK,
    Attitude,
    ChurnPolicy,
    ChurnRisk,
    ChurnRun,
    CohortCell,
    LossReason,
    LoyaltyCell,
    ReturnCell,
    WinBack,
    WinBackStatus,
)
from manyi.care.retention_cells import MONTH_DAYS
from manyi.customers.models import Tier
from manyi.org.models import Unit
from manyi.org.selectors import sees_network, visible_unit_filter

RISK_BANDS = (1, 2, 3)  # reasons: one, two, three or more


def _within(user: Any, unit: Unit | None) -> Q:
    where = visible_unit_filter(user)
    if unit is not None:
        where &= Q(unit__path__startswith=unit.path)
    return where


def risk_list(
    user: Any,
    *,
    unit: Unit | None = None,
    tier: str = "",
    reason: str = "",
    band: int | None = None,
) -> QuerySet[ChurnRisk]:
    """Whom to call first: most reasons first, then the most valuable, then the least
    likely to still be a customer; each row with its open win-back task in the user's
    part (``winback_id``) or whether another unit is calling (``called_elsewhere``)."""
    rows = ChurnRisk.objects.filter(_within(user, unit))
    if tier:
        rows = rows.filter(tier=tier)
    if reason:
        # The code as a quoted string in the stored list: plain words, never a prefix of
        # another inside quotes; the same text match on SQLite and PostgreSQL.
        rows = rows.filter(reasons__icontains=f'"{reason}"')
    if band is not None:
        rows = rows.filter(reason_count__gte=band)
        if band < RISK_BANDS[-1]:
            rows = rows.filter(reason_count=band)
    open_tasks = WinBack.objects.filter(
        customer_id=OuterRef("customer_id"), status__in=OPEN_WINBACK
    )
    return (
        rows.select_related("customer", "asset", "unit")
        .annotate(
            winback_id=Subquery(open_tasks.filter(visible_unit_filter(user)).values("pk")[:1]),
            called_elsewhere=Exists(open_tasks.exclude(visible_unit_filter(user)))
            if not sees_network(user)
            else Value(False),
        )
        .order_by("-reason_count", "tier_rank", "p_alive", "pk")
    )


def risk_matrix(user: Any, *, unit: Unit | None = None) -> list[dict[str, Any]]:
    """Value × risk: for each tier, the customers on the list with one, two, three or
    more reasons — the cells a store starts its calls from."""
    counts: dict[tuple[str, int], int] = {}
    rows = (
        ChurnRisk.objects.filter(_within(user, unit))
        .order_by()
        .values_list("tier", "reason_count")
        .annotate(n=Count("pk"))
    )
    for tier, reasons, n in rows:
        band = min(reasons, RISK_BANDS[-1])
        counts[tier, band] = counts.get((tier, band), 0) + n
    return [
        {
            "tier": tier,
            "label": label,
            "cells": [(band, counts.get((tier, band), 0)) for band in RISK_BANDS],
        }
        for tier, label in Tier.choices
    ]


def last_run() -> ChurnRun | None:
    """The latest run that rebuilt the list."""
    return ChurnRun.objects.filter(finished_at__isnull=False, error="").order_by("-run_on").first()


def failed_run() -> ChurnRun | None:
    """The latest run, when it could not rebuild the list (too little history)."""
    latest = ChurnRun.objects.filter(finished_at__isnull=False).order_by("-run_on").first()
    return latest if latest is not None and latest.error else None


def decided_window(today: date, policy: ChurnPolicy) -> tuple[date, date]:
    """The last year of visits whose months after have passed by ``today``: the visits
    whose return is known."""
    until = today - timedelta(days=round(policy.return_months * MONTH_DAYS))
    return (until - timedelta(days=365)).replace(day=1), until


def winback_list(
    user: Any, *, status: str = "", mine: bool = False, unit: Unit | None = None
) -> QuerySet[WinBack]:
    tasks = WinBack.objects.filter(_within(user, unit))
    if status == "open":
        tasks = tasks.filter(status__in=OPEN_WINBACK)
    elif status:
        tasks = tasks.filter(status=status)
    if mine:
        tasks = tasks.filter(assignee=user)
    return tasks.select_related("customer", "asset", "unit", "assignee").order_by(
        "-opened_at", "-pk"
    )


def winbacks_waiting(user: Any) -> QuerySet[WinBack]:
    """The win-back calls waiting for the user: open tasks given to them, oldest first."""
    return (
        WinBack.objects.filter(visible_unit_filter(user), assignee=user, status=WinBackStatus.OPEN)
        .select_related("customer", "unit")
        .order_by("opened_at", "pk")
    )


@dataclass(frozen=True)
class ParetoBar:
    reason: str
    label: str
    count: int
    share: float
    cumulative: float


def loss_pareto(user: Any, *, since: date, unit: Unit | None = None) -> list[ParetoBar]:
    """The reasons for loss of the customers lost since ``since``, most frequent first,
    with the cumulative share (the Pareto of why customers leave)."""
    counts = (
        WinBack.objects.filter(_within(user, unit), status=WinBackStatus.LOST)
        .filter(closed_at__date__gte=since)
        .order_by()
        .values_list("loss_reason")
        .annotate(n=Count("pk"))
    )
    labels = {**dict(LossReason.choices), "": gettext("Not given")}
    found = sorted(counts, key=lambda row: (-row[1], row[0]))
    total = sum(n for _reason, n in found)
    bars, running = [], 0
    for reason, n in found:
        running += n
        bars.append(ParetoBar(reason, str(labels[reason]), n, n / total, running / total))
    return bars


@dataclass(frozen=True)
class ReturnRow:
    unit: Unit
    visits: int
    decided: int
    returned: int
    returned_here: int

    @property
    def share(self) -> float | None:
        return self.returned / self.decided if self.decided else None

    @property
    def share_here(self) -> float | None:
        return self.returned_here / self.decided if self.decided else None


def returns_by_unit(
    user: Any, *, since: date, until: date, unit: Unit | None = None, tier: str = ""
) -> list[ReturnRow]:
    """Per unit, the visits from ``since`` to ``until`` (whole months) and the share of
    the decided ones whose customer came back within the policy's months — anywhere in
    the network and to the same unit. Lowest share first."""
    cells = ReturnCell.objects.filter(_within(user, unit), month__gte=since, month__lte=until)
    if tier:
        cells = cells.filter(tier=tier)
    sums = cells.order_by().values("unit").annotate(
        visits=Sum("visits"), decided=Sum("decided"), returned=Sum("returned"),
        returned_here=Sum("returned_here"),
    )  # fmt: skip
    units = Unit.objects.in_bulk([row["unit"] for row in sums])
    rows = [
        ReturnRow(units[row["unit"]], row["visits"], row["decided"], row["returned"],
                  row["returned_here"])
        for row in sums
    ]  # fmt: skip
    return sorted(rows, key=lambda row: (row.share is None, row.share or 0, row.unit.code))


def returns_by_month(user: Any, *, unit: Unit | None = None) -> list[dict]:
    """The share returned, month by month, over the months with decided visits."""
    sums = (
        ReturnCell.objects.filter(_within(user, unit), decided__gt=0)
        .order_by("month")
        .values("month")
        .annotate(decided=Sum("decided"), returned=Sum("returned"))
    )
    return [
        {**row, "share": row["returned"] / row["decided"] if row["decided"] else None}
        for row in sums
    ]


def cohort_table(
    user: Any, *, since: date, unit: Unit | None = None, tier: str = ""
) -> list[dict[str, Any]]:
    """Each monthly cohort since ``since``: its size and the share seen in each month
    after its first (None where that month has not come yet)."""
    cells = CohortCell.objects.filter(_within(user, unit), cohort__gte=since)
    if tier:
        cells = cells.filter(tier=tier)
    sums = cells.order_by().values_list("cohort", "offset").annotate(n=Sum("customers"))
    by_cohort: dict[date, dict[int, int]] = {}
    for cohort, offset, n in sums:
        by_cohort.setdefault(cohort, {})[offset] = n
    run = last_run()
    today = run.run_on if run else date.today()
    rows = []
    for cohort in sorted(by_cohort):
        seen = by_cohort[cohort]
        size = seen.get(0, 0)
        months_since = (today.year - cohort.year) * 12 + today.month - cohort.month
        shares = [
            seen.get(offset, 0) / size if size and offset <= months_since else None
            for offset in range(1, 13)
        ]
        rows.append({"cohort": cohort, "size": size, "shares": shares})
    return rows


def loyalty_matrix(user: Any, *, unit: Unit | None = None) -> list[dict[str, Any]]:
    """Tier × what the customers said (their latest NPS answer): how many, and the share
    of their visits followed by another within the policy's months — attitude beside
    behaviour."""
    sums = (
        LoyaltyCell.objects.filter(_within(user, unit))
        .order_by()
        .values_list("tier", "attitude")
        .annotate(n=Sum("customers"), decided=Sum("decided"), returned=Sum("returned"))
    )
    found = {(tier, said): (n, d, r) for tier, said, n, d, r in sums}
    rows = []
    for tier, label in Tier.choices:
        cells = []
        for said in Attitude.values:
            n, decided, returned = found.get((tier, said), (0, 0, 0))
            cells.append({"customers": n, "share": returned / decided if decided else None})
        rows.append({"tier": tier, "label": label, "cells": cells})
    return rows


def customer_churn(customer: Any, *, limit: int, units: Any) -> list[dict[str, Any]]:
    """The customer card's churn entries (a timeline source): tonight's row on the risk
    list with its reasons, and the win-back tasks with how they ended."""
    risks = ChurnRisk.objects.filter(customer=customer).select_related("asset", "unit")
    tasks = customer.winbacks.select_related("unit", "assignee")
    if units is not None:
        risks, tasks = risks.filter(unit__in=units), tasks.filter(unit__in=units)
    entries = [
        {
            "at": timezone.make_aware(datetime.combine(risk.refreshed_on, time.min)),
            "type": "churn_risk",
            "template": "care/_timeline_risk.html",
            "risk": risk,
        }
        for risk in risks[:limit]
    ]
    entries += [
        {
            "at": task.closed_at or task.opened_at,
            "type": "winback",
            "template": "care/_timeline_winback.html",
            "winback": task,
        }
        for task in tasks.order_by("-opened_at")[:limit]
    ]
    return entries
