"""Forms of programmes, waves, alert rules, open links, phone calls and the sample-size tool."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.customers.forms import SegmentForm
from manyi.customers.models import EventKind
from manyi.org.forms import UnitFilter
from manyi.surveys.models import (
    AlertRuleKind,
    CallOutcome,
    IntegrityPolicy,
    Programme,
    QuestionnaireVersion,
)
from manyi.surveys.services.waves import WAVE_LARGEST
from manyi.web.forms import StyledForm, StyledModelForm, UnitTree

CHANNEL_CHOICES = [("sms", _("SMS")), ("email", _("E-mail")), ("phone", _("Phone interview"))]
CONFIDENCE_CHOICES = [("0.9", "90 %"), ("0.95", "95 %"), ("0.99", "99 %")]


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: QuestionnaireVersion) -> str:
        return f"{obj.questionnaire.name} · v{obj.number}"


class ProgrammeForm(StyledModelForm):
    """A programme's settings, in the order a designer thinks of them; the fields that
    only matter for one sampling mode, trigger or channel show only with it."""

    GROUPS = (
        (_("What and where"), ("code", "name", "version", "units", "is_active")),
        (_("When"), ("trigger", "event_kinds", "delay_days")),
        (
            _("Who is asked"),
            (
                "sampling",
                "sample_rate",
                "quota_per_unit",
                "exclude_recent_days",
                "exclude_internal",
            ),
        ),
        (
            _("How they are asked"),
            (
                "channels",
                "reminder_after_days",
                "expire_after_days",
                "max_call_attempts",
                "call_retry_minutes",
            ),
        ),
        (_("Reporting"), ("min_n_unit", "min_n_staff")),
    )
    SHOWN_WHEN = {
        "event_kinds": "trigger:after_event",
        "delay_days": "trigger:after_event",
        "sample_rate": "sampling:random",
        "quota_per_unit": "sampling:quota",
        "reminder_after_days": "channels:sms,email",
        "max_call_attempts": "channels:phone",
        "call_retry_minutes": "channels:phone",
    }

    version = VersionChoiceField(
        label=_("Questionnaire version"),
        queryset=QuestionnaireVersion.objects.select_related("questionnaire").order_by(
            "questionnaire__name", "-number"
        ),
    )
    event_kinds = forms.MultipleChoiceField(
        label=_("Event kinds"),
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
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
        self.fields["units"].widget = UnitTree(choices=self.fields["units"].choices)
        self.fields["units"].widget.attrs["class"] = "form-check-input"
        for name in ("channels", "event_kinds"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.fields["code"].disabled = True

    def groups(self) -> list[tuple[str, list[tuple[Any, str]]]]:
        """Each group's title and its fields, with when each is shown."""
        return [
            (title, [(self[name], self.SHOWN_WHEN.get(name, "")) for name in names])
            for title, names in self.GROUPS
        ]

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


class ManualWaveForm(SegmentForm):
    """A manual wave: a segment of the customer base (tier, kind, where served, last
    visit), drawn down to at most N at random, or a list of external ids."""

    name = forms.CharField(label=_("Wave name"), max_length=120)
    at_most = forms.IntegerField(
        label=_("At most"),
        min_value=1,
        max_value=WAVE_LARGEST,
        required=False,
        help_text=_("Drawn at random (the same draw for the same name and segment)."),
    )
    customers = forms.CharField(
        label=_("Or these customers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("External ids, one per line or separated by commas."),
    )
    field_order = ["name", *SegmentForm.SEGMENT, "at_most", "customers"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.chosen() and not data.get("customers", "").strip():
            raise forms.ValidationError(_("Choose a segment or list the customers."))
        return data

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
