"""The phone a customer types on the public form proves nothing: it only suggests who
they are. A handler who may act on the case links the customer it matches — audited,
the way a store reaches a customer of the group it has not served — and from then on the
status link the form gave out no longer opens the case: replies go to the customer's own
contacts, with a new link."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.cases.models import Case, EntryKind
from manyi.cases.services import case_locked, last_case
from manyi.cases.timeline import entry_add
from manyi.customers.selectors import customers_with_phone
from manyi.customers.served import customer_matched, customers_served, has_served
from manyi.errors import DomainError
from manyi.org.permissions import may_handle_cases, may_see_unit


def phone_match(case: Case) -> Any:
    """The one customer of the group whose phone was given on the public form, for a
    case without a customer; None when nobody or several have it."""
    if case.customer_id or not case.given_phone:
        return None
    found = customers_with_phone(case.given_phone)
    return found[0] if len(found) == 1 else None


@transaction.atomic
def case_link_customer(*, actor: Any, case: Case) -> Case:
    """Make the customer whose phone was given the case's customer. The deadlines stay
    as they were set when the case came in (nobody knew the customer then)."""
    if not (may_handle_cases(actor) and may_see_unit(actor, case.unit_id)):
        raise DomainError(_("Your role may not change this case."))
    case = case_locked(case, editable=True)
    customer = phone_match(case)
    if customer is None:
        raise DomainError(_("No single customer of the group has the phone given."))
    if not has_served(customer, case.unit):
        customer_matched(actor=actor, customer_id=customer.pk, unit_id=case.unit_id, by="phone")
    case.customer, case.tier = customer, customer.tier
    case.repeat_of = last_case(customer, case.opened_at)
    case.save(update_fields=["customer", "tier", "repeat_of"])
    customers_served([(customer.pk, case.unit_id)])
    entry_add(
        case,
        EntryKind.CHANGE,
        actor,
        changes={"customer": ["", str(customer)], "tier": ["", customer.tier]},
    )
    audit_record(
        actor=actor,
        action="case.link_customer",
        obj=case,
        unit_id=case.unit_id,
        changes={"customer": customer.pk},
    )
    return case
