"""Forms of first-time fix: the board's filter and the policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.web.forms import StyledForm


class FixFilter(forms.Form):
    unit = forms.IntegerField(required=False, min_value=1)
    months = forms.IntegerField(required=False, min_value=1, max_value=24)


class FixPolicyForm(StyledForm):
    window_days = forms.IntegerField(label=_("Came back within (days)"), min_value=1,
                                     max_value=365)  # fmt: skip
    survey_item = forms.CharField(label=_("Survey item shown beside it"), required=False,
                                  max_length=40)  # fmt: skip
