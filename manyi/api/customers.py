"""Customers, assets and service events: read, and upsert by external id (one or a batch).

Writes go through the import engine, so the API checks exactly what a file import
checks and a batch is stored all or nothing. Contacts are always masked here.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import ErrorOut, Id, In
from manyi.customers import selectors, served
from manyi.customers.contacts import mask_contact
from manyi.customers.models import Customer, ServiceEvent
from manyi.imports.readers import open_rows
from manyi.imports.services import import_rows
from manyi.org.permissions import may_browse_customers, may_edit_customers

router = Router(tags=["customers"])
MAX_BATCH = 1000


class CustomerIn(In):
    external_id: str
    name: str
    unit_code: str
    party_type: str | None = None
    kind: str | None = None
    phone: str | None = None
    email: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    id_number: str | None = None
    language: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    is_vip: bool | None = None
    vip_reason: str | None = None


class ContactOut(Schema):
    channel: str
    value_masked: str
    is_primary: bool
    reachable: bool


class CustomerOut(Schema):
    id: int
    external_id: str
    name: str
    unit_id: int
    party_type: str
    kind: str
    tier: str
    is_vip: bool
    province: str
    city: str
    district: str
    contacts: list[ContactOut]

    @staticmethod
    def resolve_contacts(customer: Customer) -> list[dict[str, Any]]:
        return [
            {
                "channel": c.channel,
                "value_masked": mask_contact(c.channel, c.value),
                "is_primary": c.is_primary,
                "reachable": c.reachable,
            }
            for c in customer.contacts.all()
        ]


class AssetIn(In):
    external_id: str
    customer_external_id: str
    kind: str | None = None
    identifier: str | None = None
    plate: str | None = None
    model_name: str | None = None
    purchased_on: date | None = None


class EventIn(In):
    external_id: str
    kind: str
    unit_code: str
    customer_external_id: str
    staff_code: str | None = None
    asset_external_id: str | None = None
    opened_at: datetime
    closed_at: datetime | None = None
    amount: Decimal | None = None
    odometer_km: int | None = Field(default=None, ge=0, lt=10_000_000)
    part: str | None = Field(default=None, max_length=80)


class EventOut(Schema):
    id: int
    external_id: str
    kind: str
    unit_id: int
    customer_id: int
    staff_id: int | None
    asset_id: int | None
    opened_at: datetime
    closed_at: datetime | None
    amount: Decimal
    odometer_km: int | None
    part: str


class BatchOut(Schema):
    import_id: int
    created: int
    updated: int


def _upsert(request: HttpRequest, kind: str, items: list[Schema]) -> Status:
    if not 1 <= len(items) <= MAX_BATCH:
        raise HttpError(400, f"Send between 1 and {MAX_BATCH} items.")
    rows = [item.model_dump(exclude_none=True) for item in items]
    job = import_rows(actor=request.user, kind=kind, rows=open_rows(rows))
    if job.error_count:
        return Status(
            422,
            {
                "detail": "Nothing was stored: some items have errors.",
                "error_count": job.error_count,
                "errors": [
                    {
                        "index": e["row"],
                        "field": e["column"],
                        "value": e["value"],
                        "message": e["message"],
                    }
                    for e in job.errors
                ],
            },
        )
    return Status(
        200, {"import_id": job.pk, "created": job.created_count, "updated": job.updated_count}
    )


@router.get("/customers", response=list[CustomerOut], auth=needs(may_browse_customers))
@paginate(Page)
def list_customers(
    request: HttpRequest,
    q: str = "",
    tier: str = "",  # type: ignore[no-untyped-def]
    unit_id: Id | None = None,
):
    served.customer_phone_search(actor=request.user, query=q)  # audited, rate-limited
    return selectors.customer_list(request.user, query=q, tier=tier, unit=unit_id).prefetch_related(
        "contacts"
    )


@router.get("/customers/{id:customer_id}", response=CustomerOut, auth=needs(may_browse_customers))
def get_customer(request: HttpRequest, customer_id: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(selectors.customer_list(request.user), pk=customer_id)


@router.post(
    "/customers", response={200: CustomerOut, 422: ErrorOut}, auth=needs(may_edit_customers)
)
def upsert_customer(request: HttpRequest, item: CustomerIn):  # type: ignore[no-untyped-def]
    result = _upsert(request, "customers", [item])
    if result.status_code != 200:
        return result
    return Customer.objects.prefetch_related("contacts").get(external_id=item.external_id)


@router.post(
    "/customers/batch", response={200: BatchOut, 422: ErrorOut}, auth=needs(may_edit_customers)
)
def upsert_customers(request: HttpRequest, items: list[CustomerIn]):  # type: ignore[no-untyped-def]
    return _upsert(request, "customers", items)


@router.post(
    "/assets/batch", response={200: BatchOut, 422: ErrorOut}, auth=needs(may_edit_customers)
)
def upsert_assets(request: HttpRequest, items: list[AssetIn]):  # type: ignore[no-untyped-def]
    return _upsert(request, "assets", items)


@router.get("/events", response=list[EventOut], auth=needs(may_browse_customers))
@paginate(Page)
def list_events(
    request: HttpRequest,
    kind: str = "",  # type: ignore[no-untyped-def]
    unit_id: Id | None = None,
    since: date | None = None,
    until: date | None = None,
):
    return selectors.event_list(
        request.user, kind=kind, unit=unit_id, date_from=since, date_to=until
    )


@router.get("/events/{id:event_id}", response=EventOut, auth=needs(may_browse_customers))
def get_event(request: HttpRequest, event_id: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(selectors.event_list(request.user), pk=event_id)


@router.post("/events", response={200: EventOut, 422: ErrorOut}, auth=needs(may_edit_customers))
def upsert_event(request: HttpRequest, item: EventIn):  # type: ignore[no-untyped-def]
    result = _upsert(request, "events", [item])
    if result.status_code != 200:
        return result
    return ServiceEvent.objects.get(external_id=item.external_id)


@router.post(
    "/events/batch", response={200: BatchOut, 422: ErrorOut}, auth=needs(may_edit_customers)
)
def upsert_events(request: HttpRequest, items: list[EventIn]):  # type: ignore[no-untyped-def]
    return _upsert(request, "events", items)
