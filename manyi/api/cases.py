"""Cases over the API: list, read, open, reply and change them, and take them through
the seven steps (analyse, propose, resolve, review) — scoped like the screens, each
step by the same service as on the case page."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field, model_validator

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Id, In, LongText, Subject
from manyi.cases import selectors, services, steps
from manyi.cases.models import Case, CaseChannel, CaseKind, Cause, CompensationKind, Severity
from manyi.customers.models import Asset
from manyi.customers.selectors import visible_customers
from manyi.org.permissions import may_handle_cases
from manyi.org.selectors import visible_units

router = Router(tags=["cases"])


class CaseIn(In):
    kind: str
    unit_id: Id
    subject: Subject
    channel: str = "api"
    description: LongText = ""
    severity: str = "normal"
    customer_external_id: str | None = None
    cause: str | None = None


class CaseChange(In):
    severity: str | None = None
    unit_id: Id | None = None
    cause: str | None = None
    subject: Subject | None = None

    @model_validator(mode="after")
    def something_to_change(self) -> "CaseChange":
        if not self.model_fields_set:
            raise ValueError("Give at least one of severity, unit_id, cause and subject.")
        return self


class ReplyIn(In):
    body: str
    public: bool = True


class AnalyseIn(In):
    cause: str
    finding: str
    asset_external_id: str | None = Field(default=None, max_length=64)
    part: str = Field(default="", max_length=80)


class ProposeIn(In):
    solution: str
    compensation_kind: str = ""
    amount: Decimal | None = None
    description: str = ""


class ResolveIn(In):
    body: str


class ReviewIn(In):
    root_cause: str
    prevention: str


class ReopenIn(In):
    reason: str


class CaseOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    step: str
    severity: str
    channel: str
    unit_id: int
    customer_id: int | None
    owner_id: int | None
    cause: str | None
    tier: str
    subject: str
    opened_at: datetime
    first_response_due: datetime | None
    first_responded_at: datetime | None
    resolution_due: datetime | None
    resolved_at: datetime | None
    escalation_level: int
    repeat_of_id: int | None
    asset_id: int | None
    part: str

    @staticmethod
    def resolve_cause(case: Case) -> str | None:
        return case.cause.code if case.cause else None


def _choice(value: str, choices: Any, name: str) -> str:
    if value not in choices.values:
        raise HttpError(400, f"{name} is one of {', '.join(choices.values)}.")
    return value


def _unit(request: HttpRequest, unit_id: int) -> Any:
    unit = visible_units(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise HttpError(404, "No such unit in your part of the network.")
    return unit


def _cause(code: str | None) -> Cause | None:
    if not code:
        return None
    cause = Cause.objects.filter(code=code, is_active=True).first()
    if cause is None:
        raise HttpError(400, f"Unknown cause {code!r}.")
    return cause


def _case(request: HttpRequest, case_id: int) -> Case:
    try:
        return selectors.case_get(request.user, case_id)
    except Case.DoesNotExist as error:
        raise HttpError(404, "No such case in your part of the network.") from error


@router.get("/cases", response=list[CaseOut], auth=needs(may_handle_cases))
@paginate(Page)
def case_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    status: str = "",
    kind: str = "",
    unit_id: Id | None = None,
    overdue: bool = False,
):
    """Cases in the token's part of the network, the nearest resolution deadline first."""
    return selectors.case_list(request.user, status=status, kind=kind, unit=unit_id, late=overdue)


