"""Personal-data rights: a customer's data exported or erased on request, the retention
purge, and patients' health-data consent. Each is one audited service; the audit log
holds ids and counts only."""

from collections import Counter
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record, changed_fields
from manyi.customers.models import Contact, ContactChannel, Customer
from manyi.customers.selectors import may_see_customer
from manyi.errors import DomainError
from manyi.notify.models import Message, MessageStatus
from manyi.org.models import Unit
from manyi.org.permissions import may_edit_customers, may_handle_personal_data, may_see_unit
from manyi.privacy.consent import health_units, holds_health_data
from manyi.privacy.models import ConsentForm, HealthConsent, RetentionPolicy
from manyi.privacy.registry import (
    Retention,
    Subject,
    entries,
    erase_rows,
    export_rows,
    purge_rows,
)
from manyi.privacy.selectors import consent_units

FORMAT = "manyi-personal-data/1"


class PrivacyError(DomainError):
    pass


def _check(actor: Any, customer: Customer) -> None:
    if not may_handle_personal_data(actor):
        raise PrivacyError(_("Only the data-protection officer handles personal-data requests."))
    if not may_see_customer(actor, customer):
        raise PrivacyError(_("That customer is outside your part of the network."))


def subject_of(customer: Customer) -> Subject:
    """The customer with their phones and addresses — leaving out any another card still
    holds (a family's shared phone): what came from it may be the other person's."""
    contacts = list(Contact.objects.filter(customer=customer).values_list("channel", "value"))
    shared = set(
        Contact.objects.filter(
            value__in=[value for _channel, value in contacts], customer__erased_at=None
        )
        .exclude(customer=customer)
        .values_list("channel", "value")
    )
    contacts = [contact for contact in contacts if contact not in shared]
    return Subject(
        customer=customer,
        phones=frozenset(value for channel, value in contacts if channel == ContactChannel.PHONE),
        emails=frozenset(value for channel, value in contacts if channel == ContactChannel.EMAIL),
    )


def erasure_preview(customer: Customer) -> list[tuple[str, int]]:
    """What an erasure would touch: for each part of the register, how many rows."""
    subject = subject_of(customer)
    counts = [(str(entry.label), entry.of(subject).count()) for entry in entries()]
    return [(label, count) for label, count in counts if count]


@transaction.atomic
def customer_data_export(*, actor: Any, customer: Customer) -> dict[str, Any]:
    """Everything manyi holds about ``customer`` (PIPL art. 45), one document: for each
    part of the register, its rows with the personal fields in clear."""
    _check(actor, customer)
    subject = subject_of(customer)
    sections = []
    for entry in entries():
        rows = export_rows(entry, subject)
        if rows:
            sections.append({"what": str(entry.label), "table": entry.model, "rows": rows})
    audit_record(
        actor=actor,
        action="customer_data_export",
        obj=customer,
        unit=customer.unit,
        changes={"sections": len(sections), "rows": sum(len(s["rows"]) for s in sections)},
    )
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "customer": customer.external_id,
        "sections": sections,
    }


@transaction.atomic
def customer_erase(*, actor: Any, customer: Customer) -> dict[str, int]:
    """Erase ``customer``'s personal data (PIPL art. 47) everywhere the register names it,
    keeping the anonymous facts the figures are made of: the card stays, without a name,
    so every score, count and rollup reads as before. Returns rows changed per table."""
    _check(actor, customer)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.erased_at is not None:
        raise PrivacyError(_("This customer's personal data was erased already."))
    subject = subject_of(customer)
    changed: Counter[str] = Counter()
    # The card itself last: the other rows are found through its contacts.
    for entry in sorted(entries(), key=lambda entry: entry.model == "customers.Customer"):
        changed[entry.model] += erase_rows(entry, entry.of(subject), subject)
    Customer.objects.filter(pk=customer.pk).update(erased_at=timezone.now())
    result = {table: count for table, count in changed.items() if count}
    audit_record(
        actor=actor, action="customer_erase", obj=customer, unit=customer.unit, changes=result
    )
    return result


@transaction.atomic
def retention_policy_save(*, actor: Any, **values: Any) -> RetentionPolicy:
    if not may_handle_personal_data(actor):
        raise PrivacyError(_("Only the data-protection officer sets the retention periods."))
    policy = RetentionPolicy.objects.select_for_update().get(pk=RetentionPolicy.current().pk)
    changes = changed_fields(policy, values)
    if changes:
        policy.save()
        audit_record(actor=actor, action="retention_policy_save", obj=policy, changes=changes)
    return policy


