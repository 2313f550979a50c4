"""Changes to customers, their contacts and assets, and service events."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record, changed_fields
from manyi.customers.contacts import (
    display_phone,
    normalise_email,
    normalise_phone,
)
from manyi.customers.models import (
    Asset,
    Contact,
    ContactChannel,
    ContactPolicy,
    Customer,
    ServiceEvent,
)
from manyi.customers.selectors import may_see_customer
from manyi.customers.served import customers_served
from manyi.errors import DomainError
from manyi.org.models import Unit
from manyi.org.permissions import (
    may_edit_customers,
    may_hand_over_customers,
    may_reveal_contacts,
    may_see_unit,
    may_set_care_rules,
)
from manyi.org.selectors import visible_units


class CustomerError(DomainError):
    pass


# A customer's own data: the audit log says such a field changed, never what it held.
PERSONAL_FIELDS = (
    "name", "gender", "birth_date", "id_number", "province", "city", "district", "address",
    "notes", "vip_reason",
)  # fmt: skip


def _check_unit(actor: Any, unit: Unit) -> None:
    if actor is not None and not may_see_unit(actor, unit):
        raise CustomerError(_("That unit is outside your part of the network."))


def _check_customer(actor: Any, customer: Customer) -> None:
    if actor is not None and not may_see_customer(actor, customer):
        raise CustomerError(_("That customer is outside your part of the network."))


def _check_not_erased(customer: Customer) -> None:
    if Customer.objects.filter(pk=customer.pk, erased_at__isnull=False).exists():
        raise CustomerError(
            _("This customer's personal data was erased on request: the card takes none again.")
        )


def normalise_contact(channel: str, value: str) -> str:
    if channel == ContactChannel.PHONE:
        return normalise_phone(value)
    if channel == ContactChannel.EMAIL:
        return normalise_email(value)
    return value.strip()


@transaction.atomic
def customer_create(
    *,
    actor: Any,
    external_id: str,
    unit: Unit,
    name: str,
    phone: str = "",
    email: str = "",
    **fields: Any,
) -> Customer:
    """Open a customer profile card, with a primary phone and e-mail when given."""
    _check_unit(actor, unit)
    if Customer.objects.filter(external_id=external_id).exists():
        raise CustomerError(
            _("A customer with external id %(id)s already exists.") % {"id": external_id}
        )
    customer = Customer.objects.create(external_id=external_id, unit=unit, name=name, **fields)
    customers_served([(customer.pk, unit.pk)])
    for channel, value in ((ContactChannel.PHONE, phone), (ContactChannel.EMAIL, email)):
        if value:
            _contact_add(customer, channel, value)
    audit_record(
        actor=actor,
        action="customer_create",
        obj=customer,
        unit=unit,
        changes={"external_id": external_id},
    )
    return customer


@transaction.atomic
def customer_update(*, actor: Any, customer: Customer, **values: Any) -> Customer:
    """Change profile fields of a customer the actor sees; a new home store must be
    inside the actor's part of the network. The changes are found against the stored
    row (a form may already have put the new values on the instance it was given)."""
    customer = (
        Customer.objects.select_for_update(of=("self",)).select_related("unit").get(pk=customer.pk)
    )
    _check_customer(actor, customer)
    _check_not_erased(customer)
    if "unit" in values and values["unit"] != customer.unit:
        _check_unit(actor, values["unit"])
        customers_served([(customer.pk, values["unit"].pk)])
    if values.get("advisor") is not None:
        _check_advisor(actor, values["advisor"])
    changes = changed_fields(customer, values, personal=PERSONAL_FIELDS)
    if changes:
        customer.save()
        audit_record(
            actor=actor, action="customer_update", obj=customer, unit=customer.unit, changes=changes
        )
    return customer


def _check_advisor(actor: Any, advisor: Any) -> None:
    if not advisor.is_active or (
        actor is not None and not visible_units(actor).filter(pk=advisor.unit_id).exists()
    ):
        raise CustomerError(_("That advisor is not one of your active staff."))


@transaction.atomic
def customers_hand_over(*, actor: Any, from_staff: Any, to_staff: Any) -> int:
    """Give the customers of ``from_staff`` (who left, or moves on) to ``to_staff``, so
    that nobody is left without their own advisor; audited with how many."""
    if not may_hand_over_customers(actor):
        raise CustomerError(_("Your role may not hand customers over."))
    if from_staff.pk == to_staff.pk:
        raise CustomerError(_("Choose another advisor to hand over to."))
    _check_advisor(actor, to_staff)
    if not visible_units(actor).filter(pk=from_staff.unit_id).exists():
        raise CustomerError(_("That advisor is outside your part of the network."))
    moved = Customer.objects.filter(advisor=from_staff).update(advisor=to_staff)
    audit_record(
        actor=actor,
        action="customers_hand_over",
        obj=to_staff,
        unit=to_staff.unit,
        changes={"from": from_staff.pk, "to": to_staff.pk, "customers": moved},
    )
    return moved


def _contact_add(customer: Customer, channel: str, value: str) -> Contact:
    try:
        normal = normalise_contact(channel, value)
    except ValueError as error:
        raise CustomerError(f"{value}: {error}") from error
    primary = not customer.contacts.filter(channel=channel).exists()
    contact, _created = Contact.objects.get_or_create(
        customer=customer, channel=channel, value=normal, defaults={"is_primary": primary}
    )
    return contact


@transaction.atomic
def contact_add(
    *, actor: Any, customer: Customer, channel: str, value: str, consent: bool = True
) -> Contact:
    _check_customer(actor, customer)
    _check_not_erased(customer)
    contact = _contact_add(customer, channel, value)
    if contact.consent != consent:
        contact.consent = consent
        contact.save(update_fields=["consent"])
    audit_record(
        actor=actor,
        action="contact_add",
        obj=customer,
        unit=customer.unit,
        changes={"channel": channel},
    )
    return contact


@transaction.atomic
def contact_set_opt_out(*, actor: Any, contact: Contact, opted_out: bool) -> Contact:
    """Record that the customer does (or again does not) refuse this channel."""
    _check_customer(actor, contact.customer)
    contact.opted_out_at = timezone.now() if opted_out else None
    contact.save(update_fields=["opted_out_at"])
    audit_record(
        actor=actor,
        action="contact_opt_out" if opted_out else "contact_opt_in",
        obj=contact.customer,
        unit=contact.customer.unit,
        changes={"channel": contact.channel},
    )
    return contact


@transaction.atomic
def contact_policy_set(*, actor: Any, **values: Any) -> ContactPolicy:
    """Change the quiet hours and the monthly cap of marketing; headquarters only."""
    if not may_set_care_rules(actor):
        raise CustomerError(_("Only headquarters sets how far customers may be contacted."))
    policy = ContactPolicy.current()
    policy = ContactPolicy.objects.select_for_update().get(pk=policy.pk)
    changes = changed_fields(policy, values)
    if changes:
        policy.save()
        audit_record(actor=actor, action="contact_policy_set", obj=policy, changes=changes)
    return policy


@transaction.atomic
def contact_set_marketing(*, actor: Any, contact: Contact, consent: bool) -> Contact:
    """Record the customer's yes (or no) to marketing on this channel: birthdays,
    festivals, events. Service messages do not ask for it."""
    if not may_edit_customers(actor):
        raise CustomerError(_("Your role may not change customers' contacts."))
    _check_customer(actor, contact.customer)
    marketing_record(actor=actor, contact=contact, consent=consent)
    return contact


def marketing_record(*, actor: Any, contact: Contact, consent: bool, via: str = "") -> None:
    """Write a contact's marketing consent and its audit row (inside the caller's
    transaction); ``via`` says how a customer's own no came (no acting user then)."""
    contact.marketing_consent = consent
    contact.save(update_fields=["marketing_consent"])
    audit_record(
        actor=actor,
        action="contact_marketing_yes" if consent else "contact_marketing_no",
        obj=contact.customer,
        unit=contact.customer.unit,
        changes={"channel": contact.channel, **({"via": via} if via else {})},
    )


