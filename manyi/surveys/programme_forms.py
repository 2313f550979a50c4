"""Forms of programmes, waves, alert rules, open links, phone calls and the sample-size tool."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.customers.models import EventKind
from manyi.org.forms import UnitFilter
from manyi.surveys.models import (
    AlertRuleKind,
    CallOutcome,
    IntegrityPolicy,
    Programme,
    QuestionnaireVersion,
)
from manyi.web.forms import StyledForm, StyledModelForm

CHANNEL_CHOICES = [("sms", _("SMS")), ("email", _("E-mail")), ("phone", _("Phone interview"))]
CONFIDENCE_CHOICES = [("0.9", "90 %"), ("0.95", "95 %"), ("0.99", "99 %")]


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: QuestionnaireVersion) -> str:
        return f"{obj.questionnaire.name} · v{obj.number}"


class ProgrammeForm(StyledModelForm):
    version = VersionChoiceField(
        label=_("Questionnaire version"),
        queryset=QuestionnaireVersion.objects.select_related("questionnaire").order_by(
            "questionnaire__name", "-number"
        ),
    )
    event_kinds = forms.MultipleChoiceField(
        label=_("Event kinds"),
        choices=EventKind.choices,
        required=False,
        help_text=_("None chosen: every kind of service event."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=CHANNEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["sms", "email"],
        help_text=_("A customer is invited on the first of these they can be reached on."),
    )

    class Meta:
        model = Programme
        fields = [
            "code",
            "name",
            "version",
            "units",
            "event_kinds",
            "trigger",
            "delay_days",
            "sampling",
            "sample_rate",
            "quota_per_unit",
            "exclude_recent_days",
            "exclude_internal",
            "channels",
            "reminder_after_days",
            "expire_after_days",
            "max_call_attempts",
            "call_retry_minutes",
            "min_n_unit",
            "min_n_staff",
            "is_active",
        ]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].widget.attrs["size"] = 8
        self.fields["channels"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.fields["code"].disabled = True

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["units"] = list(data["units"])
        if self.instance.pk:
            data.pop("code")
        return data


class AlertRuleForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AlertRuleKind.choices)
    threshold = forms.IntegerField(label=_("Threshold (scale points)"), required=False)
    keywords = forms.CharField(label=_("Keywords, comma separated"), required=False, max_length=400)


class ManualWaveForm(StyledForm):
    name = forms.CharField(label=_("Wave name"), max_length=120)
    customers = forms.CharField(
        label=_("Customers"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("External ids of the customers, one per line or separated by commas."),
    )

    def external_ids(self) -> list[str]:
        text = self.cleaned_data["customers"].replace(",", "\n")
        return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


class OpenLinkForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)  # type: ignore[arg-type]
    per_device_per_day = forms.IntegerField(
        label=_("Responses per device per day"), min_value=1, max_value=20, initial=1
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SampleSizeForm(StyledForm):
    population = forms.IntegerField(
        label=_("Service events per unit per month"), min_value=1, required=False
    )
    quota = forms.IntegerField(label=_("Completed responses per unit"), min_value=1)
    margin = forms.DecimalField(
        label=_("Wanted margin (± percentage points)"),
        min_value=1,
        max_value=50,
        initial=5,
        decimal_places=1,
    )
    sd = forms.DecimalField(
        label=_("Standard deviation of the CSI index (0–1000)"),
        min_value=1,
        max_value=1000,
        initial=200,
    )
    confidence = forms.ChoiceField(
        label=_("Confidence"), choices=CONFIDENCE_CHOICES, initial="0.95"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        population, quota = data.get("population"), data.get("quota")
        if population and quota and quota > population:
            raise forms.ValidationError(
                _("A unit cannot return more responses than it has service events.")
            )
        return data


class CallForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("How the call ended"), choices=[("", "—"), *CallOutcome.choices]
    )
    call_back_at = forms.DateTimeField(
        label=_("Call back at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class InvitationFilter(UnitFilter):
    """A wave's or the alert list's filters, as the query string gives them."""

    status = forms.CharField(required=False, max_length=20)


class CallFilter(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), required=False
    )


class IntegrityFilter(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Period"),
        choices=[(1, _("Last month")), (3, _("Last 3 months")), (12, _("Last 12 months"))],
        coerce=int,
        required=False,
    )


class IntegrityPolicyForm(StyledModelForm):
    class Meta:
        model = IntegrityPolicy
        fields = [
            "exclude_flagged",
            "exclude_straight_line",
            "seconds_per_item",
            "straight_line_items",
            "shared_phone_customers",
            "burst_responses",
            "burst_minutes",
            "open_link_starts_per_address",
        ]