def retention_purge(*, now: Any = None) -> dict[str, int]:
    """Today's purge: remove the personal data older than its retention period, one part
    of the register at a time (each in its own transaction). The day's pass is claimed
    first, so two workers never both purge, and given back if it fails (the next hour
    tries again); audited with its counts even when a part fails."""
    now = now or timezone.now()
    policy = RetentionPolicy.current()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    claimed = (
        RetentionPolicy.objects.filter(pk=policy.pk)
        .filter(Q(last_purge_at__isnull=True) | Q(last_purge_at__lt=today))
        .update(last_purge_at=now)
    )
    if not claimed:
        return {}  # purged today already, or another worker is at it
    purged: Counter[str] = Counter()
    try:
        for retention in (Retention.CONTACT, Retention.FREE_TEXT, Retention.ATTACHMENTS):
            days = policy.days(retention)
            if not days:
                continue
            cutoff = now - timedelta(days=days)
            for entry in entries(retention):
                with transaction.atomic():
                    purged[entry.model] += purge_rows(entry, cutoff)
    except Exception:
        RetentionPolicy.objects.filter(pk=policy.pk, last_purge_at=now).update(
            last_purge_at=policy.last_purge_at
        )
        raise
    finally:
        result = {table: count for table, count in purged.items() if count}
        if result:
            audit_record(actor=None, action="retention_purge", obj=policy, changes=result)
    return result


def _check_consent(actor: Any, customer: Customer) -> None:
    if not may_edit_customers(actor) or not may_see_customer(actor, customer):
        raise PrivacyError(_("You may not record consents for this customer."))
    if customer.erased_at is not None:
        raise PrivacyError(_("This customer's personal data was erased."))


@transaction.atomic
def health_consent_give(*, actor: Any, customer: Customer, unit: Unit, form: str) -> HealthConsent:
    """Record a patient's separate consent to the use of their health data."""
    _check_consent(actor, customer)
    if form not in ConsentForm.values:
        raise PrivacyError(_("Say how the consent was given."))
    if not holds_health_data(unit) or not may_see_unit(actor, unit):
        raise PrivacyError(_("Consent to health data is recorded at a hospital of your part."))
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    if HealthConsent.objects.filter(customer=customer, withdrawn_at=None).exists():
        raise PrivacyError(_("A health-data consent is in force already."))
    consent = HealthConsent.objects.create(
        customer=customer, unit=unit, form=form, recorded_by=actor
    )
    audit_record(
        actor=actor, action="health_consent_give", obj=consent, unit=unit, changes={"form": form}
    )
    return consent


@transaction.atomic
def health_consent_withdraw(*, actor: Any, customer: Customer) -> HealthConsent:
    """The patient withdraws their consent (PIPL art. 15): surveys and care messages about
    their hospital visits stop from now on."""
    _check_consent(actor, customer)
    consent = (
        HealthConsent.objects.select_for_update()
        .filter(customer=customer, withdrawn_at=None)
        .first()
    )
    if consent is None:
        raise PrivacyError(_("No health-data consent is in force."))
    if not may_see_unit(actor, consent.unit) and not consent_units(actor, customer):
        raise PrivacyError(_("Only the staff of a hospital that treats them record a withdrawal."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    closed = _close_health_work(customer)
    audit_record(
        actor=actor,
        action="health_consent_withdraw",
        obj=consent,
        unit_id=consent.unit_id,
        changes=closed,
    )
    return consent


def _close_health_work(customer: Customer) -> dict[str, int]:
    """After a withdrawal: the open survey invitations and callbacks of hospital visits
    are closed, as if the patient had opted out."""
    from manyi.care.models import Callback, CallbackStatus
    from manyi.care.models.care import OPEN_STATUSES
    from manyi.surveys.models import Invitation, InvitationStatus
    from manyi.surveys.services.invitations import CLOSED

    units = Invitation.objects.filter(customer=customer).values_list("unit_id", flat=True)
    callback_units = Callback.objects.filter(customer=customer).values_list("unit_id", flat=True)
    health = health_units({*units, *callback_units})
    open_ones = Invitation.objects.filter(customer=customer, unit_id__in=health).exclude(
        status__in=CLOSED
    )
    refs = [str(pk) for pk in open_ones.values_list("pk", flat=True)]
    Message.objects.filter(
        purpose="invitation",
        ref__in=refs,
        status__in=(MessageStatus.QUEUED, MessageStatus.SENDING),
    ).update(status=MessageStatus.FAILED, error="consent withdrawn")
    invitations = open_ones.update(status=InvitationStatus.OPTED_OUT, opted_out_at=timezone.now())
    callbacks = Callback.objects.filter(
        customer=customer, unit_id__in=health, status__in=OPEN_STATUSES
    ).update(status=CallbackStatus.DO_NOT_CALL, closed_at=timezone.now())
    return {"invitations": invitations, "callbacks": callbacks}
