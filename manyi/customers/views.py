"""Customer cards, service events and tiers; every read goes through the selectors' scoping."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.customers import selectors, services, tiering
from manyi.customers.contacts import display_phone, mask_contact
from manyi.customers.forms import (
    AssetForm,
    ContactForm,
    CustomerFilterForm,
    CustomerForm,
    EventFilterForm,
    EventForm,
    TierPolicyForm,
)
from manyi.customers.models import Contact, Customer, ServiceEvent
from manyi.errors import DomainError
from manyi.org.models import CONTACT_ROLES, MANAGER_ROLES, NETWORK_ROLES
from manyi.web.exports import spreadsheet_response
from manyi.web.forms import paginate


def _customer_or_404(request: HttpRequest, pk: int) -> Customer:
    try:
        return selectors.customer_get(request.user, pk)
    except Customer.DoesNotExist as error:
        raise Http404 from error


def _may_edit(user) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or user.role in MANAGER_ROLES | CONTACT_ROLES


def _filtered_customers(request: HttpRequest):  # type: ignore[no-untyped-def]
    form = CustomerFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    customers = selectors.customer_list(
        request.user,
        query=data.get("q", ""),
        tier=data.get("tier", ""),
        unit=unit.pk if unit else None,
        vip=data.get("vip", False),
    )
    return form, customers


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    form, customers = _filtered_customers(request)
    return render(
        request,
        "customers/customer_list.html",
        {
            "form": form,
            "page": paginate(request, customers.prefetch_related("contacts")),
            "may_edit": _may_edit(request.user),
        },
    )


@login_required
def customer_export(request: HttpRequest) -> HttpResponse:
    """The customer list as CSV or XLSX; contacts stay masked in every export."""
    _form, customers = _filtered_customers(request)
    header = [
        _("External id"),
        _("Name"),
        _("Home store"),
        _("Kind"),
        _("Tier"),
        _("VIP"),
        _("Phone"),
        _("Province"),
        _("City"),
        _("District"),
        _("Revenue in window"),
    ]

    def rows():  # type: ignore[no-untyped-def]
        for customer in customers.prefetch_related("contacts").iterator(chunk_size=2000):
            phones = [c for c in customer.contacts.all() if c.channel == "phone"]
            yield [
                customer.external_id,
                customer.name,
                customer.unit.name,
                customer.get_kind_display(),
                customer.get_tier_display(),
                _("yes") if customer.is_vip else "",
                mask_contact("phone", phones[0].value) if phones else "",
                customer.province,
                customer.city,
                customer.district,
                float(customer.window_revenue),
            ]

    return spreadsheet_response(request.GET.get("format", "csv"), "customers", header, rows())


@login_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "contacts": customer.contacts.all(),
            "assets": customer.assets.all(),
            "timeline": selectors.customer_timeline(customer),
            "may_reveal": request.user.is_superuser or request.user.role in CONTACT_ROLES,
            "may_edit": _may_edit(request.user),
            "contact_form": ContactForm(),
        },
    )


@login_required
@require_POST
def customer_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    try:
        revealed = services.customer_reveal(actor=request.user, customer=customer)
    except DomainError as error:
        raise PermissionDenied(str(error)) from error
    contacts = [
        (
            contact,
            display_phone(revealed["contacts"][contact.pk])
            if contact.channel == "phone"
            else revealed["contacts"][contact.pk],
        )
        for contact in customer.contacts.all()
    ]
    return render(
        request,
        "customers/_revealed.html",
        {"customer": customer, "contacts": contacts, "id_number": revealed["id_number"]},
    )


@login_required
def customer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not _may_edit(request.user):
        raise PermissionDenied
    customer = _customer_or_404(request, pk) if pk else None
    form = CustomerForm(request.POST or None, instance=customer, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if customer:
                data.pop("external_id", None)
                data.pop("id_number", None)
                services.customer_update(actor=request.user, customer=customer, **data)
            else:
                data["external_id"] = data["external_id"] or f"M-{uuid.uuid4().hex[:12]}"
                customer = services.customer_create(actor=request.user, **data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Customer saved."))
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer})


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    if not _may_edit(request.user):
        raise PermissionDenied
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_add(actor=request.user, customer=customer, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Contact added."))
    else:
        messages.error(request, _("Enter a channel and a value."))
    return redirect("customers:detail", pk=customer.pk)


@login_required
@require_POST
def contact_opt_out(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    if not _may_edit(request.user):
        raise PermissionDenied
    try:
        contact = customer.contacts.get(pk=contact_pk)
    except Contact.DoesNotExist as error:
        raise Http404 from error
    services.contact_set_opt_out(
        actor=request.user, contact=contact, opted_out=request.POST.get("opted_out") == "1"
    )
    return redirect("customers:detail", pk=customer.pk)


@login_required
def asset_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    if not _may_edit(request.user):
        raise PermissionDenied
    form = AssetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["external_id"] = data["external_id"] or f"M-{uuid.uuid4().hex[:12]}"
        try:
            services.asset_create(actor=request.user, customer=customer, **data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Asset added."))
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/simple_form.html",
        {"form": form, "customer": customer, "title": _("Add an asset")},
    )


@login_required
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    if not _may_edit(request.user):
        raise PermissionDenied
    form = EventForm(
        request.POST or None, user=request.user, customer=customer, initial={"unit": customer.unit}
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=request.user,
                customer=customer,
                external_id=f"M-{uuid.uuid4().hex[:12]}",
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Service event recorded."))
            return redirect("customers:event", pk=event.pk)
    return render(
        request,
        "customers/simple_form.html",
        {"form": form, "customer": customer, "title": _("Record a service event")},
    )


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    events = selectors.event_list(
        request.user,
        kind=data.get("kind", ""),
        unit=unit.pk if unit else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        query=data.get("q", ""),
    )
    return render(
        request, "customers/event_list.html", {"form": form, "page": paginate(request, events)}
    )


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.event_get(request.user, pk)
    except ServiceEvent.DoesNotExist as error:
        raise Http404 from error
    return render(request, "customers/event_detail.html", {"event": event})


@login_required
def tiers(request: HttpRequest) -> HttpResponse:
    network = request.user.is_superuser or request.user.role in NETWORK_ROLES
    if not network:
        raise PermissionDenied
    policy = tiering.TierPolicy.current()
    form = TierPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            tiering.tier_policy_update(actor=request.user, **form.cleaned_data)
            if "recompute" in request.POST:
                tiering.tiers_recompute(actor=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tier policy saved."))
            return redirect("customers:tiers")
    return render(
        request,
        "customers/tiers.html",
        {"form": form, "policy": policy, "summary": tiering.tier_summary()},
    )
