"""Churn over the API: the risk list with its reasons, win-back tasks and their calls, and
the retention figures — scoped like the screens, each change by the same service."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Id, In, bounded_text
from manyi.care import churn_selectors as selectors
from manyi.care.models import (
    ChurnRisk,
    LossReason,
    RiskReason,
    WinBack,
    WinBackCall,
    WinBackOutcome,
    WinBackStatus,
)
from manyi.care.winback import winback_call_record, winback_open
from manyi.customers.models import Tier
from manyi.org.models import Staff, Unit
from manyi.org.permissions import may_see_churn_risk, may_work_winbacks
from manyi.org.selectors import visible_unit_filter, visible_units
from manyi.web.forms import FIRST_YEAR, LAST_YEAR

router = Router(tags=["churn"])


class RiskOut(Schema):
    id: int
    customer_id: int
    customer_name: str
    asset_id: int | None
    unit_id: int
    tier: str
    p_alive: float
    expected_visits: float
    visits: int
    last_visit: date
    interval_days: int
    reasons: list[str]
    winback_id: int | None  # the open win-back task in the token's part
    called_elsewhere: bool  # another unit's task is open for this customer

    @staticmethod
    def resolve_customer_name(row: ChurnRisk) -> str:
        return row.customer.name


class CallOut(Schema):
    outcome: str
    loss_reason: str
    note: str
    created_at: datetime


class WinBackOut(Schema):
    id: int
    customer_id: int
    asset_id: int | None
    unit_id: int
    status: str
    reasons: list[str]
    p_alive: float | None
    loss_reason: str
    assignee_id: int | None
    attempts: int
    opened_at: datetime
    closed_at: datetime | None
    came_back_at: datetime | None
    calls: list[CallOut]

    @staticmethod
    def resolve_calls(winback: WinBack) -> list[WinBackCall]:
        return list(winback.calls.all())


class WinBackIn(In):
    assignee_id: Id | None = None


class WinBackCallIn(In):
    outcome: str
    loss_reason: str = ""
    note: bounded_text(2000) = ""  # type: ignore[valid-type]


class ReturnOut(Schema):
    unit_id: int
    unit_name: str
    visits: int
    decided: int
    returned: int
    returned_here: int


class LossOut(Schema):
    reason: str
    count: int
    share: float
    cumulative: float


class RetentionOut(Schema):
    since: date
    until: date
    returns_by_unit: list[ReturnOut]
    loss_reasons: list[LossOut]
    model: dict
    holdout: list[dict]


def _unit(request: HttpRequest, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = visible_units(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise HttpError(404, "No such unit in your part of the network.")
    return unit


@router.get("/care/risk", response=list[RiskOut], auth=needs(may_see_churn_risk))
@paginate(Page)
def risk_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    unit_id: Id | None = None,
    tier: str = "",
    reason: str = "",
    reasons_at_least: int | None = None,
):
    """Tonight's risk list in the token's part: most reasons first, then the most
    valuable, then the least likely still to be a customer."""
    if tier and tier not in Tier.values:
        raise HttpError(400, f"tier is one of {', '.join(Tier.values)}.")
    if reason and reason not in RiskReason.values:
        raise HttpError(400, f"reason is one of {', '.join(RiskReason.values)}.")
    if reasons_at_least is not None and not 1 <= reasons_at_least <= 8:
        raise HttpError(400, "reasons_at_least is from 1 to 8.")
    rows = selectors.risk_list(request.user, unit=_unit(request, unit_id), tier=tier, reason=reason)
    return rows.filter(reason_count__gte=reasons_at_least or 1)


@router.post(
    "/care/risk/{id:risk_id}/winback",
    response={201: WinBackOut},
    auth=needs(may_work_winbacks),
)
def winback_start(request: HttpRequest, risk_id: int, data: WinBackIn):  # type: ignore[no-untyped-def]
    """Open a win-back task for a row of the list (for the caller, or a colleague)."""
    risk = ChurnRisk.objects.filter(visible_unit_filter(request.user), pk=risk_id).first()
    if risk is None:
        raise HttpError(404, "No such row on the risk list in your part of the network.")
    assignee = None
    if data.assignee_id is not None:
        assignee = Staff.objects.filter(pk=data.assignee_id, is_active=True).first()
        if assignee is None:  # the same answer as a colleague who may not: ids stay unknown
            raise HttpError(400, "That colleague cannot call this customer.")
    return Status(201, winback_open(actor=request.user, risk=risk, assignee=assignee))


@router.get("/care/winbacks", response=list[WinBackOut], auth=needs(may_see_churn_risk))
@paginate(Page)
def winback_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, status: str = "open", unit_id: Id | None = None, mine: bool = False
):
    if status not in ("open", "all", *WinBackStatus.values):
        raise HttpError(400, f"status is open, all or one of {', '.join(WinBackStatus.values)}.")
    return selectors.winback_list(
        request.user,
        status="" if status == "all" else status,
        mine=mine,
        unit=_unit(request, unit_id),
    ).prefetch_related("calls")


def _winback(request: HttpRequest, winback_id: int) -> WinBack:
    try:
        return selectors.winback_list(request.user).get(pk=winback_id)
    except WinBack.DoesNotExist as error:
        raise HttpError(404, "No such win-back task in your part of the network.") from error


@router.get("/care/winbacks/{id:winback_id}", response=WinBackOut, auth=needs(may_see_churn_risk))
def winback_read(request: HttpRequest, winback_id: int):  # type: ignore[no-untyped-def]
    return _winback(request, winback_id)


@router.post(
    "/care/winbacks/{id:winback_id}/calls",
    response={201: WinBackOut},
    auth=needs(may_work_winbacks),
)
def winback_call(request: HttpRequest, winback_id: int, data: WinBackCallIn):  # type: ignore[no-untyped-def]
    """One call and how it ended; "lost" needs a loss_reason."""
    if data.outcome not in WinBackOutcome.values:
        raise HttpError(400, f"outcome is one of {', '.join(WinBackOutcome.values)}.")
    if data.loss_reason and data.loss_reason not in LossReason.values:
        raise HttpError(400, f"loss_reason is one of {', '.join(LossReason.values)}.")
    winback = winback_call_record(
        actor=request.user,
        winback=_winback(request, winback_id),
        outcome=data.outcome,
        loss_reason=data.loss_reason,
        note=data.note,
    )
    return Status(201, winback)


@router.get("/care/retention", response=RetentionOut, auth=needs(may_see_churn_risk))
def retention(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    since: date,
    until: date,
    unit_id: Id | None = None,
    tier: str = "",
):
    """Visits from ``since`` to ``until`` (whole months) and their share followed by
    another within the policy's months, per unit; the reasons for loss recorded since
    ``since``; the last nightly fit and its hold-out check."""
    if not (since.year >= FIRST_YEAR and until.year <= LAST_YEAR) or until < since:
        raise HttpError(400, f"Give since before until, from {FIRST_YEAR} to {LAST_YEAR}.")
    if tier and tier not in Tier.values:
        raise HttpError(400, f"tier is one of {', '.join(Tier.values)}.")
    unit = _unit(request, unit_id)
    run = selectors.last_run()
    return {
        "since": since,
        "until": until,
        "returns_by_unit": [
            {
                "unit_id": row.unit.pk,
                "unit_name": row.unit.name,
                "visits": row.visits,
                "decided": row.decided,
                "returned": row.returned,
                "returned_here": row.returned_here,
            }
            for row in selectors.returns_by_unit(
                request.user, since=since, until=until, unit=unit, tier=tier
            )
        ],
        "loss_reasons": [
            {
                "reason": bar.reason,
                "count": bar.count,
                "share": bar.share,
                "cumulative": bar.cumulative,
            }
            for bar in selectors.loss_pareto(request.user, since=since, unit=unit)
        ],
        "model": {}
        if run is None
        else {
            "day": run.run_on.isoformat(),
            "model": run.model,
            "k": run.k,
            "params": run.params,
            "log_likelihood": run.log_likelihood,
            "aic": run.aic,
            "other_aic": run.other_aic,
            "customers": run.entities,
            "at_risk": run.at_risk,
        },
        "holdout": run.holdout if run else [],
    }
