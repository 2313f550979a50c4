"""Customer value tiers by the 80/20 rule (客户等级分类): rank by revenue, cut by share."""

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record, changed_fields
from manyi.customers.models import Customer, ServiceEvent, Tier, TierChange, TierPolicy
from manyi.errors import DomainError
from manyi.org.permissions import may_manage_tiers

TIER_ORDER = [Tier.SUPER_HEAVYWEIGHT, Tier.HEAVYWEIGHT, Tier.SUB_HEAVYWEIGHT, Tier.LIGHTWEIGHT]


class TierPolicyError(DomainError):
    pass


@dataclass(frozen=True)
class TierRow:
    tier: str
    label: str
    customers: int
    revenue: Decimal
    customer_share: float
    revenue_share: float


@transaction.atomic
def tier_policy_update(
    *,
    actor: Any,
    window_months: int,
    super_heavyweight_share: Decimal,
    heavyweight_share: Decimal,
    sub_heavyweight_share: Decimal,
) -> TierPolicy:
    """Change the window and the cumulative customer shares that bound each tier."""
    if actor is not None and not may_manage_tiers(actor):
        raise TierPolicyError(_("Only HQ may change the tier policy."))
    if not 0 < super_heavyweight_share <= heavyweight_share <= sub_heavyweight_share <= 100:
        raise TierPolicyError(
            _(
                "Shares must rise from super-heavyweight to sub-heavyweight, "
                "each between 0 and 100 %."
            )
        )
    if not 1 <= window_months <= 120:
        raise TierPolicyError(_("The window must be between 1 and 120 months."))
    policy = TierPolicy.current()
    changes = changed_fields(
        policy,
        {
            "window_months": window_months,
            "super_heavyweight_share": super_heavyweight_share,
            "heavyweight_share": heavyweight_share,
            "sub_heavyweight_share": sub_heavyweight_share,
        },
    )
    policy.save()
    audit_record(actor=actor, action="tier_policy_update", obj=policy, changes=changes)
    return policy


@transaction.atomic
def tiers_recompute(*, actor: Any = None) -> list[TierRow]:
    """Sum each customer's revenue over the rolling window and assign the four tiers.

    Customers are ranked by that revenue; the top ``super_heavyweight_share`` % of
    all customers are super-heavyweight, up to ``heavyweight_share`` % heavyweight,
    up to ``sub_heavyweight_share`` % sub-heavyweight, the rest lightweight. Ties at
    a cut go to the higher tier; a customer with no revenue is always lightweight.
    Runs as three set-based UPDATEs, so it scales with the database, not with Python.
    """
    policy = TierPolicy.current()
    since = timezone.now() - timedelta(days=round(policy.window_months * 30.44))
    revenue = (
        ServiceEvent.objects.filter(customer=OuterRef("pk"), opened_at__gte=since)
        .order_by()
        .values("customer")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    Customer.objects.update(
        window_revenue=Coalesce(
            Subquery(revenue, output_field=money), Value(Decimal(0)), output_field=money
        )
    )
    total = Customer.objects.count()
    shares = [
        policy.super_heavyweight_share,
        policy.heavyweight_share,
        policy.sub_heavyweight_share,
    ]
    whens = []
    for tier, share in zip(TIER_ORDER, shares, strict=False):
        rank = math.ceil(total * float(share) / 100)
        if rank == 0:
            continue
        cut = Customer.objects.order_by("-window_revenue").values_list("window_revenue", flat=True)[
            rank - 1
        ]
        whens.append(When(Q(window_revenue__gte=cut) & Q(window_revenue__gt=0), then=Value(tier)))
    new_tier = Case(*whens, default=Value(Tier.LIGHTWEIGHT))
    _record_moves(new_tier)
    Customer.objects.update(tier=new_tier)
    policy.last_run_at = timezone.now()
    policy.save(update_fields=["last_run_at"])
    summary = tier_summary()
    audit_record(
        actor=actor,
        action="tiers_recompute",
        obj=policy,
        changes={row.tier: row.customers for row in summary},
    )
    return summary


def _record_moves(new_tier: Any) -> None:
    """Keep who moves up or down in this run (a customer's tier history), in batches."""
    now = timezone.now()
    moves = (
        Customer.objects.annotate(new_tier=new_tier)
        .exclude(new_tier=F("tier"))
        .values_list("pk", "tier", "new_tier")
        .order_by("pk")
    )
    batch: list[TierChange] = []
    for pk, old, new in moves.iterator(chunk_size=5000):
        batch.append(TierChange(customer_id=pk, old_tier=old, new_tier=new, changed_at=now))
        if len(batch) == 5000:
            TierChange.objects.bulk_create(batch)
            batch = []
    TierChange.objects.bulk_create(batch)


def tier_summary(customers: Any = None) -> list[TierRow]:
    """Customers and revenue per tier, with their shares: the 80/20 check."""
    customers = Customer.objects.all() if customers is None else customers
    rows = {
        row["tier"]: row
        for row in customers.order_by()
        .values("tier")
        .annotate(n=Count("id"), revenue=Sum("window_revenue"))
    }
    n_all = sum(row["n"] for row in rows.values()) or 1
    revenue_all = sum((row["revenue"] or 0) for row in rows.values()) or 1
    result = []
    for tier in TIER_ORDER:
        row = rows.get(tier, {"n": 0, "revenue": 0})
        result.append(
            TierRow(
                tier=tier,
                label=str(tier.label),
                customers=row["n"],
                revenue=Decimal(row["revenue"] or 0),
                customer_share=row["n"] / n_all,
                revenue_share=float(row["revenue"] or 0) / float(revenue_all),
            )
        )
    return result
