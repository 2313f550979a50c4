"""A customer's personal-data rights through the API: the export a data-protection
desk hands over, and erasure on request. Both audited, as on screen."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from manyi.api.auth import needs
from manyi.api.schemas import ErrorOut
from manyi.customers import selectors
from manyi.org.permissions import may_handle_personal_data
from manyi.privacy.services import customer_data_export, customer_erase

router = Router(tags=["personal data"])


class ErasedOut(Schema):
    customer_id: int
    changed: dict[str, int]


@router.get(
    "/customers/{id:customer_id}/personal-data",
    response={200: dict[str, Any], 400: ErrorOut},
    auth=needs(may_handle_personal_data),
)
def export_personal_data(request: HttpRequest, customer_id: int):  # type: ignore[no-untyped-def]
    """Everything manyi holds about the customer, in one document."""
    customer = get_object_or_404(selectors.customer_list(request.user), pk=customer_id)
    return customer_data_export(actor=request.user, customer=customer)


@router.post(
    "/customers/{id:customer_id}/erase",
    response={200: ErasedOut, 400: ErrorOut},
    auth=needs(may_handle_personal_data),
)
def erase_personal_data(request: HttpRequest, customer_id: int):  # type: ignore[no-untyped-def]
    """Erase the customer's personal data, keeping the anonymous figures."""
    customer = get_object_or_404(selectors.customer_list(request.user), pk=customer_id)
    changed = customer_erase(actor=request.user, customer=customer)
    return {"customer_id": customer.pk, "changed": changed}
