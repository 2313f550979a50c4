"""Reads of programmes, invitations, responses and alerts, scoped by ``visible_units``."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from manyi.org.selectors import visible_unit_filter
from manyi.surveys.models import (
    Alert,
    Invitation,
    InvitationStatus,
    Programme,
    Response,
    Wave,
)
from manyi.surveys.services.invitations import CLOSED

FUNNEL_STEPS = ("invited", "sent", "opened", "started", "completed")
CLOSED_STEPS = ("expired", "opted_out", "refused", "unreachable", "failed")


@dataclass
class FunnelRow:
    """How far a set of invitations got: each step counts those that reached it."""

    label: str
    unit_id: int | None
    counts: dict[str, int]
    link: str = ""

    @property
    def response_rate(self) -> float | None:
        invited = self.counts["invited"]
        return self.counts["completed"] / invited if invited else None


def _funnel_aggregates() -> dict[str, Any]:
    status = {step: Count("id", filter=Q(status=step)) for step in CLOSED_STEPS}
    return {
        "invited": Count("id"),
        "sent": Count("id", filter=Q(sent_at__isnull=False) | Q(opened_at__isnull=False)),
        "opened": Count("opened_at"),
        "started": Count("started_at"),
        "completed": Count("completed_at"),
        **status,
    }


def funnel(
    user: Any, *, programme: Programme | None = None, wave: Wave | None = None
) -> tuple[FunnelRow, list[FunnelRow]]:
    """The response funnel in total and per unit, over the units ``user`` may see."""
    invitations = Invitation.objects.filter(visible_unit_filter(user))
    if programme is not None:
        invitations = invitations.filter(programme=programme)
    if wave is not None:
        invitations = invitations.filter(wave=wave)
    aggregates = _funnel_aggregates()
    total = invitations.aggregate(**aggregates)
    rows = (
        invitations.values("unit_id", "unit__name", "unit__path")
        .annotate(**aggregates)
        .order_by("unit__path")
    )
    return FunnelRow("", None, total), [
        FunnelRow(row["unit__name"], row["unit_id"], {k: row[k] for k in aggregates})
        for row in rows
    ]


def funnel_by_unit(
    *, programme: Programme, since: datetime, until: datetime, path: str | None
) -> dict[int, dict[str, int]]:
    """Per unit of ``path``'s subtree (all when None), the funnel of the programme's
    invitations created in [since, until). Callers check the path is visible."""
    invitations = Invitation.objects.filter(
        programme=programme, created_at__gte=since, created_at__lt=until
    )
    if path is not None:
        invitations = invitations.filter(unit__path__startswith=path)
    aggregates = _funnel_aggregates()
    return {
        row.pop("unit_id"): row
        for row in invitations.values("unit_id").annotate(**aggregates).order_by()
    }


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.select_related("version__questionnaire").prefetch_related("units")


def waves(programme: Programme, user: Any) -> list[tuple[Wave, FunnelRow]]:
    """The programme's waves, newest first, each with its funnel over ``user``'s units."""
    counted = {
        row["wave_id"]: row
        for row in Invitation.objects.filter(visible_unit_filter(user), programme=programme)
        .values("wave_id")
        .annotate(**_funnel_aggregates())
    }
    empty = dict.fromkeys(_funnel_aggregates(), 0)
    return [
        (wave, FunnelRow(wave.name, None, {**empty, **counted.get(wave.pk, {})}))
        for wave in programme.waves.order_by("-starts_on", "-id")
    ]


def invitation_list(
    user: Any, *, wave: Wave | None = None, unit: int | None = None, status: str = ""
) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(visible_unit_filter(user)).select_related(
        "customer", "unit", "programme"
    )
    if wave is not None:
        invitations = invitations.filter(wave=wave)
    if unit:
        invitations = invitations.filter(unit_id=unit)
    if status:
        invitations = invitations.filter(status=status)
    return invitations


def invitation_get(user: Any, pk: int) -> Invitation:
    return (
        invitation_list(user)
        .select_related("version__questionnaire", "event", "wave", "staff")
        .get(pk=pk)
    )


def response_list(user: Any) -> QuerySet[Response]:
    return Response.objects.filter(visible_unit_filter(user)).select_related(
        "version__questionnaire", "unit", "customer", "programme"
    )


def alert_list(user: Any, *, status: str = "", unit: int | None = None) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(visible_unit_filter(user)).select_related(
        "response__customer", "response__programme", "unit", "rule"
    )
    if status:
        alerts = alerts.filter(status=status)
    if unit:
        alerts = alerts.filter(unit_id=unit)
    return alerts


def call_list(
    user: Any, *, programme: Programme | None = None, now: datetime | None = None
) -> QuerySet[Invitation]:
    """Phone interviews due now: call-backs and retries whose time has come, oldest first."""
    now = now or timezone.now()
    calls = (
        Invitation.objects.filter(
            visible_unit_filter(user), channel="phone", next_call_at__lte=now, expires_at__gt=now
        )
        .exclude(status__in=CLOSED)
        .select_related("customer", "unit", "programme", "event")
        .order_by("next_call_at", "id")
    )
    return calls.filter(programme=programme) if programme else calls


def customer_survey_history(customer: Any, *, limit: int, units: Any) -> list[dict[str, Any]]:
    """Invitations and responses for the customer's timeline (management card), of the
    units ``units`` (None: all)."""
    entries: list[dict[str, Any]] = []
    invitations, responses = customer.invitations.all(), customer.responses.all()
    if units is not None:
        invitations, responses = (
            invitations.filter(unit__in=units),
            responses.filter(unit__in=units),
        )
    for invitation in invitations.select_related("programme").order_by("-created_at")[:limit]:
        entries.append(
            {
                "at": invitation.created_at,
                "type": "invitation",
                "template": "surveys/timeline/_invitation.html",
                "invitation": invitation,
            }
        )
    for response in responses.select_related("programme", "version").order_by("-submitted_at")[
        :limit
    ]:
        entries.append(
            {
                "at": response.submitted_at,
                "type": "response",
                "template": "surveys/timeline/_response.html",
                "response": response,
            }
        )
    return entries


STATUS_ORDER = [status.value for status in InvitationStatus]
