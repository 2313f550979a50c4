from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.org.models import Unit
from manyi.privacy.models import ConsentForm, RetentionPolicy
from manyi.web.forms import StyledForm, StyledModelForm


class RetentionForm(StyledModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["contact_days", "free_text_days", "attachments_days"]


class HealthConsentForm(StyledForm):
    unit = forms.ModelChoiceField(
        label=_("Recorded at"), queryset=Unit.objects.none(), empty_label=None
    )
    form = forms.ChoiceField(label=_("How it was given"), choices=ConsentForm.choices)

    def __init__(self, *args, units=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[unit.pk for unit in units])


class EraseForm(StyledForm):
    """The officer types the customer's external id: an erasure cannot be undone."""

    confirm = forms.CharField(label=_("Type the customer's external id to confirm"), max_length=64)

    def __init__(self, *args, expected: str = "", **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.expected:
            raise forms.ValidationError(_("That is not this customer's external id."))
        return value
