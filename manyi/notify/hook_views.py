"""Integrations on screen: the webhooks and group robots, each with its delivery log."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.notify.hooks import delivery_retry, hook_save, hook_toggle
from manyi.notify.models import DeliveryStatus, Hook, HookDelivery, HookEvent, HookKind
from manyi.org.permissions import may_manage_integrations, requires
from manyi.web.forms import StyledForm, paginate


class HookForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=HookKind.choices)
    url = forms.URLField(
        label=gettext_lazy("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "The receiver's address; for a robot, the webhook address the group chat gives."
        ),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=HookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    secret = forms.CharField(
        label=gettext_lazy("Secret"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "A DingTalk robot's signing secret (加签). A webhook is given one when left empty."
        ),
    )


@requires(may_manage_integrations)
def hook_list(request: HttpRequest) -> HttpResponse:
    hooks = Hook.objects.all()
    failed = {
        hook_id
        for hook_id in HookDelivery.objects.filter(status=DeliveryStatus.FAILED).values_list(
            "hook_id", flat=True
        )
    }
    return render(request, "notify/hook_list.html", {"hooks": hooks, "failed": failed})


@requires(may_manage_integrations)
def hook_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    hook = get_object_or_404(Hook, pk=pk) if pk else None
    initial = (
        {"name": hook.name, "kind": hook.kind, "url": hook.url, "events": hook.events}
        if hook
        else {"kind": HookKind.WEBHOOK}
    )
    form = HookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = hook_save(actor=request.user, hook=hook, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Integration saved."))
            return redirect("notify:hook", pk=saved.pk)
    return render(request, "notify/hook_form.html", {"form": form, "hook": hook})


@requires(may_manage_integrations)
def hook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hook = get_object_or_404(Hook, pk=pk)
    page = paginate(request, hook.deliveries.all())
    return render(request, "notify/hook_detail.html", {"hook": hook, "page": page})


@requires(may_manage_integrations)
@require_POST
def hook_switch(request: HttpRequest, pk: int) -> HttpResponse:
    hook_toggle(actor=request.user, hook=get_object_or_404(Hook, pk=pk))
    return redirect("notify:hook", pk=pk)


@requires(may_manage_integrations)
@require_POST
def hook_delivery_retry(request: HttpRequest, pk: int, delivery: int) -> HttpResponse:
    found = get_object_or_404(HookDelivery, pk=delivery, hook_id=pk)
    delivery_retry(actor=request.user, delivery=found)
    messages.success(request, _("The delivery is queued again."))
    return redirect("notify:hook", pk=pk)
