"""Forms of churn and win-back: the risk list's filters, a win-back call, the policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.care.models import ChurnPolicy, LossReason, RiskReason, WinBackOutcome, WinBackStatus
from manyi.customers.models import Tier
from manyi.org.forms import UnitFilter
from manyi.org.selectors import unit_choices
from manyi.web.forms import StyledForm, StyledFormMixin, StyledModelForm


class RiskFilter(StyledFormMixin, UnitFilter):
    units = staticmethod(unit_choices)
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", _("All")), *Tier.choices],
                             required=False)  # fmt: skip
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("All")), *RiskReason.choices], required=False
    )
    band = forms.TypedChoiceField(
        label=_("Reasons"),
        choices=[("", _("All")), (1, _("One")), (2, _("Two")), (3, _("Three or more"))],
        coerce=int,
        empty_value=None,
        required=False,
    )


class WinBackFilter(StyledFormMixin, UnitFilter):
    units = staticmethod(unit_choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Still open")), *WinBackStatus.choices, ("all", _("All"))],
        required=False,
    )
    mine = forms.BooleanField(label=_("Mine only"), required=False)


class RetentionFilter(StyledFormMixin, UnitFilter):
    units = staticmethod(unit_choices)
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", _("All")), *Tier.choices],
                             required=False)  # fmt: skip


class WinBackCallForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("How the call ended"), choices=[("", "—"), *WinBackOutcome.choices]
    )
    loss_reason = forms.ChoiceField(
        label=_("Reason for loss"),
        choices=[("", "—"), *LossReason.choices],
        required=False,
        help_text=_("Needed when the customer has left us."),
    )
    note = forms.CharField(
        label=_("What the customer said"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChurnPolicyForm(StyledModelForm):
    class Meta:
        model = ChurnPolicy
        fields = [
            "model",
            "lookback_months",
            "overdue_factor",
            "usual_interval_days",
            "drifting_below",
            "poor_index",
            "return_months",
            "complaint_days",
            "attempts",
            "booked_days",
            "lost_quiet_days",
        ]
