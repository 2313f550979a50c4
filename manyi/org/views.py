"""Screens to browse and manage units and staff, scoped by ``visible_units``."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from manyi.errors import DomainError
from manyi.org import selectors, services
from manyi.org.forms import PasswordResetForm, StaffCreateForm, StaffFilter, StaffForm, UnitForm
from manyi.org.models import Role, Staff, Unit, UnitLevel
from manyi.org.permissions import may_manage_org, may_reset_two_factor, may_view_org, requires
from manyi.org.two_factor import two_factor_enabled, two_factor_off
from manyi.web.forms import paginate, query_params


def _get_or_404(getter, user, pk):  # type: ignore[no-untyped-def]
    try:
        return getter(user, pk)
    except (Unit.DoesNotExist, Staff.DoesNotExist) as error:
        raise Http404 from error


@requires(may_view_org)
def unit_list(request: HttpRequest) -> HttpResponse:
    units = selectors.unit_list(
        request.user, query=request.GET.get("q", ""), level=request.GET.get("level", "")
    )
    return render(
        request,
        "org/unit_list.html",
        {
            "page": paginate(request, units, 100),
            "levels": UnitLevel.choices,
            "may_edit": may_manage_org(request.user),
        },
    )


@requires(may_view_org)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_or_404(selectors.unit_get, request.user, pk)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.all(),
            "staff": selectors.staff_list(request.user, unit=unit.pk)[:200],
            "ancestors": Unit.objects.filter(pk__in=unit.ancestor_ids()).order_by("path"),
            "may_edit": may_manage_org(request.user),
        },
    )


@requires(may_manage_org)
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
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


@requires(may_view_org)
def staff_list(request: HttpRequest) -> HttpResponse:
    given = query_params(request, StaffFilter, user=request.user)
    staff = selectors.staff_list(
        request.user,
        query=given["q"],
        role=given["role"],
        unit=given["unit"].pk if given["unit"] else None,
    )
    return render(
        request,
        "org/staff_list.html",
        {
            "page": paginate(request, staff),
            "roles": Role.choices,
            "may_edit": may_manage_org(request.user),
        },
    )


@requires(may_manage_org)
def staff_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
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
    two_factor = staff and may_reset_two_factor(request.user) and two_factor_enabled(staff)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": _("Edit staff member") if staff else _("New staff member"),
            "back": "org:staff",
            "reset_form": reset,
            "staff": staff,
            "two_factor_on": two_factor,
        },
    )


@requires(may_manage_org)
def staff_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
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


@requires(may_reset_two_factor)
def staff_two_factor_off(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator turns off a person's two-factor sign-in; they set it up anew."""
    staff = _get_or_404(selectors.staff_get, request.user, pk)
    if request.method == "POST":
        try:
            two_factor_off(actor=request.user, staff=staff)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Two-factor sign-in is off; they set it up at their next sign-in.")
            )
    return redirect("org:staff_edit", pk=staff.pk)
