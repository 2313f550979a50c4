"""Reads for the personal-data screens: the register, requests and purges, and what a
customer's card says of their data."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manyi.audit.models import AuditEntry
from manyi.customers.models import Customer, CustomerUnit
from manyi.org.models import Unit
from manyi.org.selectors import sees_network, visible_units
from manyi.privacy.consent import HEALTH_KINDS
from manyi.privacy.models import ConsentForm, HealthConsent
from manyi.privacy.registry import REGISTER, PersonalData

REQUESTS = {
    "customer_data_export": _("Personal data exported"),
    "customer_erase": _("Personal data erased"),
    "retention_purge": _("Retention purge"),
    "retention_policy_save": _("Retention periods changed"),
    "health_consent_give": _("Health-data consent given"),
    "health_consent_withdraw": _("Health-data consent withdrawn"),
}
DETAILS = {
    "sections": _("parts"),
    "rows": _("rows"),
    "form": _("how it was given"),
    "contact_days": _("contact data: days"),
    "free_text_days": _("free text: days"),
    "attachments_days": _("attachments: days"),
}


@dataclass(frozen=True)
class RequestRow:
    entry: AuditEntry
    label: str
    details: list[tuple[str, Any]]


def _detail_name(key: str) -> str:
    if "." in key:  # a table: its name in the reader's words
        try:
            return str(apps.get_model(key)._meta.verbose_name_plural)
        except LookupError:
            return key
    return str(DETAILS.get(key, key))


def _detail_value(key: str, value: Any) -> Any:
    if key == "form":
        return ConsentForm(value).label if value in ConsentForm.values else value
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0]} → {value[1]}"
    return value


@dataclass(frozen=True)
class RegisterRow:
    entry: PersonalData
    verbose_fields: list[str]


def register_rows() -> list[RegisterRow]:
    rows = []
    for entry in REGISTER.declared:
        meta = entry.model_class._meta
        rows.append(
            RegisterRow(entry, [str(meta.get_field(name).verbose_name) for name in entry.fields])
        )
    return rows


def data_requests(user: Any, limit: int = 50) -> list[RequestRow]:
    """Exports, erasures, purges and consents, newest first (the audit log's own rows)."""
    rows = AuditEntry.objects.filter(action__in=REQUESTS).select_related("actor", "unit")
    if not sees_network(user):
        rows = rows.filter(unit__in=visible_units(user))
    return [
        RequestRow(
            entry,
            str(REQUESTS[entry.action]),
            [(_detail_name(k), _detail_value(k, v)) for k, v in entry.changes.items()],
        )
        for entry in rows[:limit]
    ]


def consent_units(user: Any, customer: Customer) -> list[Unit]:
    """The hospitals of the user's part that served the customer: where a consent to the
    use of their health data is recorded."""
    hospitals = visible_units(user).filter(kind__in=HEALTH_KINDS)
    # By unit and customer: the where-served table's one index starts with the unit.
    served = CustomerUnit.objects.filter(unit__in=hospitals, customer=customer).values("unit_id")
    return list(hospitals.filter(Q(pk__in=served) | Q(pk=customer.unit_id)))


def consent_history(customer: Customer) -> QuerySet[HealthConsent]:
    return HealthConsent.objects.filter(customer=customer).select_related(
        "unit", "recorded_by", "withdrawn_by"
    )
