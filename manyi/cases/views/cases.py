"""The case screens: the handler's queue by deadline, a case with its timeline,
its seven steps and actions, and the form that opens one."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from manyi.cases import files, selectors, services, steps
from manyi.cases.compensation import may_approve_proposal
from manyi.cases.crisis import case_crisis_declare
from manyi.cases.customer_link import case_link_customer, phone_match
from manyi.cases.forms import (
    QUEUE_STATUSES,
    AnalyseForm,
    AttachmentForm,
    CaseOpenForm,
    ChangeForm,
    CrisisForm,
    ProposeForm,
    QueueFilter,
    ReplyForm,
    ReviewForm,
)
from manyi.cases.models import (
    CRISIS_CHECKLIST,
    HANDLING_GUIDES,
    Case,
    CaseKind,
    CompensationStatus,
)
from manyi.cases.timeline import timeline
from manyi.errors import DomainError
from manyi.org.permissions import (
    approval_limit,
    may_declare_crisis,
    may_handle_cases,
    may_manage_rules,
    may_see_case_reports,
    requires,
)
from manyi.org.selectors import stores
from manyi.surveys.said import what_was_said
from manyi.web.forms import paginate, query_params


def visible_case(request: HttpRequest, pk: int) -> Case:
    try:
        return selectors.case_get(request.user, pk)
    except Case.DoesNotExist as error:
        raise Http404 from error


@requires(may_handle_cases)
def case_queue(request: HttpRequest) -> HttpResponse:
    given = query_params(request, QueueFilter, user=request.user)
    status, kind, unit = given["status"] or "active", given["kind"], given["unit"]
    cases = selectors.case_list(
        request.user,
        status="" if status == "all" else status,
        kind=kind,
        unit=unit.pk if unit else None,
        owner=request.user.pk if given["mine"] else None,
        vip=given["vip"],
    )
    return render(
        request,
        "cases/queue.html",
        {
            "page": paginate(request, cases),
            "now": timezone.now(),
            "status": status,
            "statuses": QUEUE_STATUSES,
            "kind": kind,
            "kinds": CaseKind.choices,
            "units": stores(request.user),
            "unit_id": unit.pk if unit else None,
            "mine": given["mine"],
            "vip": given["vip"],
            "may_set_rules": may_manage_rules(request.user),
            "may_see_reports": may_see_case_reports(request.user),
        },
    )


@requires(may_handle_cases)
def case_new(request: HttpRequest) -> HttpResponse:
    # From a customer card: that customer's number and home store filled in.
    initial = {key: request.GET[key] for key in ("customer", "unit") if key in request.GET}
    form = CaseOpenForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(actor=request.user, **data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form})


@requires(may_handle_cases)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    compensations = list(case.compensations.select_related("proposed_by", "decided_by"))
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "now": timezone.now(),
            "timeline": timeline(case),
            "phone_match": phone_match(case),
            # Without a customer there is nobody to send a reply to: a note by default.
            "reply_form": ReplyForm(initial={"public": case.customer_id is not None}),
            "change_form": ChangeForm(
                user=request.user,
                initial={
                    "severity": case.severity,
                    "owner": case.owner,
                    "cause": case.cause,
                    "complainant_type": case.complainant_type,
                },
            ),
            "actions": case.deadline_actions.select_related("staff", "escalated_to"),
            "compensations": [
                (item, may_approve_proposal(request.user, item)) for item in compensations
            ],
            "awaiting_approval": case.kind == CaseKind.COMPLAINT
            and any(item.status == CompensationStatus.PROPOSED for item in compensations),
            "my_limit": approval_limit(request.user),
            "steps": steps.progress(case),
            "analyse_form": AnalyseForm(
                initial={"cause": case.cause, "asset": case.asset, "part": case.part}, case=case
            ),
            "propose_form": ProposeForm(initial={"solution": case.solution}),
            "review_form": ReviewForm(),
            "crisis_form": CrisisForm() if may_declare_crisis(request.user) else None,
            "checklist": CRISIS_CHECKLIST if case.crisis else (),
            "guide": HANDLING_GUIDES.get(case.complainant_type),
            "attachments": case.attachments.all(),
            "attachment_form": AttachmentForm(),
            "said": what_was_said(case.response, get_language() or "zh-hans")
            if case.response_id
            else None,
            "phones": case.customer.contacts.filter(channel="phone")[:2] if case.customer else [],
        },
    )


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
    return form.cleaned_data


@requires(may_handle_cases)
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One button or form of the case page: reply, the steps (analyse, propose,
    review), wait, resume, resolve, close, reopen, change, crisis, link the customer.
    A rule broken shows as a message, never a 500."""
    case = visible_case(request, pk)
    user, data = request.user, request.POST
    try:
        if action == "reply":
            services.case_reply(actor=user, case=case, **_valid(ReplyForm(data)))
        elif action == "change":
            services.case_update(actor=user, case=case, **_valid(ChangeForm(data, user=user)))
        elif action == "analyse":
            steps.case_analyse(actor=user, case=case, **_valid(AnalyseForm(data, case=case)))
        elif action == "propose":
            values = _valid(ProposeForm(data))
            steps.case_propose(actor=user, case=case, **values)
        elif action == "review":
            steps.case_review(actor=user, case=case, **_valid(ReviewForm(data)))
        elif action == "wait":
            services.case_wait(actor=request.user, case=case)
        elif action == "resume":
            services.case_resume(actor=request.user, case=case)
        elif action == "resolve":
            services.case_resolve(actor=request.user, case=case, body=request.POST.get("body", ""))
        elif action == "close":
            services.case_close(actor=request.user, case=case)
        elif action == "reopen":
            services.case_reopen(actor=request.user, case=case, reason=request.POST.get("body", ""))
        elif action == "link_customer":
            case_link_customer(actor=user, case=case)
        elif action == "crisis":
            case_crisis_declare(actor=user, case=case, **_valid(CrisisForm(data)))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("cases:detail", pk=case.pk)


@requires(may_handle_cases)
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        files.attachment_add(actor=request.user, case=case, upload=_valid(form)["file"])
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("cases:detail", pk=case.pk)


@requires(may_handle_cases)
def attachment_get(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A case's file, to those who may see the case; never shown inline as a page."""
    case = visible_case(request, pk)
    attachment = case.attachments.filter(pk=file_pk).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
