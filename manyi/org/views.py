"""Screens to browse and manage units and staff, scoped by ``visible_units``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from manyi.errors import DomainError
from manyi.org import selectors, services
from manyi.org.forms import PasswordResetForm, StaffCreateForm, StaffForm, UnitForm
from manyi.org.models import MANAGER_ROLES, NETWORK_ROLES, Role, Staff, Unit, UnitLevel
from manyi.web.forms import paginate


def _require_org_access(user: Staff) -> None:
    if not (user.is_superuser or user.role in MANAGER_ROLES | NETWORK_ROLES):
        raise PermissionDenied


def _get_or_404(getter, user, pk):  # type: ignore[no-untyped-def]
    try:
        return getter(user, pk)
    except (Unit.DoesNotExist, Staff.DoesNotExist) as error:
        raise Http404 from error


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    _require_org_access(request.user)
    units = selectors.unit_list(
        request.user, query=request.GET.get("q", ""), level=request.GET.get("level", "")
    )
    return render(
        request,
        "org/unit_list.html",
        {
            "page": paginate(request, units, 100),
            "levels": UnitLevel.choices,
            "may_edit": request.user.is_superuser or request.user.role in MANAGER_ROLES,
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_org_access(request.user)
    unit = _get_or_404(selectors.unit_get, request.user, pk)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.all(),
            "staff": selectors.staff_list(request.user, unit=unit.pk)[:200],
            "ancestors": Unit.objects.filter(pk__in=unit.ancestor_ids()).order_by("path"),
            "may_edit": request.user.is_superuser or request.user.role in MANAGER_ROLES,
        },
    )


@login_required
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_org_access(request.user)
    unit = _get_or_404(selectors.unit_get, request.user, pk) if pk else None
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if unit:
                data.pop("level", None)
                unit = services.unit_update(actor=request.user, unit=unit, **data)
            else:
                unit = services.unit_create(actor=request.user, **data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Unit saved."))
            return redirect("org:unit", pk=unit.pk)
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("Edit unit") if unit else _("New unit"), "back": "org:units"},
    )


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _require_org_access(request.user)
    unit = request.GET.get("unit")
    staff = selectors.staff_list(
        request.user,
        query=request.GET.get("q", ""),
        role=request.GET.get("role", ""),
        unit=int(unit) if unit and unit.isdigit() else None,
    )
    return render(
        request,
        "org/staff_list.html",
        {
            "page": paginate(request, staff),
            "roles": Role.choices,
            "may_edit": request.user.is_superuser or request.user.role in MANAGER_ROLES,
        },
    )


@login_required
def staff_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_org_access(request.user)
    staff = _get_or_404(selectors.staff_get, request.user, pk) if pk else None
    form_class = StaffForm if staff else StaffCreateForm
    form = form_class(request.POST or None, instance=staff, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if staff:
                data.pop("username", None)
                services.staff_update(actor=request.user, staff=staff, **data)
            else:
                services.staff_create(actor=request.user, **data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Staff member saved."))
            return redirect("org:staff")
    reset = PasswordResetForm() if staff else None
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": _("Edit staff member") if staff else _("New staff member"),
            "back": "org:staff",
            "reset_form": reset,
            "staff": staff,
        },
    )


@login_required
def staff_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    _require_org_access(request.user)
    staff = _get_or_404(selectors.staff_get, request.user, pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_set_password(
                actor=request.user, staff=staff, password=form.cleaned_data["password"]
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Password set."))
    else:
        for error in form.errors.get("password", []):
            messages.error(request, error)
    return redirect("org:staff_edit", pk=staff.pk)
