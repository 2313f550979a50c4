"""Forms of the employee survey: starting one over a part of the network."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.org.models import UnitLevel
from manyi.people.models import MIN_GROUP_FLOOR
from manyi.surveys.models import QuestionnaireVersion
from manyi.web.forms import DateInput, IdsField, StyledForm


class EmployeeSurveyForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    version = forms.ModelChoiceField(
        label=_("Questionnaire"),
        queryset=QuestionnaireVersion.objects.filter(questionnaire__template="employee")
        .select_related("questionnaire")
        .order_by("-pk"),
        help_text=_("Questionnaires built from the employee template."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
    units = IdsField(label=_("Whose staff to ask"), queryset=None)
    min_group = forms.IntegerField(
        label=_("Smallest group shown"), min_value=MIN_GROUP_FLOOR, max_value=100,
        initial=MIN_GROUP_FLOOR,
    )  # fmt: skip

    def __init__(self, *args, units=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units.filter(
            level__in=(UnitLevel.HQ, UnitLevel.REGION, UnitLevel.STORE)
        )
