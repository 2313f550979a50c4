"""The nightly churn refresh: fit the visit model on every customer's visit history, name
each customer's reasons to worry, rebuild the risk list and the retention cells.

What is retained is what visits: a vehicle (its maintenance and repairs), a patient
record, or the customer where the visit names no asset; a visit is a service event of
the kinds the callback care rules count as visits. One worker does it once a day (the
run's day is unique); the list is replaced in one transaction, so readers see the old
list or the new one.
"""

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Func
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record, changed_fields
from manyi.bulk import insert_many
from manyi.care.churn_evidence import Evidence, customer_evidence
from manyi.care.models import (
    TIER_RANK,
    CareRule,
    CareRuleKind,
    ChurnPolicy,
    ChurnRisk,
    ChurnRun,
    RetentionModel,
    RiskReason,
    WinBack,
    WinBackStatus,
)
from manyi.care.retention_cells import cells_rebuild
from manyi.customers.models import Customer, EventKind, ServiceEvent
from manyi.errors import DomainError
from manyi.org.permissions import may_set_churn_policy
from manyi.stats import retention

WEEK = 7.0  # the model's period, in days
YEAR_WEEKS = 365.25 / WEEK
HOLDOUT_DAYS = 182  # the last half year is predicted from the visits before it
LEASE = timedelta(hours=2)  # a run unfinished this long was killed: another may take it
BATCH = 5000


class ChurnError(DomainError):
    """A churn policy that cannot be set."""


def visit_kinds() -> list[str]:
    """The kinds of service event that are visits: those the active callback rules call
    after; where there are none, every kind but a sale."""
    kinds = set()
    rules = CareRule.objects.filter(kind=CareRuleKind.CALLBACK, is_active=True)
    for event_kinds in rules.values_list("event_kinds", flat=True):
        kinds.update(event_kinds)
    return sorted(kinds) or [kind for kind in EventKind.values if kind != EventKind.SALE]


@dataclass(frozen=True)
class Visits:
    """Every visit in the window, one row each: who (customer, asset or 0), where, when."""

    customer: np.ndarray
    asset: np.ndarray
    unit: np.ndarray
    day: np.ndarray  # proleptic ordinal of the local day
    at: np.ndarray  # per visit: the entity (customer × asset) number

    @property
    def entities(self) -> int:
        return int(self.at.max()) + 1 if len(self.at) else 0


class Epoch(Func):
    """A timestamp as whole seconds since 1970 (UTC), computed by the database: integers
    cross to Python far cheaper than datetimes do."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            # %%%%s: the template's formatting and then the driver's each halve the %.
            compiler,
            connection,
            template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)",
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)"
        )


def local_days(seconds: np.ndarray) -> np.ndarray:
    """The local day (proleptic ordinal) of each timestamp in seconds since 1970, in the
    current time zone. Every zone's offset is a whole number of quarter hours, so one
    quarter hour shares its local day: each distinct quarter is converted once."""
    quarter = seconds // 900
    distinct, index = np.unique(quarter, return_inverse=True)
    zone = timezone.get_current_timezone()
    days = np.fromiter(
        (datetime.fromtimestamp(int(q) * 900, zone).date().toordinal() for q in distinct),
        dtype=np.int64,
        count=len(distinct),
    )
    return days[index.ravel()] if len(seconds) else np.zeros(0, np.int64)


def visits_load(*, since: date, until: date) -> Visits:
    """The visits from ``since`` to ``until`` (local days, inclusive), read in chunks
    straight into arrays."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    rows = (
        ServiceEvent.objects.filter(kind__in=visit_kinds(), opened_at__gte=start, opened_at__lt=end)
        .order_by()
        .values_list("customer_id", Coalesce("asset_id", 0), "unit_id", Epoch("opened_at"))
        .iterator(chunk_size=BATCH)
    )
    chunks = []
    while chunk := list(itertools.islice(rows, BATCH)):
        chunks.append(np.array(chunk, dtype=np.int64))
    table = np.concatenate(chunks) if chunks else np.zeros((0, 4), np.int64)
    customer, asset, unit = table[:, 0], table[:, 1], table[:, 2]
    span = int(asset.max()) + 1 if len(asset) else 1
    _keys, at = np.unique(customer * span + asset, return_inverse=True)
    return Visits(customer, asset, unit, local_days(table[:, 3]), at.ravel())


