"""The customer complaint record (客户投诉记录表): one row per complaint opened in a
period, from what the customer said to the root cause and prevention, as XLSX."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.cases.models import Case, CaseKind, Compensation, CompensationStatus, DeadlineAction
from manyi.org.selectors import visible_unit_filter


def header() -> list[str]:
    return [
        _("Number"), _("Opened"), _("Store"), _("Customer"), _("Customer number"), _("Tier"),
        _("Channel"), _("Severity"), _("Subject"), _("What the customer said"), _("Cause"),
        _("Responsible"), _("First response due"), _("First responded"), _("Resolution due"),
        _("Resolved"), _("Deadline missed"), _("Solution"), _("Compensation (yuan)"),
        _("Resolution survey"), _("Root cause"), _("Prevention"), _("Status"),
    ]  # fmt: skip


def _when(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def rows(user: Any, *, since: datetime, until: datetime) -> Iterator[list[Any]]:
    """The complaints opened in [since, until) in the user's units, oldest first."""
    given = Compensation.objects.exclude(
        status__in=[CompensationStatus.REJECTED, CompensationStatus.PROPOSED]
    )
    cases = (
        Case.objects.filter(
            visible_unit_filter(user),
            kind=CaseKind.COMPLAINT,
            opened_at__gte=since,
            opened_at__lt=until,
        )
        .select_related("unit", "customer", "cause", "owner", "resurvey__response")
        .prefetch_related(
            Prefetch("compensations", queryset=given, to_attr="granted"),
            Prefetch(
                "deadline_actions",
                queryset=DeadlineAction.objects.filter(action="breach"),
                to_attr="breaches",
            ),
        )
        .order_by("opened_at", "pk")
    )
    for case in cases.iterator(chunk_size=500):
        survey = getattr(case.resurvey, "response", None) if case.resurvey_id else None
        yield [
            case.number,
            _when(case.opened_at),
            case.unit.name,
            case.customer.name if case.customer else "",
            case.customer.external_id if case.customer else "",
            case.get_tier_display() if case.tier else "",
            case.get_channel_display(),
            case.get_severity_display(),
            case.subject,
            case.description,
            case.cause.name if case.cause else "",
            str(case.owner or ""),
            _when(case.first_response_due),
            _when(case.first_responded_at),
            _when(case.resolution_due),
            _when(case.resolved_at),
            ", ".join(sorted({a.get_deadline_display() for a in case.breaches})),
            case.solution,
            float(sum(c.amount for c in case.granted)) if case.granted else "",
            _resurvey_text(case, survey),
            case.root_cause,
            case.prevention,
            case.get_status_display(),
        ]


def _resurvey_text(case: Case, response: Any) -> str:
    if response is not None:
        if response.overall is not None:
            return f"{response.overall:g}"
        return f"{response.index:.0f}" if response.index is not None else _("answered")
    if case.resurvey_id:
        return _("asked")
    return ""
