"""Consents are the proof that health data was used lawfully: exported, and kept (they
name no one once the card is erased)."""

from django.utils.translation import gettext_lazy as _

from manyi.privacy.registry import declare

declare(
    "privacy.HealthConsent",
    label=_("Consent to the use of health data"),
    path="customer",
    exported=("unit_id", "form", "given_at", "withdrawn_at"),
)
