"""A screen for each user's own API tokens: issue (the key is shown once), revoke."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from manyi.api.auth import api_token_create, api_token_revoke
from manyi.api.models import ApiToken, TokenScope
from manyi.org.permissions import may_use_api, requires
from manyi.web.forms import StyledForm

EXPIRY_CHOICES = [
    ("90", gettext_lazy("In 90 days")),
    ("30", gettext_lazy("In 30 days")),
    ("365", gettext_lazy("In a year")),
    ("", gettext_lazy("Never")),
]


class TokenForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=80)
    scope = forms.ChoiceField(
        label=gettext_lazy("Access"), choices=TokenScope.choices, initial=TokenScope.READ
    )
    expires = forms.ChoiceField(
        label=gettext_lazy("Expires"), choices=EXPIRY_CHOICES, initial="90", required=False
    )

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires")
        return timezone.now() + timedelta(days=int(days)) if days else None


@requires(may_use_api)
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = api_token_create(
            actor=request.user,
            staff=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.expires_at(),
        )
        form = TokenForm()
    return render(
        request,
        "api/token_list.html",
        {"tokens": ApiToken.objects.filter(staff=request.user), "form": form, "new_key": new_key},
    )


@requires(may_use_api)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, staff=request.user, revoked_at=None)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("api_tokens:list")
