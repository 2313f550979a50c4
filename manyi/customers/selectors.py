"""Reads of customers, assets and service events, always within what the user may see.

Service events belong to the unit that gave them (``visible_units``). A customer
belongs to the group and is visible where they were served (``visible_customers``);
the phone agent, who works on no customers of its own, sees those it calls.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from manyi.customers.contacts import normalise_phone
from manyi.customers.models import (
    Asset,
    Contact,
    ContactChannel,
    Customer,
    CustomerUnit,
    ServiceEvent,
    vip_service,
)
from manyi.customers.pinyin import looks_like_pinyin
from manyi.org.permissions import may_browse_customers, may_make_calls, may_reveal_contacts
from manyi.org.selectors import sees_network, visible_unit_filter, visible_units


def visible_customers(user: Any) -> QuerySet[Customer]:
    """Every customer ``user`` may see: the network's for HQ; for anyone else those
    served in their part of the network (``CustomerUnit``); for a phone agent the
    customers of the phone interviews and callbacks in its part."""
    if sees_network(user):
        return Customer.objects.all()
    units = visible_units(user).values("pk")
    if may_browse_customers(user):
        return Customer.objects.filter(
            pk__in=CustomerUnit.objects.filter(unit__in=units).values("customer_id")
        )
    if may_make_calls(user):
        # surveys and care build on customers: their models are looked up, not imported
        invitation = apps.get_model("surveys", "Invitation")
        callback = apps.get_model("care", "Callback")
        called = invitation.objects.filter(channel="phone", unit__in=units)
        to_call_back = callback.objects.filter(unit__in=units)
        return Customer.objects.filter(
            Q(pk__in=called.values("customer_id")) | Q(pk__in=to_call_back.values("customer_id"))
        )
    return Customer.objects.none()


def customers_with_phone(e164: str, *, most: int = 2) -> list[Customer]:
    """Customers of the whole group with exactly this phone (at most ``most``: asking
    whether it is one customer or several needs two)."""
    return list(
        Customer.objects.filter(
            contacts__channel=ContactChannel.PHONE, contacts__value=e164
        ).distinct()[:most]
    )


def has_own_customers(user: Any) -> bool:
    """Whether the user is someone's own advisor (专属顾问) and may browse customers:
    only they are shown their own customers' visits and cases."""
    return may_browse_customers(user) and Customer.objects.filter(advisor=user.pk).exists()


def may_see_customer(user: Any, customer: Customer) -> bool:
    return visible_customers(user).filter(pk=customer.pk).exists()


def customer_list(
    user: Any,
    *,
    query: str = "",
    tier: str = "",
    unit: int | None = None,
    kind: str = "",
    vip: bool = False,
) -> QuerySet[Customer]:
    """Customers ``user`` may see; ``query`` matches name, phone, plate, VIN or external
    id. Someone who may not reveal phone numbers finds a customer by phone only with the
    whole number (no "ends with" guessing)."""
    customers = visible_customers(user).select_related("unit")
    if query:
        customers = customers.filter(
            _search(query.strip(), partial_phone=may_reveal_contacts(user))
        )
    if tier:
        customers = customers.filter(tier=tier)
    if unit:
        customers = customers.filter(unit_id=unit)
    if kind:
        customers = customers.filter(kind=kind)
    if vip:
        customers = customers.filter(vip_service())
    return customers


def customer_segment(
    user: Any,
    *,
    tiers: list[str] | tuple[str, ...] = (),
    kinds: list[str] | tuple[str, ...] = (),
    unit: Any = None,
    visited_from: date | None = None,
    visited_to: date | None = None,
) -> QuerySet[Customer]:
    """The customers ``user`` may see in a segment: of these tiers and kinds, at home at
    or served at ``unit`` or below it, whose last service event (by day it opened, local time) falls
    between ``visited_from`` and ``visited_to``. Any part left out does not filter."""
    customers = visible_customers(user)
    if tiers:
        customers = customers.filter(tier__in=tiers)
    if kinds:
        customers = customers.filter(kind__in=kinds)
    if unit is not None:
        served = ServiceEvent.objects.filter(unit__path__startswith=unit.path)
        customers = customers.filter(
            Q(unit__path__startswith=unit.path) | Q(pk__in=served.values("customer_id"))
        )
    if visited_from or visited_to:
        last = ServiceEvent.objects.values("customer_id").annotate(last=Max("opened_at"))
        if visited_from:
            last = last.filter(last__gte=_day_start(visited_from))
        if visited_to:
            last = last.filter(last__lt=_day_start(visited_to + timedelta(days=1)))
        customers = customers.filter(pk__in=last.values("customer_id"))
    return customers


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=timezone.get_current_timezone())