def _fit(
    summary: retention.VisitSummary, model: str
) -> tuple[retention.RetentionFit, retention.RetentionFit | None]:
    """The policy's model, or both and the one with the lower AIC (and the other)."""
    if model != RetentionModel.BEST:
        return retention.fit(summary, model=model), None
    fits = sorted(
        (retention.fit(summary, model=name) for name in (retention.BGNBD, retention.MBGCNBD)),
        key=lambda found: found.aic,
    )
    return fits[0], fits[1]


@dataclass(frozen=True)
class Scored:
    """Each entity's model figures and visit rhythm, and where it was last seen."""

    fit: retention.RetentionFit
    other: retention.RetentionFit | None
    customer: np.ndarray
    asset: np.ndarray
    unit: np.ndarray  # of the last visit
    visits: np.ndarray
    last_day: np.ndarray
    interval_days: np.ndarray
    p_alive: np.ndarray
    expected: np.ndarray  # visits in the next year
    overdue: np.ndarray
    drifting: np.ndarray


def score(visits: Visits, *, until: int, policy: ChurnPolicy) -> Scored:
    """Fit the policy's model and judge every entity: its chance of still being a
    customer, its visits expected in a year, whether it is overdue by its own rhythm
    (days since the last visit above the policy's factor times its mean interval, or
    the usual interval for one seen fewer than three times) and whether the model sees
    it drifting."""
    _codes, summary = retention.visit_summary(visits.at, visits.day, until=until, period=WEEK)
    found, other = _fit(summary, policy.model)
    order = np.lexsort((visits.day, visits.at))
    last_row = order[np.r_[np.flatnonzero(np.diff(visits.at[order])), len(order) - 1]]
    since_last = np.rint((summary.T - summary.t_x) * WEEK)
    # A rhythm needs two gaps at least: one gap may be a repair that came back in days.
    interval = np.where(
        summary.x >= 2,
        summary.t_x * WEEK / np.maximum(summary.x, 1),
        float(policy.usual_interval_days),
    )
    alive = retention.p_alive(found, summary)
    return Scored(
        fit=found,
        other=other,
        customer=visits.customer[last_row],
        asset=visits.asset[last_row],
        unit=visits.unit[last_row],
        visits=(summary.x + 1).astype(np.int64),
        last_day=visits.day[last_row],
        interval_days=np.maximum(np.rint(interval), 1).astype(np.int64),
        p_alive=alive,
        expected=retention.expected_visits(found, summary, YEAR_WEEKS),
        overdue=since_last > float(policy.overdue_factor) * interval,
        drifting=alive < float(policy.drifting_below),
    )


def holdout_check(visits: Visits, *, until: int, model: str, k: int) -> list[dict]:
    """Fit on all but the last half year, predict each entity's visits in it, and set
    the means beside the visits made, by repeat visits before it."""
    cut = until - HOLDOUT_DAYS
    before = visits.day <= cut
    codes, summary = retention.visit_summary(
        visits.at[before], visits.day[before], until=cut, period=WEEK
    )
    found = retention.fit(summary, model=model, k=k if model == retention.MBGCNBD else None)
    predicted = retention.expected_visits(found, summary, HOLDOUT_DAYS / WEEK)
    after = ~before
    # Visits made in the hold-out, a day once, by the entities seen before it.
    days = np.unique(visits.at[after] * (until + 1) + visits.day[after]) // (until + 1)
    made = np.bincount(days, minlength=visits.entities)[codes]
    return [
        {"visits": g.repeat_visits, "entities": g.customers, "predicted": g.predicted,
         "actual": g.actual}
        for g in retention.by_frequency(summary.x, predicted, made)
    ]  # fmt: skip


def _claim(today: date, model: str) -> ChurnRun | None:
    """Today's run for this worker: a new one, or one a worker began over ``LEASE`` ago
    and never finished (it was killed); None when it is done or being done."""
    try:
        with transaction.atomic():
            return ChurnRun.objects.create(run_on=today, model=model)
    except IntegrityError:
        now = timezone.now()
        taken = ChurnRun.objects.filter(
            run_on=today, finished_at__isnull=True, started_at__lt=now - LEASE
        ).update(started_at=now, error="", model=model)
        return ChurnRun.objects.get(run_on=today) if taken else None


