"""Reads of customers, assets and service events, always through ``visible_units``."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from manyi.customers.contacts import normalise_phone
from manyi.customers.models import Asset, Contact, Customer, ServiceEvent
from manyi.org.selectors import visible_unit_filter


def customer_list(
    user: Any,
    *,
    query: str = "",
    tier: str = "",
    unit: int | None = None,
    kind: str = "",
    vip: bool = False,
) -> QuerySet[Customer]:
    """Customers ``user`` may see; ``query`` matches name, phone, plate, VIN or external id."""
    customers = Customer.objects.filter(visible_unit_filter(user)).select_related("unit")
    if query:
        customers = customers.filter(_search(query.strip()))
    if tier:
        customers = customers.filter(tier=tier)
    if unit:
        customers = customers.filter(unit_id=unit)
    if kind:
        customers = customers.filter(kind=kind)
    if vip:
        customers = customers.filter(is_vip=True)
    return customers


def _search(query: str) -> Q:
    match = Q(name__icontains=query) | Q(external_id=query)
    match |= Q(
        pk__in=Asset.objects.filter(
            Q(plate__iexact=query.replace(" ", "")) | Q(identifier__iexact=query)
        ).values("customer_id")
    )
    digits = "".join(ch for ch in query if ch.isdigit() or ch == "+")
    if len(digits) >= 4:
        try:
            phone = normalise_phone(digits)
        except ValueError:
            phone_match = Q(value__endswith=digits)
        else:
            phone_match = Q(value=phone)
        match |= Q(
            pk__in=Contact.objects.filter(phone_match, channel="phone").values("customer_id")
        )
    return match


def customer_get(user: Any, pk: int) -> Customer:
    return customer_list(user).get(pk=pk)


TimelineSource = Callable[..., list[dict[str, Any]]]
_timeline_sources: list[TimelineSource] = []


def timeline_source(source: TimelineSource) -> TimelineSource:
    """Register a source of timeline entries (other apps: invitations, responses, cases).

    A source is called as ``source(customer, limit=N)`` and returns dicts with ``at``
    (when), ``type`` and ``template`` (the row's template), plus what that needs.
    """
    _timeline_sources.append(source)
    return source


def customer_timeline(customer: Customer, *, limit: int = 200) -> list[dict[str, Any]]:
    """The management card (客户管理卡): the customer's whole history, newest first."""
    events = customer.service_events.select_related("unit", "staff", "asset").order_by(
        "-opened_at"
    )[:limit]
    entries = [
        {
            "at": event.opened_at,
            "type": "service_event",
            "template": "customers/_timeline_event.html",
            "event": event,
        }
        for event in events
    ]
    for source in _timeline_sources:
        entries.extend(source(customer, limit=limit))
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries[:limit]


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


def events_by_month(user: Any, *, since: date) -> list[dict[str, Any]]:
    rows = (
        ServiceEvent.objects.filter(visible_unit_filter(user), opened_at__date__gte=since)
        .annotate(month=TruncMonth("opened_at"))
        .values("month")
        .annotate(events=Count("id"), revenue=Sum("amount"))
        .order_by("month")
    )
    return list(rows)


def customers_by_tier(user: Any) -> dict[str, int]:
    rows = Customer.objects.filter(visible_unit_filter(user)).values("tier").annotate(n=Count("id"))
    return {row["tier"]: row["n"] for row in rows}
