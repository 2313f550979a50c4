"""Forms of headquarters' case settings: the deadline rules page (policies, working
hours, holidays, word of mouth) and the case settings page (causes, unit calendars,
the resolution survey). Each reads one form of the page; the services check the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.cases.models import Cause, CauseSide, DayKind, ResurveyChannel, SlaPolicy
from manyi.org.models import Unit, UnitLevel
from manyi.surveys.models import Programme

WEEKDAYS = range(7)
A_DAY = {"invalid": _("Give the day as YYYY-MM-DD.")}


class PolicyForm(forms.Form):
    policy = forms.ModelChoiceField(label=_("Deadline policy"), queryset=SlaPolicy.objects.all())
    first_response_hours = forms.DecimalField(
        label=_("First response (hours)"), min_value=0, max_value=10000, decimal_places=2
    )
    resolution_hours = forms.DecimalField(
        label=_("Resolution (hours)"), min_value=0, max_value=10000, decimal_places=2
    )
    business_hours = forms.BooleanField(label=_("Counts working hours only"), required=False)


class HoursForm(forms.Form):
    """Opening and closing times per weekday (0 Monday … 6 Sunday), or round the clock."""

    always = forms.BooleanField(label=_("Open 24×7"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"open_{day}"] = forms.TimeField(label=_("Opens"), required=False)
            self.fields[f"close_{day}"] = forms.TimeField(label=_("Closes"), required=False)

    def hours(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            str(day): [f"{data[f'open_{day}']:%H:%M}", f"{data[f'close_{day}']:%H:%M}"]
            for day in WEEKDAYS
            if data.get(f"open_{day}") and data.get(f"close_{day}")
        }


class UnitCalendarForm(HoursForm):
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.filter(level__in=[UnitLevel.REGION, UnitLevel.STORE]),
    )
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, required=False)
    holidays = forms.BooleanField(label=_("Follows public holidays"), required=False)


class UnitChoiceForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all())


class HolidayForm(forms.Form):
    day = forms.DateField(label=_("Day"), error_messages=A_DAY)
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("Name"), max_length=60, required=False)


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), error_messages=A_DAY)


class WordOfMouthForm(forms.Form):
    # The lower bounds are the service's rule (with its own words).
    silent_per_complaint = forms.IntegerField(
        label=_("dissatisfied customers behind one complaint"), max_value=10000
    )
    told_per_dissatisfied = forms.IntegerField(
        label=_("people each dissatisfied customer tells"), max_value=10000
    )


class CrisisWordsForm(forms.Form):
    keywords = forms.CharField(label=_("Words that make a case a crisis"), max_length=2000)


class CauseAddForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=80)
    name_en = forms.CharField(label=_("Name in English"), max_length=80, required=False)
    side = forms.ChoiceField(label=_("Side"), choices=CauseSide.choices)


class CauseForm(forms.Form):
    cause = forms.ModelChoiceField(label=_("Cause"), queryset=Cause.objects.all())
    name = forms.CharField(label=_("Name"), max_length=80)
    name_en = forms.CharField(label=_("Name in English"), max_length=80, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class ResurveyForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.filter(is_active=True), required=False
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=ResurveyChannel.choices, required=False
    )
