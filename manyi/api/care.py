"""Care over the API: the care rules, the callbacks with their calls, and the board's
figure of visits reached in time — scoped like the screens, each change by the same
service as on the call screen."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Code, Id, In, Moment, Name, bounded_text
from manyi.care import selectors, services
from manyi.care.models import Callback, CallbackStatus, CallOutcome, CareRule
from manyi.customers.models import EventKind, Tier
from manyi.org.permissions import may_follow_care, may_make_callbacks, may_set_care_rules
from manyi.org.selectors import visible_units
from manyi.web.forms import FIRST_YEAR, LAST_YEAR

router = Router(tags=["care"])


class RuleIn(In):
    code: Code
    name: Name
    event_kinds: list[str] = Field(min_length=1)
    delay_business_days: int = Field(default=1, ge=0, le=30)
    within_days: int = Field(default=3, ge=1, le=60)
    max_attempts: int = Field(default=3, ge=1, le=10)
    retry_hours: int = Field(default=4, ge=1, le=168)
    unit_ids: list[Id] = []
    tiers: list[str] = []
    is_active: bool = True


class RuleOut(Schema):
    id: int
    code: str
    name: str
    event_kinds: list[str]
    delay_business_days: int
    within_days: int
    max_attempts: int
    retry_hours: int
    unit_ids: list[int]
    tiers: list[str]
    is_active: bool

    @staticmethod
    def resolve_unit_ids(rule: CareRule) -> list[int]:
        return [unit.pk for unit in rule.units.all()]


class CallbackOut(Schema):
    id: int
    rule_id: int
    event_id: int
    customer_id: int
    unit_id: int
    caller_id: int | None
    status: str
    vip: bool
    next_call_at: datetime
    deadline_at: datetime
    attempts: int
    reached_at: datetime | None
    reached_in_time: bool
    case_id: int | None


class CallIn(In):
    outcome: str
    note: bounded_text(2000) = ""  # type: ignore[valid-type]
    retry_at: Moment | None = None


class FigureOut(Schema):
    label: str
    callbacks: int
    decided: int
    attempted: int
    reached: int
    in_time: int
    refused: int
    unreachable: int
    still_open: int
    share: float | None


def _rule_arguments(request: HttpRequest, data: RuleIn) -> dict:
    unknown = set(data.event_kinds) - set(EventKind.values)
    if unknown:
        raise HttpError(400, f"event_kinds are of {', '.join(EventKind.values)}.")
    if set(data.tiers) - set(Tier.values):
        raise HttpError(400, f"tiers are of {', '.join(Tier.values)}.")
    units = list(visible_units(request.user).filter(pk__in=data.unit_ids))
    if len(units) != len(set(data.unit_ids)):
        raise HttpError(404, "No such unit in your part of the network.")
    values = data.dict(exclude={"code", "unit_ids"})
    return {**values, "units": units}


@router.get("/care/rules", response=list[RuleOut], auth=needs(may_follow_care))
def rule_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The care rules that cover some unit of the token's part of the network."""
    return list(selectors.care_rules(request.user))


@router.post("/care/rules", response={201: RuleOut}, auth=needs(may_set_care_rules))
def rule_create(request: HttpRequest, data: RuleIn):  # type: ignore[no-untyped-def]
    rule = services.care_rule_save(
        actor=request.user, code=data.code, **_rule_arguments(request, data)
    )
    return Status(201, rule)


@router.put("/care/rules/{id:rule_id}", response=RuleOut, auth=needs(may_set_care_rules))
def rule_change(request: HttpRequest, rule_id: int, data: RuleIn):  # type: ignore[no-untyped-def]
    """Change a rule (its code stays)."""
    rule = CareRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise HttpError(404, "No such care rule.")
    return services.care_rule_save(actor=request.user, rule=rule, **_rule_arguments(request, data))


@router.get("/care/callbacks", response=list[CallbackOut], auth=needs(may_make_callbacks))
@paginate(Page)
def callback_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, status: str = "open", unit_id: Id | None = None
):
    """Callbacks in the token's part: open ones VIP first, then by when to call."""
    if status not in ("open", "all", *CallbackStatus.values):
        raise HttpError(400, f"status is open, all or one of {', '.join(CallbackStatus.values)}.")
    unit = None
    if unit_id is not None:
        unit = visible_units(request.user).filter(pk=unit_id).first()
        if unit is None:
            raise HttpError(404, "No such unit in your part of the network.")
    return selectors.callback_list(request.user, status=status, unit=unit)


def _callback(request: HttpRequest, callback_id: int) -> Callback:
    try:
        return selectors.callback_get(request.user, callback_id)
    except Callback.DoesNotExist as error:
        raise HttpError(404, "No such callback in your part of the network.") from error


@router.get(
    "/care/callbacks/{id:callback_id}", response=CallbackOut, auth=needs(may_make_callbacks)
)
def callback_read(request: HttpRequest, callback_id: int):  # type: ignore[no-untyped-def]
    return _callback(request, callback_id)


@router.post(
    "/care/callbacks/{id:callback_id}/calls",
    response={201: CallbackOut},
    auth=needs(may_make_callbacks),
)
def callback_call(request: HttpRequest, callback_id: int, data: CallIn):  # type: ignore[no-untyped-def]
    """One call of a callback and how it ended; "issue" opens a complaint with the note."""
    if data.outcome not in CallOutcome.values:
        raise HttpError(400, f"outcome is one of {', '.join(CallOutcome.values)}.")
    callback = services.callback_record(
        actor=request.user,
        callback=_callback(request, callback_id),
        outcome=data.outcome,
        note=data.note,
        retry_at=data.retry_at,
    )
    return Status(201, callback)


@router.get("/care/figures", response=list[FigureOut], auth=needs(may_follow_care))
def figures(  # type: ignore[no-untyped-def]
    request: HttpRequest, since: date, until: date, by: str = "store"
):
    """Visits closed from ``since`` to ``until`` reached within the rule's days, per
    store or per caller, with attempts, refusals and the unreachable apart."""
    if not (since.year >= FIRST_YEAR and until.year <= LAST_YEAR):
        raise HttpError(400, f"Give dates from {FIRST_YEAR} to {LAST_YEAR}.")
    if until < since or (until - since).days > 366:
        raise HttpError(400, "Give since before until, at most a year apart.")
    if by not in ("store", "caller"):
        raise HttpError(400, "by is store or caller.")
    found = selectors.figures_by_store if by == "store" else selectors.figures_by_caller
    return found(request.user, since=since, until=until)
