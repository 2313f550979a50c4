"""Forms of training: a course, an assignment, the day attended, the plan's filter."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.analytics import cells
from manyi.improve.models import Standard
from manyi.people.models import Course, TrainingStatus
from manyi.people.selectors.training import coaching_programme
from manyi.surveys.versions import definition_of
from manyi.web.forms import DateInput, IdsField, StyledForm

ID = {"required": False, "min_value": 1, "max_value": 10**18 - 1}


class TrainingFilter(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("open", "open"), ("overdue", "overdue"), *TrainingStatus.choices],
    )
    staff = forms.IntegerField(**ID)


class StandardChoice(IdsField):
    def label_from_instance(self, obj: Standard) -> str:
        versions = sorted(obj.versions.all(), key=lambda version: version.number)
        return f"{obj.code} · {versions[-1].title}" if versions else obj.code


class CourseForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    title_en = forms.CharField(label=_("Title in English"), max_length=120, required=False)
    items = forms.CharField(
        label=_("Survey items it addresses"), max_length=400, required=False,
        help_text=_("Item codes or factors, separated by commas: SA2, factor:service_advisor. "
                    "The first is the one its effect is measured on."),
    )  # fmt: skip
    standards = StandardChoice(
        label=_("Standards it addresses"), required=False,
        queryset=Standard.objects.filter(is_active=True).prefetch_related("versions"),
    )  # fmt: skip
    hours = forms.DecimalField(label=_("Hours"), min_value=0.5, max_value=200, decimal_places=1)
    description = forms.CharField(label=_("Description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    is_active = forms.BooleanField(label=_("Offered"), required=False, initial=True)

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        if course is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": course.title, "title_en": course.title_en,
                "items": ", ".join(course.items), "standards": list(course.standards.all()),
                "hours": course.hours, "description": course.description,
                "is_active": course.is_active,
            }  # fmt: skip
        super().__init__(*args, **kwargs)

    def clean_items(self) -> list[str]:
        codes = [code.strip() for code in self.cleaned_data["items"].split(",") if code.strip()]
        programme = coaching_programme()
        known = set(cells.variables(definition_of(programme.version_id))) if programme else set()
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise forms.ValidationError(
                _("Not items of the survey: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return codes


class AssignForm(StyledForm):
    course = forms.ModelChoiceField(label=_("Course"),
                                    queryset=Course.objects.filter(is_active=True))  # fmt: skip
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    reason = forms.CharField(max_length=80, required=False, widget=forms.HiddenInput)


class AttendedForm(StyledForm):
    on = forms.DateField(label=_("Attended on"), widget=DateInput())
