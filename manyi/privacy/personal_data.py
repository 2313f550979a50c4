"""Consents are the proof that health data was used lawfully: exported, and kept (they
name no one once the card is erased)."""

from django.utils.translation import gettext_lazy as _

from manyi.privacy.registry import declare, exempt

declare(
    "privacy.HealthConsent",
    label=_("Consent to the use of health data"),
    path="customer",
    exported=("unit_id", "form", "given_at", "withdrawn_at"),
)
exempt(
    "audit.AuditEntry",
    "object_repr",
    "changes",
    why="ids, counts and masked values only: each record names itself by its audit_label",
)
