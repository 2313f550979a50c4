"""The personal-data screens: the register with the retention periods, a customer's
data panel (health-data consent, export, erasure) and the erasure's confirmation."""

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.customers import selectors as customer_selectors
from manyi.customers.models import Customer
from manyi.errors import DomainError
from manyi.org.permissions import (
    may_browse_customers,
    may_edit_customers,
    may_handle_personal_data,
    requires,
)
from manyi.privacy import selectors, services
from manyi.privacy.consent import consent_in_force
from manyi.privacy.forms import EraseForm, HealthConsentForm, RetentionForm
from manyi.privacy.models import RetentionPolicy
from manyi.web.forms import form_errors


def _customer_or_404(request: HttpRequest, pk: int) -> Customer:
    try:
        return customer_selectors.customer_get(request.user, pk)
    except Customer.DoesNotExist as error:
        raise Http404 from error


@requires(may_handle_personal_data)
def overview(request: HttpRequest) -> HttpResponse:
    """The register of personal data, the retention periods, requests and purges."""
    policy = RetentionPolicy.current()
    form = RetentionForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_policy_save(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Retention periods saved."))
            return redirect("privacy:overview")
    return render(
        request,
        "privacy/overview.html",
        {
            "form": form,
            "policy": policy,
            "register": selectors.register_rows(),
            "requests": selectors.data_requests(request.user),
        },
    )


@requires(may_browse_customers)
def customer_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The card's personal-data panel (loaded into the customer card)."""
    customer = _customer_or_404(request, pk)
    units = selectors.consent_units(request.user, customer)
    return render(
        request,
        "privacy/_customer_panel.html",
        {
            "customer": customer,
            "consent": consent_in_force(customer.pk),
            "history": selectors.consent_history(customer)[:5],
            "health_units": units,
            "consent_form": HealthConsentForm(units=units),
            "may_record": may_edit_customers(request.user) and not customer.erased_at,
            "may_handle": may_handle_personal_data(request.user),
        },
    )


@requires(may_edit_customers)
@require_POST
def consent_give(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    form = HealthConsentForm(request.POST, units=selectors.consent_units(request.user, customer))
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            services.health_consent_give(actor=request.user, customer=customer, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Consent to the use of health data recorded."))
    return redirect("customers:detail", pk=customer.pk)


@requires(may_edit_customers)
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_or_404(request, pk)
    try:
        services.health_consent_withdraw(actor=request.user, customer=customer)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Consent withdrawn: no more surveys or care about health."))
    return redirect("customers:detail", pk=customer.pk)


@requires(may_handle_personal_data)
@require_POST
def customer_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the customer, one JSON file (audited)."""
    customer = _customer_or_404(request, pk)
    try:
        document = services.customer_data_export(actor=request.user, customer=customer)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("customers:detail", pk=customer.pk)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"personal-data-{customer.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(may_handle_personal_data)
def customer_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then erase the customer's personal data."""
    customer = _customer_or_404(request, pk)
    form = EraseForm(request.POST or None, expected=customer.external_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_erase(actor=request.user, customer=customer)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The customer's personal data was erased."))
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "privacy/erase.html",
        {"customer": customer, "form": form, "preview": services.erasure_preview(customer)},
    )