def churn_refresh(*, today: date | None = None) -> ChurnRun | None:
    """Tonight's refresh, once a day however many workers ask: None when it has been
    done (or is being done) today. Too little history to fit a model is recorded on the
    run, and yesterday's list stays."""
    today = today or timezone.localdate()
    policy = ChurnPolicy.current()
    run = _claim(today, policy.model)
    if run is None:
        return None
    # The day's windows end with the day, whenever in the night the worker runs.
    end = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    since = today - timedelta(days=30 * policy.lookback_months)
    visits = visits_load(since=since, until=today)
    until = today.toordinal()
    try:
        scored = score(visits, until=until, policy=policy)
    except ValueError as error:  # too little history to fit a model
        run.error = str(error)[:300]
        run.finished_at = timezone.now()
        run.save(update_fields=["error", "finished_at"])
        return run
    try:
        holdout = holdout_check(visits, until=until, model=scored.fit.model, k=scored.fit.k)
    except ValueError:  # under half a year of history: no check yet, the list still stands
        holdout = []
    evidence = customer_evidence(
        policy=policy,
        since=end - timedelta(days=30 * policy.lookback_months),
        reopened_since=end - timedelta(days=policy.complaint_days),
    )
    with transaction.atomic():
        at_risk = _risk_list_rebuild(scored, evidence, today, policy=policy, end=end)
        cells_rebuild(visits, evidence.attitude, until=until, policy=policy)
        found = scored.fit
        run.model, run.k = found.model, found.k
        run.log_likelihood, run.aic = found.log_likelihood, found.aic
        run.other_aic = scored.other.aic if scored.other else None
        run.params = {"r": found.r, "alpha": found.alpha, "a": found.a, "b": found.b}
        run.entities, run.at_risk, run.holdout = len(scored.customer), at_risk, holdout
        run.finished_at = timezone.now()
        run.save()
    return run


def _risk_list_rebuild(
    scored: Scored, evidence: Evidence, today: date, *, policy: ChurnPolicy, end: datetime
) -> int:
    """Replace the list: every entity with a reason — from its visits, from what it said
    and complained of at the store of its last visit, from its own advisor — but those
    recorded as lost lately."""
    tiers = dict(Customer.objects.values_list("pk", "tier"))
    lost_lately = set(
        WinBack.objects.filter(
            status=WinBackStatus.LOST,
            closed_at__gte=end - timedelta(days=policy.lost_quiet_days),
        ).values_list("customer_id", flat=True)
    )
    ChurnRisk.objects.all().delete()
    rows = []
    written = 0
    for i in range(len(scored.customer)):
        customer_id, unit_id = int(scored.customer[i]), int(scored.unit[i])
        tier = tiers.get(customer_id)
        if tier is None or customer_id in lost_lately:  # erased since the visits were read
            continue
        found = [RiskReason.OVERDUE] if scored.overdue[i] else []
        found += [RiskReason.DRIFTING] if scored.drifting[i] else []
        found += evidence.at_unit.get((customer_id, unit_id), [])
        found += evidence.of_customer.get(customer_id, [])
        if not found:
            continue
        rows.append(
            {
                "customer_id": customer_id,
                "asset_id": int(scored.asset[i]) or None,
                "unit_id": unit_id,
                "tier": tier,
                "tier_rank": TIER_RANK[tier],
                "p_alive": float(scored.p_alive[i]),
                "expected_visits": float(scored.expected[i]),
                "visits": int(scored.visits[i]),
                "last_visit": date.fromordinal(int(scored.last_day[i])),
                "interval_days": int(scored.interval_days[i]),
                "reasons": [str(reason) for reason in found],
                "reason_count": len(found),
                "refreshed_on": today,
            }
        )
        if len(rows) == BATCH:
            insert_many(ChurnRisk, rows)
            written, rows = written + len(rows), []
    insert_many(ChurnRisk, rows)
    return written + len(rows)


@transaction.atomic
def churn_policy_set(*, actor: Any, **values: Any) -> ChurnPolicy:
    """Change how churn risk is judged; headquarters only. Tonight's refresh uses it."""
    if not may_set_churn_policy(actor):
        raise ChurnError(_("Only headquarters sets how churn risk is judged."))
    if not 0 < float(values.get("drifting_below", 0.5)) < 1:
        raise ChurnError(_("The chance still a customer lies between 0 and 1."))
    if float(values.get("overdue_factor", 1.5)) < 1:
        raise ChurnError(_("Overdue is at least once the customer's own interval."))
    if values.get("lookback_months", 36) < 12:
        raise ChurnError(_("The model needs the visits of a year at least."))
    for name in ("return_months", "attempts", "booked_days"):
        if name in values and values[name] < 1:
            raise ChurnError(_("Give at least 1 for each figure."))
    policy = ChurnPolicy.objects.select_for_update().get(pk=ChurnPolicy.current().pk)
    changes = changed_fields(policy, values)
    if changes:
        policy.save()
        audit_record(actor=actor, action="churn_policy_set", obj=policy, changes=changes)
    return policy