def phone_digits(query: str) -> str:
    """The digits of a search that looks like a phone number (four or more), else ""."""
    digits = "".join(ch for ch in query if ch in "0123456789+")
    return digits if len(digits) >= 4 else ""


def _search(query: str, *, partial_phone: bool) -> Q:
    match = Q(name__icontains=query) | Q(external_id=query)
    if looks_like_pinyin(query):
        match |= Q(name_pinyin__contains=query.replace(" ", "").lower())
    match |= Q(
        pk__in=Asset.objects.filter(
            Q(plate__iexact=query.replace(" ", "")) | Q(identifier__iexact=query)
        ).values("customer_id")
    )
    if digits := phone_digits(query):
        try:
            phone_match = Q(value=normalise_phone(digits))
        except ValueError:
            phone_match = Q(value__endswith=digits) if partial_phone else Q(pk__in=[])
        match |= Q(
            pk__in=Contact.objects.filter(phone_match, channel="phone").values("customer_id")
        )
    return match


def customer_get(user: Any, pk: int) -> Customer:
    return visible_customers(user).select_related("unit", "advisor").get(pk=pk)


TimelineSource = Callable[..., list[dict[str, Any]]]
_timeline_sources: list[tuple[TimelineSource, Callable[[Any], bool] | None]] = []


def timeline_source(
    source: TimelineSource, *, shown_to: Callable[[Any], bool] | None = None
) -> TimelineSource:
    """Register a source of timeline entries (other apps: invitations, responses, cases).

    A source is called as ``source(customer, limit=N, units=U)`` and returns dicts with
    ``at`` (when), ``type`` and ``template`` (the row's template), plus what that needs,
    of the units ``U`` only (a queryset of unit ids; None: every unit). ``shown_to``, a
    permission predicate, keeps a source's entries from those it does not admit.
    """
    _timeline_sources.append((source, shown_to))
    return source


def customer_timeline(
    user: Any, customer: Customer, *, limit: int = 200
) -> tuple[list[dict[str, Any]], int]:
    """The management card (客户管理卡): the customer's history in ``user``'s part of the
    network, newest first, and how many visits they made elsewhere in the group (shown
    as a count, never as details: another store's staff, amounts and scores are its own)."""
    units = None if sees_network(user) else visible_units(user).values("pk")
    events = customer.service_events.select_related("unit", "staff", "asset")
    elsewhere = 0
    if units is not None:
        elsewhere = events.exclude(unit__in=units).count()
        events = events.filter(unit__in=units)
    entries = [
        {
            "at": event.opened_at,
            "type": "service_event",
            "template": "customers/_timeline_event.html",
            "event": event,
        }
        for event in events.order_by("-opened_at")[:limit]
    ]
    entries += [
        {
            "at": move.changed_at,
            "type": "tier_change",
            "template": "customers/_timeline_tier.html",
            "move": move,
        }
        for move in customer.tier_changes.order_by("-changed_at")[:limit]
    ]
    for source, shown_to in _timeline_sources:
        if shown_to is None or shown_to(user):
            entries.extend(source(customer, limit=limit, units=units))
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries[:limit], elsewhere


def event_list(
    user: Any,
    *,
    kind: str = "",
    unit: int | None = None,
    staff: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    query: str = "",
) -> QuerySet[ServiceEvent]:
    events = ServiceEvent.objects.filter(visible_unit_filter(user)).select_related(
        "unit", "customer", "staff", "asset"
    )
    if kind:
        events = events.filter(kind=kind)
    if unit:
        events = events.filter(Q(unit_id=unit) | Q(unit__parent_id=unit))
    if staff:
        events = events.filter(staff_id=staff)
    if date_from:
        events = events.filter(opened_at__date__gte=date_from)
    if date_to:
        events = events.filter(opened_at__date__lte=date_to)
    if query:
        events = events.filter(Q(external_id=query) | Q(customer__name__icontains=query))
    return events


def event_get(user: Any, pk: int) -> ServiceEvent:
    return event_list(user).get(pk=pk)


def departed_advisors(user: Any) -> QuerySet[Any]:
    """Staff who left (inactive) with customers still theirs, in ``user``'s part."""
    from manyi.org.models import Staff

    return (
        Staff.objects.filter(
            visible_unit_filter(user), is_active=False, own_customers__isnull=False
        )
        .annotate(customers=Count("own_customers"))
        .select_related("unit")
        .order_by("full_name")
    )
