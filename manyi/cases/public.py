"""The public form where a customer tells a store what went wrong (or right): no login,
phone first, rate-limited, length-limited; the text is stored as given and always
shown escaped. It opens a case with the usual deadlines."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from manyi.cases.models import CaseChannel, CaseKind
from manyi.cases.services import case_open
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
    contact = forms.CharField(
        label=_("Phone or e-mail, if you want an answer"), max_length=120, required=False
    )
    # Left empty by people; filled by form-filling robots.
    website = forms.CharField(required=False, widget=forms.HiddenInput)


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
            who = "\n".join(part for part in (data["name"], data["contact"]) if part)
            case = case_open(
                actor=None,
                kind=data["kind"],
                unit=store,
                subject=data["subject"],
                description=f"{data['description']}\n\n{who}".strip(),
                channel=CaseChannel.WEB,
            )
            return render(request, "cases/public/thanks.html", {"store": store, "case": case})
        if form.is_valid():  # a robot: thank it and store nothing
            return render(request, "cases/public/thanks.html", {"store": store, "case": None})
    return render(request, "cases/public/form.html", {"store": store, "form": form})
