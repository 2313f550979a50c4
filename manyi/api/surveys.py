"""Questionnaires, programmes, invitations and responses, scoped to the token's staff member."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Code, ErrorOut, ExternalId, Id, In, Moment, Name
from manyi.customers.selectors import event_list, visible_customers
from manyi.org.permissions import (
    may_design_questionnaires,
    may_follow_programmes,
    may_invite,
    may_read_responses,
    may_record_responses,
    may_run_programmes,
)
from manyi.org.selectors import staff_list, visible_units
from manyi.surveys import selectors, services
from manyi.surveys.answers import AnswerError
from manyi.surveys.models import Programme, Questionnaire, QuestionnaireVersion, Sampling, Trigger
from manyi.surveys.services.recorded import ExternalIdTaken

router = Router(tags=["surveys"])


class VersionOut(Schema):
    id: int
    number: int
    published_at: datetime


class QuestionnaireOut(Schema):
    id: int
    code: str
    name: str
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(questionnaire: Questionnaire) -> list[QuestionnaireVersion]:
        return list(questionnaire.versions.all())


class VersionDetailOut(VersionOut):
    questionnaire_id: int
    definition: dict[str, Any]


class FunnelOut(Schema):
    invited: int
    sent: int
    opened: int
    started: int
    completed: int
    expired: int
    opted_out: int
    failed: int
    response_rate: float | None


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    version_id: int
    unit_ids: list[int]
    event_kinds: list[str]
    trigger: str
    delay_days: int
    sampling: str
    sample_rate: float
    quota_per_unit: int
    channels: list[str]
    is_active: bool

    @staticmethod
    def resolve_unit_ids(programme: Programme) -> list[int]:
        return [unit.pk for unit in programme.units.all()]


class ProgrammeDetailOut(ProgrammeOut):
    funnel: FunnelOut


class ProgrammeIn(In):
    code: Code
    name: Name
    version_id: Id
    unit_codes: list[str]
    event_kinds: list[str] = []
    channels: list[str] = ["sms", "email"]
    trigger: str = "after_event"
    delay_days: int = 3
    sampling: str = "all"
    sample_rate: float = 100
    quota_per_unit: int = 0
    exclude_recent_days: int = 90
    reminder_after_days: int = 2
    expire_after_days: int = 14


class InvitationIn(In):
    programme_code: str
    event_external_id: str
    channel: str = "link"


class InvitationOut(Schema):
    id: int
    programme_id: int
    wave_id: int
    version_id: int
    customer_id: int | None
    event_id: int | None
    unit_id: int
    channel: str
    status: str
    created_at: datetime
    sent_at: datetime | None
    opened_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    opted_out_at: datetime | None
    expires_at: datetime
    url: str

    @staticmethod
    def resolve_url(invitation: Any) -> str:
        return services.survey_url(invitation)


class ResponseIn(In):
    programme_code: Code
    external_id: ExternalId
    unit_code: str
    answers: dict[str, Any]
    submitted_at: Moment | None = None
    customer_external_id: str | None = None
    event_external_id: str | None = None
    staff_code: str | None = None


class ResponseOut(Schema):
    id: int
    programme_id: int | None
    version_id: int
    unit_id: int
    customer_id: int | None
    event_id: int | None
    staff_id: int | None
    channel: str
    external_id: str | None
    submitted_at: datetime
    answers: dict[str, Any]
    scores: dict[str, Any]
    index: float | None
    nps: int | None
    nps_class: str


def _funnel(total: Any) -> dict[str, Any]:
    return {**total.counts, "response_rate": total.response_rate}


@router.get(
    "/questionnaires", response=list[QuestionnaireOut], auth=needs(may_design_questionnaires)
)
@paginate(Page)
def list_questionnaires(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Questionnaire.objects.filter(is_archived=False).prefetch_related("versions")


@router.get(
    "/questionnaires/versions/{id:version_id}",
    response=VersionDetailOut,
    auth=needs(may_follow_programmes),
)
def get_version(request: HttpRequest, version_id: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(QuestionnaireVersion, pk=version_id)


@router.get("/programmes", response=list[ProgrammeOut], auth=needs(may_follow_programmes))
@paginate(Page)
def list_programmes(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.programme_list()


@router.get(
    "/programmes/{id:programme_id}", response=ProgrammeDetailOut, auth=needs(may_follow_programmes)
)
def get_programme(request: HttpRequest, programme_id: int):  # type: ignore[no-untyped-def]
    programme = get_object_or_404(selectors.programme_list(), pk=programme_id)
    total, _units = selectors.funnel(request.user, programme=programme)
    programme.funnel = _funnel(total)
    return programme


@router.post(
    "/programmes", response={201: ProgrammeDetailOut, 400: ErrorOut}, auth=needs(may_run_programmes)
)
def create_programme(request: HttpRequest, item: ProgrammeIn):  # type: ignore[no-untyped-def]
    """Set up a programme (HQ roles); it starts with the usual hot-alert rules."""
    version = QuestionnaireVersion.objects.filter(pk=item.version_id).first()
    if version is None:
        raise HttpError(400, f"No questionnaire version {item.version_id}.")
    units = list(visible_units(request.user).filter(code__in=item.unit_codes))
    missing = set(item.unit_codes) - {unit.code for unit in units}
    if missing:
        raise HttpError(400, f"No unit {', '.join(sorted(missing))} in your units.")
    if item.trigger not in Trigger.values or item.sampling not in Sampling.values:
        raise HttpError(
            400, f"trigger is one of {Trigger.values}, sampling one of {Sampling.values}."
        )
    settings = item.model_dump(
        exclude={"code", "name", "version_id", "unit_codes", "event_kinds", "channels"}
    )
    programme = services.programme_create(
        actor=request.user,
        code=item.code,
        name=item.name,
        version=version,
        units=units,
        event_kinds=item.event_kinds,
        channels=item.channels,
        **settings,
    )
    total, _units = selectors.funnel(request.user, programme=programme)
    programme.funnel = _funnel(total)
    return Status(201, programme)


def _programme(code: str) -> Programme:
    programme = Programme.objects.select_related("version").filter(code=code).first()
    if programme is None:
        raise HttpError(400, f"No programme with code {code}.")
    return programme


@router.post(
    "/invitations",
    response={200: InvitationOut, 201: InvitationOut, 400: ErrorOut},
    auth=needs(may_invite),
)
def create_invitation(request: HttpRequest, item: InvitationIn):  # type: ignore[no-untyped-def]
    """Invite the customer of one service event now; the answer carries the survey link."""
    programme = _programme(item.programme_code)
    event = event_list(request.user).filter(external_id=item.event_external_id).first()
    if event is None:
        raise HttpError(400, f"No service event {item.event_external_id} in your units.")
    invitation, created = services.invitation_for_event(
        actor=request.user, programme=programme, event=event, channel=item.channel
    )
    return Status(201 if created else 200, invitation)


@router.get("/invitations", response=list[InvitationOut], auth=needs(may_read_responses))
@paginate(Page)
def list_invitations(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: Id | None = None,
    status: str = "",
    unit_id: Id | None = None,
):
    invitations = selectors.invitation_list(request.user, status=status, unit=unit_id)
    return invitations.filter(programme_id=programme_id) if programme_id else invitations


@router.get(
    "/invitations/{id:invitation_id}", response=InvitationOut, auth=needs(may_read_responses)
)
def get_invitation(request: HttpRequest, invitation_id: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(selectors.invitation_list(request.user), pk=invitation_id)


@router.get("/responses", response=list[ResponseOut], auth=needs(may_read_responses))
@paginate(Page)
def list_responses(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    programme_id: Id | None = None,
    unit_id: Id | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
):
    responses = selectors.response_list(request.user).order_by("submitted_at", "id")
    if programme_id:
        responses = responses.filter(programme_id=programme_id)
    if unit_id:
        responses = responses.filter(unit_id=unit_id)
    if since:
        responses = responses.filter(submitted_at__gte=since)
    if until:
        responses = responses.filter(submitted_at__lt=until)
    return responses


@router.get("/responses/{id:response_id}", response=ResponseOut, auth=needs(may_read_responses))
def get_response(request: HttpRequest, response_id: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(selectors.response_list(request.user), pk=response_id)


@router.post(
    "/responses",
    response={200: ResponseOut, 201: ResponseOut, 400: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=needs(may_record_responses),
)
def create_response(request: HttpRequest, item: ResponseIn):  # type: ignore[no-untyped-def]
    """Record a response gathered elsewhere; the same external id is stored once."""
    programme = _programme(item.programme_code)
    unit = visible_units(request.user).filter(code=item.unit_code).first()
    if unit is None:
        raise HttpError(400, f"No unit {item.unit_code} in your units.")
    links: dict[str, Any] = {}
    if item.customer_external_id:
        links["customer"] = _one(
            visible_customers(request.user), "customer", item.customer_external_id
        )
    if item.event_external_id:
        links["event"] = _one(event_list(request.user), "service event", item.event_external_id)
    if item.staff_code:
        links["staff"] = _one(staff_list(request.user), "staff member", item.staff_code, "code")
    try:
        response, created = services.response_record(
            actor=request.user,
            programme=programme,
            external_id=item.external_id,
            unit=unit,
            answers=item.answers,
            submitted_at=item.submitted_at,
            **links,
        )
    except AnswerError as error:
        return Status(422, {"detail": "Some answers are not valid.", "problems": error.problems})
    except ExternalIdTaken as error:
        return Status(409, {"detail": str(error)})
    return Status(201 if created else 200, response)


def _one(scoped: Any, what: str, value: str, field: str = "external_id") -> Any:
    """The record of ``scoped`` (already limited to the caller's part) with this key."""
    found = scoped.filter(**{field: value}).first()
    if found is None:
        raise HttpError(400, f"No {what} {value} in your units.")
    return found
