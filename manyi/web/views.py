"""The shell: sign-in, password change, and the home page with the network's figures."""

from datetime import date

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from manyi.customers.selectors import customers_by_tier, events_by_month
from manyi.customers.tiering import TIER_ORDER
from manyi.org.permissions import (
    may_browse_customers,
    may_make_calls,
    may_use_manyi,
    public,
    requires,
)
from manyi.org.selectors import scope_unit, sees_network, visible_units


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        from manyi.audit.services import audit_record

        audit_record(
            actor=self.request.user,
            action="staff_set_password",
            obj=self.request.user,
            unit=self.request.user.unit,
        )
        messages.success(self.request, _("Your password has been changed."))
        return response


@requires(may_use_manyi)
def home(request: HttpRequest) -> HttpResponse:
    if not may_browse_customers(request.user):
        # The phone agent works on no customer base of its own: its day is the call list.
        return redirect("surveys:calls" if may_make_calls(request.user) else "password_change")
    today = timezone.localdate()
    # Twelve calendar months, this one included.
    months_back = today.year * 12 + today.month - 1 - 11
    since = date(months_back // 12, months_back % 12 + 1, 1)
    months = events_by_month(request.user, since=since)
    tiers = customers_by_tier(request.user)
    chart = {
        "months": [row["month"].strftime("%Y-%m") for row in months],
        "events": [row["events"] for row in months],
        "revenue": [float(row["revenue"] or 0) for row in months],
        "tiers": [{"name": str(tier.label), "value": tiers.get(tier, 0)} for tier in TIER_ORDER],
        "labels": {
            "events": _("Service events"),
            "revenue": _("Revenue"),
            "tiers": _("Customers by tier"),
        },
    }
    context = {
        "scope": None if sees_network(request.user) else scope_unit(request.user),
        "store_count": visible_units(request.user).filter(level="store").count(),
        "customer_count": sum(tiers.values()),
        "events_this_month": months[-1]["events"]
        if months and months[-1]["month"].strftime("%Y-%m") == today.strftime("%Y-%m")
        else 0,
        "events_last_12": sum(row["events"] for row in months),
        "chart": chart,
        "tiers": [(tier.label, tiers.get(tier, 0)) for tier in TIER_ORDER],
    }
    return render(request, "web/home.html", context)


@public
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 400 that says what was wrong with the request, in the page's frame."""
    return render(request, "web/400.html", {"message": str(exception)}, status=400)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404: JSON under the API (in its ErrorOut shape), the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return page_not_found(request, exception)
