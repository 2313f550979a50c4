"""Pages of two-factor sign-in: setting it up, entering a code after the password, new
recovery codes, turning it off."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from manyi.org.permissions import may_use_manyi, requires
from manyi.org.two_factor import (
    TwoFactorError,
    recovery_codes_left,
    recovery_codes_renew,
    two_factor_begin,
    two_factor_check,
    two_factor_confirm,
    two_factor_enabled,
    two_factor_off,
    two_factor_required,
)
from manyi.web.forms import StyledForm
from manyi.web.middleware import TwoFactorMiddleware

SETUP_KEY = "two_factor_device"


class CodeForm(StyledForm):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _passed(request: HttpRequest, device: object) -> None:
    otp_login(request, device)
    request.session[TwoFactorMiddleware.SESSION_KEY] = True


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(request, "web/two_factor_codes.html", {"codes": codes, "next": _next(request)})


@requires(may_use_manyi)
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up (or look after) two-factor sign-in: scan the code, enter the first code."""
    user = request.user
    if two_factor_enabled(user):
        return render(
            request,
            "web/two_factor_on.html",
            {
                "form": CodeForm(),
                "off_form": CodeForm(prefix="off"),
                "codes_left": recovery_codes_left(user),
                "required": two_factor_required(user),
            },
        )
    form = CodeForm(request.POST or None)
    device = TOTPDevice.objects.filter(
        pk=request.session.get(SETUP_KEY), user=user, confirmed=False
    ).first()
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = two_factor_confirm(actor=user, device=device, token=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            request.session.pop(SETUP_KEY, None)
            _passed(request, device)
            return _codes_page(request, codes)
    if device is None:
        device = two_factor_begin(actor=user)
        request.session[SETUP_KEY] = device.pk
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": b32encode(device.bin_key).decode(),
        "required": two_factor_required(user),
        "next": _next(request),
    }
    return render(request, "web/two_factor_setup.html", context)


@requires(may_use_manyi)
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app, or one of the recovery codes."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_check(actor=request.user, token=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            _passed(request, device)
            return redirect(_next(request))
    return render(request, "web/two_factor_verify.html", {"form": form, "next": _next(request)})


@requires(may_use_manyi)
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes, against a code from the app."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = recovery_codes_renew(actor=request.user, token=form.cleaned_data["code"])
        except TwoFactorError as error:
            messages.error(request, str(error))
        else:
            return _codes_page(request, codes)
    return redirect("two_factor_setup")


@requires(may_use_manyi)
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None, prefix="off")
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_off(actor=request.user, staff=request.user, token=form.cleaned_data["code"])
        except TwoFactorError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("preferences")
    return redirect("two_factor_setup")
