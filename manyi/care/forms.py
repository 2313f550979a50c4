"""Forms of care: the callback list's filters, a call's outcome, the board's period and
the care rules."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.care.models import (
    CallbackStatus,
    CallOutcome,
    CareRule,
    CareRuleKind,
    RsvpStatus,
    TouchStatus,
)
from manyi.customers.forms import SegmentForm
from manyi.customers.models import ContactPolicy, CustomerKind, EventKind, Tier
from manyi.org.forms import UnitFilter
from manyi.org.selectors import stores, unit_choices
from manyi.web.forms import DateInput, StyledForm, StyledFormMixin, StyledModelForm, UnitTree


class CallbackFilter(StyledFormMixin, UnitFilter):
    """The callback list: a store, mine only, open or finished with one outcome."""

    units = staticmethod(stores)
    mine = forms.BooleanField(label=_("Mine and unassigned only"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("To call")), *CallbackStatus.choices, ("all", _("All"))],
        required=False,
    )


class TouchFilter(StyledFormMixin, UnitFilter):
    """The care touches: a store, a kind of care, planned, sent or not sent."""

    units = staticmethod(stores)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("", _("All")),
            *[(k, label) for k, label in CareRuleKind.choices if k != "callback"],
        ],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *TouchStatus.choices], required=False
    )


class OutcomeForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("How the call ended"), choices=[("", "—"), *CallOutcome.choices]
    )
    note = forms.CharField(
        label=_("What the customer said"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("With an issue, this becomes the case's description."),
    )
    retry_at = forms.DateTimeField(
        label=_("Call again at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Left empty: after the rule's interval."),
    )


class BoardPeriod(StyledForm):
    since = forms.DateField(label=_("Visits from"), required=False, widget=DateInput())
    until = forms.DateField(label=_("to"), required=False, widget=DateInput())

    def period(self) -> tuple[Any, Any]:
        """The chosen days, by default the 30 days to today."""
        today = timezone.localdate()
        until = self.cleaned_data.get("until") or today
        since = self.cleaned_data.get("since") or until - timedelta(days=30)
        return (since, until) if since <= until else (until, since)


DEFAULTED = ("delay_business_days", "within_days", "max_attempts", "retry_hours", "days_before")


class CareRuleForm(StyledModelForm):
    """A care rule; the fields of other kinds of care stay out of the way."""

    SHOWN_WHEN = {
        "event_kinds": "kind:callback",
        "delay_business_days": "kind:callback",
        "within_days": "kind:callback",
        "max_attempts": "kind:callback",
        "retry_hours": "kind:callback",
        "interval_months": "kind:reminder",
        "interval_km": "kind:reminder",
        "days_before": "kind:reminder,birthday,festival,seasonal",
        "festival": "kind:festival",
        "month_day": "kind:seasonal",
    }

    event_kinds = forms.MultipleChoiceField(
        label=_("Visits: event kinds"),
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    customer_kinds = forms.MultipleChoiceField(
        label=_("Customer kinds"),
        choices=CustomerKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: every kind."),
    )
    tiers = forms.MultipleChoiceField(
        label=_("Tiers"),
        choices=Tier.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: every customer."),
    )

    class Meta:
        model = CareRule
        fields = [
            "code",
            "name",
            "kind",
            "event_kinds",
            "delay_business_days",
            "within_days",
            "max_attempts",
            "retry_hours",
            "interval_months",
            "interval_km",
            "days_before",
            "festival",
            "month_day",
            "units",
            "tiers",
            "customer_kinds",
            "is_active",
        ]
        help_texts = {"units": _("None chosen: the whole network.")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = unit_choices(user)
        self.fields["units"].required = False
        self.fields["units"].widget = UnitTree(choices=self.fields["units"].choices)
        self.fields["units"].widget.attrs["class"] = "form-check-input"
        for name in ("event_kinds", "tiers", "customer_kinds"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["kind"].disabled = True

        # A field of another kind of care is hidden: left empty, it keeps its default.
        for name in DEFAULTED:
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in DEFAULTED:
            if data.get(name) is None:
                data[name] = CareRule._meta.get_field(name).default
        return data

    def shown(self) -> list[tuple[Any, str]]:
        """Each field with when it is shown (web/form_field.html)."""
        return [(self[name], self.SHOWN_WHEN.get(name, "")) for name in self.fields]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["units"] = list(data.get("units") or ())
        if self.instance.pk:
            data.pop("kind", None)
        return data


class ContactPolicyForm(StyledModelForm):
    class Meta:
        model = ContactPolicy
        fields = ["quiet_from", "quiet_until", "marketing_per_month"]
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class OwnerEventForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Store"), queryset=None)  # type: ignore[arg-type]
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10_000)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = stores(user)


class DrawForm(SegmentForm):
    """Whom to invite: a segment, how many, and the seed of the random draw."""

    count = forms.IntegerField(label=_("How many to invite"), min_value=1, max_value=5000)
    seed = forms.IntegerField(
        label=_("Draw seed"),
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("The same seed draws the same customers from the same segment."),
    )
    field_order = ["count", *SegmentForm.SEGMENT, "seed"]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(choices=RsvpStatus.choices)
