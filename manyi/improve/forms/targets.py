"""Forms of improvement: a target."""

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from manyi.improve.selectors.targets import figure_choices
from manyi.org.models import Role
from manyi.org.selectors import unit_choices
from manyi.surveys.models import Programme
from manyi.web.forms import StyledForm

MONTH = ["%Y-%m"]


class MonthInput(forms.DateInput):
    """A month picker (YYYY-MM)."""

    input_type = "month"

    def format_value(self, value: Any) -> str | None:
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


def programme_figures() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each programme's figures as grouped choices "programme id|figure", in the reader's
    language."""
    language = get_language() or "zh-hans"
    return [
        (
            str(programme.name),
            [
                (f"{programme.pk}|{code}", label)
                for code, label in figure_choices(programme.version_id, language)
            ],
        )
        for programme in Programme.objects.order_by("pk")
    ]


class TargetForm(StyledForm):
    """A target: the unit, the programme's figure ("programme|figure"), the months, the
    value. A region manager is offered the stores of the region only."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)  # type: ignore[arg-type]
    figure = forms.ChoiceField(label=_("Figure"))
    since = forms.DateField(label=_("From month"), input_formats=MONTH, widget=MonthInput())
    until = forms.DateField(label=_("To month"), input_formats=MONTH, widget=MonthInput())
    value = forms.DecimalField(label=_("At least"), max_digits=7, decimal_places=1)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = unit_choices(user)
        if user.role == Role.REGION_MANAGER:
            units = units.filter(level="store")
        self.fields["unit"].queryset = units
        self.fields["figure"].choices = programme_figures()

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        programme_id, variable = data.pop("figure").split("|", 1)
        return {**data, "programme": Programme.objects.get(pk=programme_id), "variable": variable}