@transaction.atomic
def customer_reveal(*, actor: Any, customer: Customer) -> dict[str, Any]:
    """Unmasked phone, e-mail and ID number, for roles that need them; each reveal is logged."""
    _check_customer(actor, customer)
    if not may_reveal_contacts(actor):
        raise CustomerError(_("Your role may not see customers' personal data."))
    audit_record(actor=actor, action="customer_reveal", obj=customer, unit=customer.unit)
    return {
        "id_number": customer.id_number,
        "contacts": {contact.pk: contact.value for contact in customer.contacts.all()},
    }


def phones_to_dial(*, actor: Any, customer: Customer) -> list[str]:
    """The phone numbers a caller dials, unmasked (each showing logged by
    ``customer_reveal``), leaving out those the customer opted out of; none for a role
    that may not see them."""
    try:
        revealed = customer_reveal(actor=actor, customer=customer)
    except DomainError:
        return []
    return [
        display_phone(contact.value)
        for contact in customer.contacts.all()
        if contact.channel == ContactChannel.PHONE
        and contact.opted_out_at is None
        and contact.pk in revealed["contacts"]
    ]


@transaction.atomic
def asset_create(*, actor: Any, customer: Customer, external_id: str, **fields: Any) -> Asset:
    _check_customer(actor, customer)
    _check_not_erased(customer)
    if Asset.objects.filter(external_id=external_id).exists():
        raise CustomerError(
            _("An asset with external id %(id)s already exists.") % {"id": external_id}
        )
    asset = Asset.objects.create(customer=customer, external_id=external_id, **fields)
    audit_record(
        actor=actor,
        action="asset_create",
        obj=asset,
        unit=customer.unit,
        changes={"external_id": external_id, "kind": asset.kind},
    )
    return asset


@transaction.atomic
def event_create(
    *,
    actor: Any,
    external_id: str,
    kind: str,
    unit: Unit,
    customer: Customer,
    opened_at: Any,
    closed_at: Any = None,
    amount: Decimal | int = 0,
    staff: Any = None,
    asset: Asset | None = None,
    odometer_km: int | None = None,
    part: str = "",
) -> ServiceEvent:
    """Record a service event entered by hand (imports and the API write in batches) for
    a customer the actor sees, at a unit of theirs."""
    _check_unit(actor, unit)
    _check_customer(actor, customer)
    if ServiceEvent.objects.filter(external_id=external_id).exists():
        raise CustomerError(
            _("A service event with external id %(id)s already exists.") % {"id": external_id}
        )
    if closed_at is not None and closed_at < opened_at:
        raise CustomerError(_("A service event cannot close before it opens."))
    if asset is not None and asset.customer_id != customer.pk:
        raise CustomerError(_("That asset belongs to another customer."))
    event = ServiceEvent.objects.create(
        external_id=external_id,
        kind=kind,
        unit=unit,
        customer=customer,
        opened_at=opened_at,
        closed_at=closed_at,
        amount=amount,
        staff=staff,
        asset=asset,
        odometer_km=odometer_km,
        part=part.strip()[:80],
    )
    customers_served([(customer.pk, unit.pk)])
    audit_record(
        actor=actor,
        action="event_create",
        obj=event,
        unit=unit,
        changes={"external_id": external_id, "kind": kind},
    )
    return event