@router.get("/cases/{id:case_id}", response=CaseOut, auth=needs(may_handle_cases))
def case_read(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return _case(request, case_id)


@router.post("/cases", response={201: CaseOut}, auth=needs(may_handle_cases))
def case_create(request: HttpRequest, data: CaseIn):  # type: ignore[no-untyped-def]
    """Open a case: its deadlines come from the SLA policy and the unit's calendar."""
    customer = None
    if data.customer_external_id:
        customer = (
            visible_customers(request.user).filter(external_id=data.customer_external_id).first()
        )
        if customer is None:
            raise HttpError(404, "No such customer in your part of the network.")
    case = services.case_open(
        actor=request.user,
        kind=_choice(data.kind, CaseKind, "kind"),
        unit=_unit(request, data.unit_id),
        subject=data.subject,
        channel=_choice(data.channel, CaseChannel, "channel"),
        description=data.description,
        severity=_choice(data.severity, Severity, "severity"),
        customer=customer,
        cause=_cause(data.cause),
    )
    return Status(201, case)


@router.patch("/cases/{id:case_id}", response=CaseOut, auth=needs(may_handle_cases))
def case_change(request: HttpRequest, case_id: int, data: CaseChange):  # type: ignore[no-untyped-def]
    """Change severity, unit, cause or subject; the deadlines follow."""
    case = _case(request, case_id)
    values: dict[str, Any] = {}
    if data.severity is not None:
        values["severity"] = _choice(data.severity, Severity, "severity")
    if data.unit_id is not None:
        values["unit"] = _unit(request, data.unit_id)
    if data.cause is not None:
        values["cause"] = _cause(data.cause)
    if data.subject is not None:
        values["subject"] = data.subject
    return services.case_update(actor=request.user, case=case, **values)


@router.post("/cases/{id:case_id}/replies", response={201: CaseOut}, auth=needs(may_handle_cases))
def case_reply(request: HttpRequest, case_id: int, data: ReplyIn):  # type: ignore[no-untyped-def]
    """A reply to the customer (the first meets the first-response deadline) or a note."""
    case = _case(request, case_id)
    services.case_reply(actor=request.user, case=case, body=data.body, public=data.public)
    case.refresh_from_db()
    return Status(201, case)


@router.post("/cases/{id:case_id}/analyse", response=CaseOut, auth=needs(may_handle_cases))
def case_analyse(request: HttpRequest, case_id: int, data: AnalyseIn):  # type: ignore[no-untyped-def]
    """Step 3: the cause (a code from the cause list) and what the analysis found."""
    case = _case(request, case_id)
    asset = None
    if data.asset_external_id:
        asset = Asset.objects.filter(
            external_id=data.asset_external_id, customer_id=case.customer_id
        ).first()
        if asset is None:
            raise HttpError(404, "The case's customer has no asset with that external id.")
    return steps.case_analyse(
        actor=request.user, case=case, cause=_cause(data.cause), body=data.finding,
        asset=asset, part=data.part,
    )  # fmt: skip


@router.post("/cases/{id:case_id}/propose", response=CaseOut, auth=needs(may_handle_cases))
def case_propose(request: HttpRequest, case_id: int, data: ProposeIn):  # type: ignore[no-untyped-def]
    """Step 4: the solution and any compensation; above the token holder's approval
    limit the case waits at step 5 for someone with the authority."""
    case = _case(request, case_id)
    kind = data.compensation_kind
    if kind:
        _choice(kind, CompensationKind, "compensation_kind")
    return steps.case_propose(
        actor=request.user, case=case, solution=data.solution, kind=kind,
        amount=data.amount, description=data.description,
    )  # fmt: skip


@router.post("/cases/{id:case_id}/resolve", response=CaseOut, auth=needs(may_handle_cases))
def case_resolve(request: HttpRequest, case_id: int, data: ResolveIn):  # type: ignore[no-untyped-def]
    """Step 6: the solution is carried out and the customer told; the resolution
    survey goes out when HQ has set one up."""
    case = _case(request, case_id)
    return services.case_resolve(actor=request.user, case=case, body=data.body)


@router.post("/cases/{id:case_id}/review", response=CaseOut, auth=needs(may_handle_cases))
def case_review(request: HttpRequest, case_id: int, data: ReviewIn):  # type: ignore[no-untyped-def]
    """Step 7: root cause and prevention; the case is then closed."""
    case = _case(request, case_id)
    return steps.case_review(
        actor=request.user, case=case, root_cause=data.root_cause, prevention=data.prevention
    )


@router.post("/cases/{id:case_id}/close", response=CaseOut, auth=needs(may_handle_cases))
def case_close(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    """File a resolved case (a complaint closes only by its review)."""
    return services.case_close(actor=request.user, case=_case(request, case_id))


@router.post("/cases/{id:case_id}/reopen", response=CaseOut, auth=needs(may_handle_cases))
def case_reopen(request: HttpRequest, case_id: int, data: ReopenIn):  # type: ignore[no-untyped-def]
    """Back to work: the resolution clock starts again."""
    case = _case(request, case_id)
    return services.case_reopen(actor=request.user, case=case, reason=data.reason)
