"""Forms of the standards library: a step, a standard, a revision, a retirement."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.improve.models import ServiceStep, StandardClass, StandardKind
from manyi.web.forms import StyledForm

ITEMS_HELP = _("Codes of the survey items that measure it, separated by commas (SQ1, SA2).")


def item_codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace("，", ",").split(",") if code.strip()]


class StepForm(StyledForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=80)
    name_en = forms.CharField(label=_("Name in English"), max_length=80, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)


class StandardFields(StyledForm):
    title = forms.CharField(label=_("Standard"), max_length=200)
    text = forms.CharField(label=_("What exactly is expected"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    items = forms.CharField(label=_("Survey items"), required=False, max_length=400,
                            help_text=ITEMS_HELP)  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind"), choices=StandardKind.choices)
    standard_class = forms.ChoiceField(label=_("Class"), choices=StandardClass.choices)
    customer_visible = forms.BooleanField(
        label=_("A commitment to customers (published on the store's public page)"),
        required=False,
    )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["items"] = item_codes(data.get("items") or "")
        return data


class StandardForm(StandardFields):
    step = forms.ModelChoiceField(label=_("Service step"), queryset=ServiceStep.objects.all())
    code = forms.SlugField(label=_("Code"), max_length=40)

    field_order = ["step", "code", "title", "text", "items", "kind", "standard_class"]


class RevisionForm(StandardFields):
    reason = forms.CharField(label=_("Reason for the revision"), max_length=400)


class RetireForm(StyledForm):
    reason = forms.CharField(label=_("Why it is retired"), max_length=400)


class StandardFilter(forms.Form):
    step = forms.SlugField(required=False, max_length=40)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *StandardKind.choices])
    standard_class = forms.ChoiceField(required=False, choices=[("", ""), *StandardClass.choices])
