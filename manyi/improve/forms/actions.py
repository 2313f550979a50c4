"""Forms of the action plans: a new action (by hand, or filled in from a shortfall or a
group of complaints), a task, a progress note with a photo, a new due date, the
board's filter."""

import json
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from manyi.improve.forms.targets import MONTH, MonthInput, programme_figures
from manyi.improve.models import ActionSource, ActionStatus
from manyi.improve.selectors.targets import figure_label
from manyi.org.models import Role, Staff, UnitLevel
from manyi.org.permissions import OFFICE
from manyi.org.selectors import unit_choices, visible_units
from manyi.surveys.models import Programme
from manyi.web.forms import DateInput, StyledForm


def owner_choices(user: Any) -> Any:
    """Who may own an action: the managers of the user's part, and at a store its staff."""
    staff = Staff.objects.filter(is_active=True, unit__in=visible_units(user))
    if user.role not in (Role.STORE_MANAGER,):
        staff = staff.filter(role__in=OFFICE)
    return staff.select_related("unit").order_by("unit__path", "full_name", "username")


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username} · {obj.unit}"


class ActionForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("What"), max_length=200)
    why = forms.CharField(label=_("Why"), required=False, max_length=4000,
                          widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    owner = OwnerField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    figure = forms.ChoiceField(label=_("Figure it should move"), required=False)
    expected_change = forms.DecimalField(
        label=_("By how much"), required=False, max_digits=7, decimal_places=1,
        help_text=_("Negative for a figure that should fall."),
    )  # fmt: skip
    trigger_month = forms.DateField(
        label=_("Month that triggered it"), required=False, input_formats=MONTH,
        widget=MonthInput(),
        help_text=_("Its effect is measured from the months before this one."),
    )  # fmt: skip
    source = forms.ChoiceField(
        label=_("Opened from"), choices=ActionSource.choices, widget=forms.HiddenInput,
        initial=ActionSource.HAND,
    )  # fmt: skip
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.HiddenInput, max_length=4000
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user)
        self.fields["owner"].queryset = owner_choices(user)
        self.fields["figure"].choices = [("", "—"), *programme_figures()]

    def clean_evidence(self) -> dict:
        raw = self.cleaned_data.get("evidence") or "{}"
        try:
            evidence = json.loads(raw)
        except ValueError as error:
            raise forms.ValidationError(_("The evidence is not readable.")) from error
        if not isinstance(evidence, dict):
            raise forms.ValidationError(_("The evidence is not readable."))
        return evidence

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        figure = data.pop("figure")
        programme, variable = None, ""
        if figure:
            programme_id, variable = figure.split("|", 1)
            programme = Programme.objects.get(pk=programme_id)
        return {**data, "programme": programme, "variable": variable}


class ShortfallPrefill(forms.Form):
    """What a link from a shortfall or a complaint group carries into a new action."""

    source = forms.ChoiceField(choices=ActionSource.choices, required=False)
    unit = forms.IntegerField(required=False, min_value=1)
    programme = forms.IntegerField(required=False, min_value=1)
    variable = forms.CharField(required=False, max_length=80)
    month = forms.DateField(required=False, input_formats=MONTH)
    gap = forms.DecimalField(required=False, max_digits=7, decimal_places=1)
    importance = forms.FloatField(required=False, min_value=0, max_value=1)
    cause = forms.CharField(required=False, max_length=80)
    cases = forms.CharField(required=False, max_length=500)

    def prefill(self, user: Any) -> dict[str, Any]:
        """The new action's fields, filled in from the evidence given."""
        self.is_valid()  # a bad value leaves its field out; the others still fill in
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        language = get_language() or "zh-hans"
        initial: dict[str, Any] = {"source": data["source"] or ActionSource.HAND, "owner": user.pk}
        if data["month"]:
            data["month"] = f"{data['month']:%Y-%m}"
        if data["unit"] and visible_units(user).filter(pk=data["unit"]).exists():
            initial["unit"] = data["unit"]
        programme = Programme.objects.filter(pk=data["programme"]).first()
        evidence = {k: str(v) for k, v in data.items() if v not in (None, "") and k != "source"}
        if programme and data["variable"]:
            label = figure_label(programme.version_id, data["variable"], language)
            initial["figure"] = f"{programme.pk}|{data['variable']}"
            initial["title"] = _("Improve: %(figure)s") % {"figure": label}
            if data["gap"] is not None:
                initial["why"] = _("Shortfall: %(figure)s is %(gap)s below the network.") % {
                    "figure": label, "gap": data["gap"]}  # fmt: skip
        if data["cause"]:
            initial["title"] = _("Prevent complaints: %(cause)s") % {"cause": data["cause"]}
            initial["why"] = _("Reviewed complaints with this cause: %(cases)s") % {
                "cases": data["cases"]}  # fmt: skip
        if data["month"]:
            initial["trigger_month"] = data["month"]  # YYYY-MM, as the month picker shows it
        initial["evidence"] = json.dumps(evidence, ensure_ascii=False)
        return initial


class TaskForm(StyledForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    owner = OwnerField(label=_("Owner"), queryset=None, required=False)  # type: ignore[arg-type]

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Who can see the action's unit: its own staff (a store's departments roll up to
        # it) and the managers above it.
        here = Q(unit=plan.unit) | Q(unit__parent=plan.unit, unit__level=UnitLevel.DEPARTMENT)
        above = Q(unit__in=plan.unit.ancestor_ids(), role__in=OFFICE)
        self.fields["owner"].queryset = (
            Staff.objects.filter(here | above, is_active=True)
            .select_related("unit")
            .order_by("unit__path", "full_name", "username")
        )


class NoteForm(StyledForm):
    text = forms.CharField(
        label=_("Progress"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


class RedateForm(StyledForm):
    due_on = forms.DateField(label=_("New due date"), widget=DateInput())
    reason = forms.CharField(label=_("Why it moves"), max_length=400)


class BoardFilter(forms.Form):
    unit = forms.IntegerField(required=False, min_value=1)
    status = forms.ChoiceField(
        required=False, choices=[("", ""), ("overdue", "overdue"), *ActionStatus.choices]
    )
    mine = forms.BooleanField(required=False)
