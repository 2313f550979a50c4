"""Owner event screens: the events of one's stores, an event with its draw and its
invitees' answers."""

import secrets

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.care.forms import AnswerForm, DrawForm, OwnerEventForm
from manyi.care.models import EventInvitation, OwnerEvent, RsvpStatus
from manyi.care.owner_events import invitation_answer, owner_event_create, owner_event_draw
from manyi.errors import DomainError
from manyi.org.permissions import may_run_owner_events, requires
from manyi.org.selectors import unit_choices, visible_unit_filter


def _event(request: HttpRequest, pk: int) -> OwnerEvent:
    found = OwnerEvent.objects.filter(visible_unit_filter(request.user), pk=pk).first()
    if found is None:
        raise Http404
    return found


@requires(may_run_owner_events)
def event_list(request: HttpRequest) -> HttpResponse:
    form = OwnerEventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = owner_event_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("care:event", pk=event.pk)
    events = OwnerEvent.objects.filter(visible_unit_filter(request.user)).select_related("unit")
    return render(request, "care/events.html", {"events": events, "form": form})


@requires(may_run_owner_events)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An event: its seats and answers; the draw of the invitees."""
    event = _event(request, pk)
    units = unit_choices(request.user)
    form = DrawForm(
        request.POST or None,
        units=units,
        initial={"seed": secrets.randbelow(10**6), "unit": event.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = owner_event_draw(
                actor=request.user,
                event=event,
                segment=form.segment(),
                count=form.cleaned_data["count"],
                seed=form.cleaned_data["seed"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(n)s invitations sent.") % {"n": sent})
            return redirect("care:event", pk=event.pk)
    invitations = event.invitations.select_related("customer").order_by("status", "customer__name")
    counts = {status: 0 for status in RsvpStatus.values}
    for status in invitations.values_list("status", flat=True):
        counts[status] += 1
    return render(
        request,
        "care/event_detail.html",
        {
            "event": event,
            "invitations": invitations,
            "counts": counts,
            "answers": RsvpStatus.choices[1:],
            "form": form,
        },
    )


@requires(may_run_owner_events)
@require_POST
def invitation_answered(request: HttpRequest, pk: int, invitation: int) -> HttpResponse:
    event = _event(request, pk)
    found = EventInvitation.objects.filter(event=event, pk=invitation).first()
    form = AnswerForm(request.POST)
    if found is None or not form.is_valid():
        raise Http404
    try:
        invitation_answer(actor=request.user, invitation=found, status=form.cleaned_data["status"])
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("care:event", pk=event.pk)
