"""A screen for each user's own API tokens: issue (the key is shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from manyi.api.auth import api_token_create, api_token_revoke
from manyi.api.models import ApiToken
from manyi.imports.services import may_import
from manyi.web.forms import StyledForm


class TokenForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=80)


def _require(user) -> None:  # type: ignore[no-untyped-def]
    if not may_import(user):
        raise PermissionDenied


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = api_token_create(
            actor=request.user, staff=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "api/token_list.html",
        {"tokens": ApiToken.objects.filter(staff=request.user), "form": form, "new_key": new_key},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    token = get_object_or_404(ApiToken, pk=pk, staff=request.user, revoked_at=None)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("api_tokens:list")
