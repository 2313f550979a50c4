"""Units and staff, read only."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from manyi.api.auth import needs
from manyi.api.pagination import Page
from manyi.api.schemas import Id
from manyi.org import selectors
from manyi.org.permissions import may_view_org

router = Router(tags=["organisation"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    kind: str
    parent_id: int | None
    province: str
    city: str
    is_active: bool


class StaffOut(Schema):
    id: int
    code: str | None
    username: str
    full_name: str
    unit_id: int | None
    role: str
    position: str
    is_active: bool


@router.get("/units", response=list[UnitOut], auth=needs(may_view_org))
@paginate(Page)
def list_units(request: HttpRequest, level: str = "", q: str = ""):  # type: ignore[no-untyped-def]
    return selectors.unit_list(request.user, query=q, level=level)


@router.get("/units/{id:unit_id}", response=UnitOut, auth=needs(may_view_org))
def get_unit(request: HttpRequest, unit_id: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(selectors.unit_list(request.user), pk=unit_id)


@router.get("/staff", response=list[StaffOut], auth=needs(may_view_org))
@paginate(Page)
def list_staff(
    request: HttpRequest,
    role: str = "",
    q: str = "",  # type: ignore[no-untyped-def]
    unit_id: Id | None = None,
):
    return selectors.staff_list(request.user, query=q, role=role, unit=unit_id)
