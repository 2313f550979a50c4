"""Care screens: the callback list and its call screen, the board of visits reached in
time per store and caller, and the care rules."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.care import selectors, services
from manyi.care.forms import (
    BoardPeriod,
    CallbackFilter,
    CareRuleForm,
    ContactPolicyForm,
    OutcomeForm,
    TouchFilter,
)
from manyi.care.models import Callback, CareRule
from manyi.customers.models import ContactPolicy
from manyi.customers.selectors import customer_timeline
from manyi.customers.services import contact_policy_set, phones_to_dial
from manyi.errors import DomainError
from manyi.org.permissions import (
    may_follow_care,
    may_make_callbacks,
    may_set_care_rules,
    requires,
)
from manyi.web.forms import paginate, query_params


@requires(may_make_callbacks)
def callback_list(request: HttpRequest) -> HttpResponse:
    """The callbacks to make, VIP first, then by when to call; or the finished ones."""
    given = query_params(request, CallbackFilter, user=request.user)
    status = given["status"] or "open"
    callbacks = selectors.callback_list(
        request.user,
        status=status,
        unit=given["unit"],
        caller=request.user if given["mine"] else None,
    )
    return render(
        request,
        "care/callback_list.html",
        {
            "page": paginate(request, callbacks),
            "filter": CallbackFilter(request.GET or None, user=request.user),
            "status": status,
        },
    )


@requires(may_make_callbacks)
def callback_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """One callback: the visit, the customer's history, a script, how the call ended."""
    try:
        callback = selectors.callback_get(request.user, pk)
    except Callback.DoesNotExist as error:
        raise Http404 from error
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.callback_record(
                actor=request.user, callback=callback, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if recorded.case_id:
                messages.success(
                    request,
                    _("Call recorded; case %(number)s opened.") % {"number": recorded.case.number},
                )
            else:
                messages.success(request, _("Call recorded."))
            following = selectors.callbacks_due(request.user).exclude(pk=callback.pk).first()
            if following is not None:
                return redirect("care:callback", pk=following.pk)
            return redirect("care:callbacks")
    history, elsewhere = customer_timeline(request.user, callback.customer, limit=8)
    return render(
        request,
        "care/callback_screen.html",
        {
            "callback": callback,
            "form": form,
            "phones": phones_to_dial(actor=request.user, customer=callback.customer)
            if callback.is_open
            else [],
            "history": history,
            "elsewhere": elsewhere,
            "calls": callback.calls.select_related("caller"),
            "case_url": reverse("cases:detail", args=[callback.case_id])
            if callback.case_id
            else "",
        },
    )


@requires(may_follow_care)
def touch_list(request: HttpRequest) -> HttpResponse:
    """Reminders, greetings and seasonal care: what goes out next, what went, what not."""
    given = query_params(request, TouchFilter, user=request.user)
    touches = selectors.touch_list(
        request.user, status=given["status"], kind=given["kind"], unit=given["unit"]
    )
    return render(
        request,
        "care/touches.html",
        {
            "page": paginate(request, touches),
            "filter": TouchFilter(request.GET or None, user=request.user),
        },
    )


@requires(may_follow_care)
def board(request: HttpRequest) -> HttpResponse:
    """Visits whose customer was reached within the rule's days, per store and caller."""
    period = query_params(request, BoardPeriod)
    form = BoardPeriod(period)
    form.is_valid()
    since, until = form.period()
    return render(
        request,
        "care/board.html",
        {
            "since": since,
            "until": until,
            "stores": selectors.figures_by_store(request.user, since=since, until=until),
            "callers": selectors.figures_by_caller(request.user, since=since, until=until),
            "form": BoardPeriod(initial={"since": since, "until": until}),
        },
    )


@requires(may_follow_care)
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "care/rules.html",
        {
            "rules": selectors.care_rules(request.user),
            "may_edit": may_set_care_rules(request.user),
            "policy": ContactPolicy.current(),
        },
    )


@requires(may_set_care_rules)
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new care rule (no ``pk``) or a change to one."""
    rule = get_object_or_404(CareRule, pk=pk) if pk else None
    form = CareRuleForm(request.POST or None, instance=rule, user=request.user)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        code = arguments.pop("code", "")
        try:
            services.care_rule_save(actor=request.user, rule=rule, code=code, **arguments)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Care rule saved."))
            return redirect("care:rules")
    return render(request, "care/rule_form.html", {"form": form, "rule": rule})


@requires(may_set_care_rules)
def contact_policy(request: HttpRequest) -> HttpResponse:
    """The quiet hours and the monthly cap of marketing messages, for the whole group."""
    form = ContactPolicyForm(request.POST or None, instance=ContactPolicy.current())
    if request.method == "POST" and form.is_valid():
        try:
            contact_policy_set(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("care:rules")
    return render(request, "care/contact_policy.html", {"form": form})
