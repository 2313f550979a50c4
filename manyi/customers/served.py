"""Where a customer was served, and how a store reaches a customer of the group.

A customer belongs to the group and is visible to the units that served them (an event,
case or response there) and those above (``CustomerUnit``, read by
``selectors.visible_customers``). A store reaches a customer it has not served only by
their exact external id or whole phone number: the match is audited and adds the store.
Searches by phone are audited, and limited for roles that may not reveal numbers.
"""

from collections.abc import Iterable
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.customers.contacts import mask_phone, normalise_phone
from manyi.customers.models import Customer, CustomerUnit
from manyi.customers.selectors import customers_with_phone, may_see_customer, phone_digits
from manyi.errors import DomainError
from manyi.org.models import Unit, UnitLevel
from manyi.org.permissions import may_browse_customers, may_edit_customers, may_reveal_contacts
from manyi.org.selectors import scope_unit
from manyi.web.ratelimit import allow


class CustomerReachError(DomainError):
    pass


def customers_served(pairs: Iterable[tuple[int, int]]) -> None:
    """Record that each (customer id, unit id) was served there, so the customer is
    visible to that unit's store and above. A department counts as its store. Kept
    once per pair; call inside the transaction that records the service."""
    pairs = set(pairs)
    if not pairs:
        return
    stores = dict(
        Unit.objects.filter(
            pk__in={unit for _customer, unit in pairs}, level=UnitLevel.DEPARTMENT
        ).values_list("pk", "parent_id")
    )
    _insert_new({(customer, stores.get(unit, unit)) for customer, unit in pairs})


def _insert_new(pairs: set[tuple[int, int]]) -> None:
    """One statement for the pairs not yet kept: an import brings a row for nearly every
    event, and building a model for each cost more than the database did."""
    table = CustomerUnit._meta.db_table
    since = connection.ops.adapt_datetimefield_value(timezone.now())
    # In the order of the unique (unit, customer) index: its pages are then filled one
    # after another instead of at random.
    ordered = sorted(pairs, key=lambda pair: (pair[1], pair[0]))
    customers, units = [c for c, _u in ordered], [u for _c, u in ordered]
    if connection.vendor == "postgresql":
        # The ids go apart from the statement, in binary: quoting them into its text,
        # as Django's cursor does, takes four times as long (0.3 s per 100,000 pairs).
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                f"INSERT INTO {table} (customer_id, unit_id, since) "  # noqa: S608
                "SELECT c, u, %s FROM unnest(%b::bigint[], %b::bigint[]) AS t (c, u) "
                "ON CONFLICT DO NOTHING",
                [since, customers, units],
                prepare=False,  # as Django's statements: nothing left named on a pooled connection
            )
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT OR IGNORE INTO {table} (customer_id, unit_id, since) "  # noqa: S608
            "VALUES (%s, %s, %s)",
            [(c, u, since) for c, u in ordered],
        )


# Every customer where they were served (for data loaded in bulk, like the demo); as
# migration 0004 (which must not change with this module), leaving out pairs already in.
_SERVED_FROM_HISTORY = """
    INSERT INTO customers_customerunit (customer_id, unit_id, since)
    SELECT DISTINCT served.customer_id,
           CASE WHEN unit.level = 'department' THEN unit.parent_id ELSE unit.id END,
           CURRENT_TIMESTAMP
    FROM (
        SELECT id AS customer_id, unit_id FROM customers_customer
        UNION SELECT customer_id, unit_id FROM customers_serviceevent
        UNION SELECT customer_id, unit_id FROM cases_case WHERE customer_id IS NOT NULL
        UNION SELECT customer_id, unit_id FROM surveys_response WHERE customer_id IS NOT NULL
    ) AS served JOIN org_unit AS unit ON unit.id = served.unit_id
    WHERE NOT EXISTS (
        SELECT 1 FROM customers_customerunit AS known
        WHERE known.customer_id = served.customer_id
          AND known.unit_id = CASE WHEN unit.level = 'department' THEN unit.parent_id
                                   ELSE unit.id END
    )
"""


def customers_served_from_history() -> None:
    """Fill ``CustomerUnit`` out of the stored history (pairs already known stay)."""
    with connection.cursor() as cursor:
        cursor.execute(_SERVED_FROM_HISTORY)


def has_served(customer: Customer, unit: Unit) -> bool:
    """Whether ``unit``'s store keeps the customer's card or has served them."""
    store_id = unit.parent_id if unit.level == UnitLevel.DEPARTMENT else unit.pk
    return (
        customer.unit_id == store_id
        or CustomerUnit.objects.filter(customer=customer, unit_id=store_id).exists()
    )


def customer_matched(*, actor: Any, customer_id: int, unit_id: int, by: str) -> None:
    """Audit that ``actor`` reached a customer of the group their part of the network
    has not served, by an exact ``by`` match ("phone" or "external_id"); the customer
    is visible to ``unit_id`` from now on. Inside the caller's transaction."""
    customers_served([(customer_id, unit_id)])
    customer = Customer.objects.only("pk", "external_id").get(pk=customer_id)
    audit_record(
        actor=actor, action="customer_match", obj=customer, unit_id=unit_id, changes={"by": by}
    )


@transaction.atomic
def customer_match(*, actor: Any, query: str) -> Customer:
    """Find a customer of the group by their exact external id or whole phone number,
    for a store that has not served them yet: the match is audited and the customer
    becomes one of the store's (its own customers are simply found)."""
    if not may_edit_customers(actor):
        raise CustomerReachError(_("Your role may not add customers."))
    unit = scope_unit(actor)
    if unit is None:
        raise CustomerReachError(_("You have no unit to add the customer to."))
    query = query.strip()
    by, found = "external_id", list(Customer.objects.filter(external_id=query)[:1])
    if not found:
        try:
            phone = normalise_phone(query)
        except ValueError:
            phone = ""
        by = "phone"
        found = customers_with_phone(phone) if phone else []
    if not found:
        raise CustomerReachError(_("No customer of the group has exactly this id or phone number."))
    if len(found) > 1:
        raise CustomerReachError(
            _("Several customers share this phone number: use the customer's external id.")
        )
    customer = found[0]
    if not may_see_customer(actor, customer):
        customer_matched(actor=actor, customer_id=customer.pk, unit_id=unit.pk, by=by)
    return customer


@transaction.atomic
def customer_phone_search(*, actor: Any, query: str) -> None:
    """Before a search by phone: every one is written to the audit log (the number
    masked); a role that may not reveal numbers has an hourly allowance, so numbers
    cannot be confirmed by guessing. Raises when the allowance is spent."""
    digits = phone_digits(query)
    if not digits:
        return
    if not (may_browse_customers(actor) or may_reveal_contacts(actor)):
        raise CustomerReachError(_("Your role may not search customers."))
    if not may_reveal_contacts(actor) and not allow(
        f"phone-search:{actor.pk}", limit=settings.PHONE_SEARCHES_PER_HOUR, seconds=3600
    ):
        raise CustomerReachError(
            _("You have searched by phone number %(n)s times this hour; try again later.")
            % {"n": settings.PHONE_SEARCHES_PER_HOUR}
        )
    try:
        shown = mask_phone(normalise_phone(digits))
    except ValueError:
        shown = "*" + digits[-4:]
    audit_record(
        actor=actor,
        action="customer_phone_search",
        object_type="customers.customer",
        unit=scope_unit(actor),
        changes={"phone": shown},
    )
