"""Customer cards, service events and tiers; every read goes through the selectors' scoping."""

import uuid

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.customers import selectors, served, services, tiering
from manyi.customers.contacts import display_phone, mask_contact
from manyi.customers.forms import (
    AssetForm,
    ContactForm,
    CustomerFilterForm,
    CustomerForm,
    EventFilterForm,
    EventForm,
    HandoverForm,
    TierPolicyForm,
)
from manyi.customers.models import Contact, Customer, ServiceEvent
from manyi.errors import DomainError
from manyi.org.permissions import (
    may_browse_customers,
    may_edit_customers,
    may_export_customers,
    may_hand_over_customers,
    may_handle_cases,
    may_manage_tiers,
    may_reveal_contacts,
    requires,
)
from manyi.web.converters import parse_id
from manyi.web.exports import spreadsheet_response
from manyi.web.forms import form_errors, paginate


def _customer_or_404(request: HttpRequest, pk: int) -> Customer:
    try:
        return selectors.customer_get(request.user, pk)
    except Customer.DoesNotExist as error:
        raise Http404 from error


def _filtered_customers(request: HttpRequest):  # type: ignore[no-untyped-def]
    form = CustomerFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        raise BadRequest(form_errors(form))
    data = form.cleaned_data if form.is_bound else {}
    unit = data.get("unit")
    try:
        if "page" not in request.GET:  # a search is counted once, not once a page
            served.customer_phone_search(actor=request.user, query=data.get("q", ""))
    except DomainError as error:
        messages.error(request, str(error))
        return form, Customer.objects.none()
    customers = selectors.customer_list(
        request.user,
        query=data.get("q", ""),
        tier=data.get("tier", ""),
        unit=unit.pk if unit else None,
        vip=data.get("vip", False),
    )
    return form, customers


@requires(may_browse_customers)
def customer_list(request: HttpRequest) -> HttpResponse:
    form, customers = _filtered_customers(request)
    page = paginate(request, customers.prefetch_related("contacts"))
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    return render(
        request,
        "customers/customer_list.html",
        {
            "form": form,
            "page": page,
            "may_edit": may_edit_customers(request.user),
            # Nobody here has served them: a store may still reach a customer of the
            # group by an exact id or phone number (audited).
            "offer_match": bool(
                query and not page.object_list and may_edit_customers(request.user)
            ),
            "query": query,
        },
    )


@requires(may_edit_customers)
@require_POST
def customer_match(request: HttpRequest) -> HttpResponse:
    """Reach a customer of the group by exact external id or whole phone number."""
    try:
        customer = served.customer_match(actor=request.user, query=request.POST.get("q", ""))
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("customers:list")
    return redirect("customers:detail", pk=customer.pk)


@requires(may_export_customers)
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


@requires(may_browse_customers)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    timeline, elsewhere = selectors.customer_timeline(request.user, customer)
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "contacts": customer.contacts.all(),
            "assets": customer.assets.all(),
            "timeline": timeline,
            "visits_elsewhere": elsewhere,
            "may_reveal": may_reveal_contacts(request.user),
            "may_edit": may_edit_customers(request.user),
            "may_open_case": may_handle_cases(request.user),
            "contact_form": ContactForm(),
        },
    )


@requires(may_reveal_contacts)
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


@requires(may_edit_customers)
def customer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
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


@requires(may_edit_customers)
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
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


@requires(may_edit_customers)
@require_POST
def contact_opt_out(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    try:
        contact = customer.contacts.get(pk=contact_pk)
    except Contact.DoesNotExist as error:
        raise Http404 from error
    services.contact_set_opt_out(
        actor=request.user, contact=contact, opted_out=request.POST.get("opted_out") == "1"
    )
    return redirect("customers:detail", pk=customer.pk)


@requires(may_edit_customers)
@require_POST
def contact_marketing(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    try:
        contact = customer.contacts.get(pk=contact_pk)
    except Contact.DoesNotExist as error:
        raise Http404 from error
    services.contact_set_marketing(
        actor=request.user, contact=contact, consent=request.POST.get("consent") == "1"
    )
    return redirect("customers:detail", pk=customer.pk)


@requires(may_edit_customers)
def asset_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
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


@requires(may_edit_customers)
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
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


@requires(may_browse_customers)
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        raise BadRequest(form_errors(form))
    data = form.cleaned_data if form.is_bound else {}
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


@requires(may_browse_customers)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.event_get(request.user, pk)
    except ServiceEvent.DoesNotExist as error:
        raise Http404 from error
    return render(request, "customers/event_detail.html", {"event": event})


@requires(may_manage_tiers)
def tiers(request: HttpRequest) -> HttpResponse:
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


@requires(may_hand_over_customers)
def handover(request: HttpRequest) -> HttpResponse:
    """Advisors who left with customers still theirs, and where to hand them over."""
    if request.method == "POST":
        form = HandoverForm(request.POST, user=request.user)
        leaving = (
            selectors.departed_advisors(request.user)
            .filter(pk=parse_id(request.POST.get("from_staff")))
            .first()
        )
        if leaving is None:
            raise Http404
        if form.is_valid():
            try:
                moved = services.customers_hand_over(
                    actor=request.user, from_staff=leaving, to_staff=form.cleaned_data["to_staff"]
                )
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("%(n)s customers handed over to %(to)s.")
                    % {"n": moved, "to": form.cleaned_data["to_staff"]},
                )
            return redirect("customers:handover")
    return render(
        request,
        "customers/handover.html",
        {
            "departed": selectors.departed_advisors(request.user),
            "form": HandoverForm(user=request.user),
        },
    )
