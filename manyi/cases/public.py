"""The public form where a customer tells a store what went wrong (or right): no login,
phone first, rate-limited, length-limited; the text is stored as given and always
shown escaped. It opens a case with the usual deadlines; the customer follows it at its
signed status link and answers there. A typed phone number proves nothing, so the case
is not linked to a customer here: it is kept as the phone given, and the handler links
the customer it matches (audited)."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from manyi.cases.models import Case, CaseChannel, CaseKind
from manyi.cases.replies import case_customer_answer, case_from_link, public_entries, status_link
from manyi.cases.services import case_open
from manyi.customers.contacts import normalise_phone
from manyi.errors import DomainError
from manyi.improve.selectors.standards import commitments
from manyi.org.models import Unit, UnitLevel
from manyi.org.permissions import public
from manyi.web.ratelimit import allow, client_ip

POSTS_PER_IP = 5  # an hour
PUBLIC_KINDS = [
    (CaseKind.COMPLAINT, _("Something went wrong")),
    (CaseKind.SUGGESTION, _("A suggestion")),
    (CaseKind.REQUEST, _("A request")),
    (CaseKind.PRAISE, _("Praise for someone")),
    (CaseKind.INQUIRY, _("A question")),
]


class PublicCaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it about?"), choices=PUBLIC_KINDS)
    subject = forms.CharField(label=_("In a few words"), max_length=120)
    description = forms.CharField(
        label=_("Tell us more"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000
    )
    name = forms.CharField(label=_("Your name"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("Your mobile number, for our answer"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Or your e-mail"), max_length=120, required=False)
    # Left empty by people; filled by form-filling robots.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            return normalise_phone(raw)
        except ValueError as error:
            raise forms.ValidationError(
                _("This does not look like a phone number: %(reason)s.") % {"reason": error}
            ) from error


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )


def _store(code: str) -> Unit:
    unit = Unit.objects.filter(code=code, level=UnitLevel.STORE, is_active=True).first()
    if unit is None:
        raise Http404
    return unit


@public
@require_http_methods(["GET", "POST"])
def public_case(request: HttpRequest, code: str) -> HttpResponse:
    store = _store(code)
    form = PublicCaseForm(request.POST or None)
    if request.method == "POST":
        if not allow(f"case-ip:{client_ip(request)}", limit=POSTS_PER_IP, seconds=3600):
            return render(request, "cases/public/too_many.html", {"store": store}, status=429)
        if form.is_valid() and not form.cleaned_data["website"]:
            data = form.cleaned_data
            who = "\n".join(part for part in (data["name"], data["phone"], data["email"]) if part)
            case = case_open(
                actor=None,
                kind=data["kind"],
                unit=store,
                subject=data["subject"],
                description=f"{data['description']}\n\n{who}".strip(),
                channel=CaseChannel.WEB,
                given_phone=data["phone"],
            )
            return render(
                request,
                "cases/public/thanks.html",
                {"store": store, "case": case, "status_link": status_link(case)},
            )
        if form.is_valid():  # a robot: thank it and store nothing
            return render(request, "cases/public/thanks.html", {"store": store, "case": None})
    return render(
        request,
        "cases/public/form.html",
        {"store": store, "form": form, "commitments": commitments()},
    )


@public
@require_http_methods(["GET", "POST"])
def case_status(request: HttpRequest, token: str) -> HttpResponse:
    """Where a customer follows their case and answers it, from the signed link."""
    try:
        case = case_from_link(token)
    except Case.DoesNotExist as error:
        raise Http404 from error
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not allow(f"case-answer:{case.pk}:{client_ip(request)}", limit=10, seconds=3600):
            return render(request, "cases/public/too_many.html", {"store": case.unit}, status=429)
        if form.is_valid():
            try:
                case_customer_answer(case=case, body=form.cleaned_data["body"])
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                return redirect(request.path + "?answered=1")
    return render(
        request,
        "cases/public/status.html",
        {
            "case": case,
            "store": case.unit,
            "entries": public_entries(case),
            "form": form,
            "answered": request.GET.get("answered") == "1",
        },
    )
