"""Forms of the checks: checklists and competitor stores, a schedule of inspections, a
surprise draw, a mystery shop ordered from an agency, the answers as a phone sends them,
and the filters of the list and the results."""

from typing import Any
from uuid import UUID

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.improve.forms.actions import OwnerField
from manyi.improve.forms.targets import MONTH, MonthInput
from manyi.improve.models import (
    Checklist,
    InspectionKind,
    InspectionStatus,
    Standard,
)
from manyi.improve.selectors.inspections import checklist_list, competitor_list
from manyi.improve.selectors.standards import standard_list
from manyi.improve.services.inspections import Given
from manyi.org.models import Role, Staff, UnitLevel
from manyi.org.permissions import OFFICE
from manyi.org.selectors import unit_choices, visible_units
from manyi.web.converters import MAX_ID
from manyi.web.forms import FIRST_YEAR, LAST_YEAR, DateInput, StyledForm

LARGEST_SEED = 2**48 - 1


class StandardChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.step} · {obj.versions.all()[0].title}"


class ChecklistForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    standards = StandardChoices(
        label=_("Standards it looks at"), queryset=Standard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    scored = StandardChoices(
        label=_("Scored 0–5 rather than yes or no"), queryset=Standard.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("A scored standard passes from 3."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standard_list()
        self.fields["scored"].queryset = standard_list()


class CompetitorForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    brand = forms.CharField(label=_("Brand"), max_length=80, required=False)
    near = forms.ModelChoiceField(label=_("Compared with"), queryset=None)  # type: ignore[arg-type]
    is_active = forms.BooleanField(label=_("Shopped"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["near"].queryset = unit_choices(user, levels=(UnitLevel.STORE,))


class CompetitorPick(forms.Form):
    edit = forms.IntegerField(required=False, min_value=1)


def inspector_choices(user: Any, *, from_above: bool = False) -> Any:
    """Who may inspect in the user's part: its managers (for a surprise, none of a
    store's own)."""
    roles = [Role.ADMIN, Role.HQ_ANALYST, Role.REGION_MANAGER] if from_above else list(OFFICE)
    return (
        Staff.objects.filter(is_active=True, role__in=roles)
        .filter(unit__in=visible_units(user))
        .select_related("unit")
        .order_by("unit__path", "full_name", "username")
    )


class ScheduleForm(StyledForm):
    checklist = forms.ModelChoiceField(label=_("Checklist"), queryset=Checklist.objects.none())
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 8}),  # type: ignore[arg-type]
    )
    planned_for = forms.DateField(label=_("Planned for"), widget=DateInput())
    inspector = OwnerField(
        label=_("Inspector"), queryset=None, required=False,  # type: ignore[arg-type]
        help_text=_("Left empty, the unit's own manager inspects it."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklist_list()
        self.fields["units"].queryset = unit_choices(
            user, levels=(UnitLevel.STORE, UnitLevel.DEPARTMENT)
        )
        self.fields["inspector"].queryset = inspector_choices(user)


class DrawForm(StyledForm):
    checklist = forms.ModelChoiceField(label=_("Checklist"), queryset=Checklist.objects.none())
    scope = forms.ModelChoiceField(label=_("Among the stores of"), queryset=None)  # type: ignore[arg-type]
    month = forms.DateField(label=_("Month"), input_formats=MONTH, widget=MonthInput())
    count = forms.IntegerField(label=_("How many stores"), min_value=1, max_value=500)
    inspector = OwnerField(label=_("Inspector"), queryset=None)  # type: ignore[arg-type]
    seed = forms.IntegerField(
        label=_("Seed"), required=False, min_value=0, max_value=LARGEST_SEED,
        help_text=_("Left empty, a fresh one; the same seed draws the same again."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklist_list()
        self.fields["scope"].queryset = unit_choices(user, levels=(UnitLevel.HQ, UnitLevel.REGION))
        self.fields["inspector"].queryset = inspector_choices(user, from_above=True)


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("Why"), max_length=400)


class MysteryShopForm(StyledForm):
    checklist = forms.ModelChoiceField(label=_("Checklist"), queryset=Checklist.objects.none())
    shop = forms.ChoiceField(label=_("Store to shop"))
    planned_for = forms.DateField(label=_("Visit on"), widget=DateInput())
    agency = forms.CharField(label=_("Agency"), max_length=120)
    scenario = forms.CharField(
        label=_("Scenario"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the shopper asks for and how they behave; shown with the link."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = checklist_list()
        ours = [(f"unit:{u.pk}", str(u)) for u in unit_choices(user, levels=(UnitLevel.STORE,))]
        theirs = [
            (f"competitor:{c.pk}", f"{c.name} ({c.near})")
            for c in competitor_list(user).filter(is_active=True)
        ]
        self.fields["shop"].choices = [
            ("", "—"),
            (_("Our stores"), ours),
            (_("Competitor stores"), theirs),
        ]
        self.user = user

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        kind, pk = data.pop("shop").split(":")
        if kind == "unit":
            data["unit"] = unit_choices(self.user).get(pk=int(pk))
        else:
            data["competitor"] = competitor_list(self.user).get(pk=int(pk))
        return data


class InspectionFilter(forms.Form):
    kind = forms.ChoiceField(
        required=False, choices=[("", ""), ("inspections", ""), *InspectionKind.choices]
    )
    status = forms.ChoiceField(required=False, choices=[("", ""), *InspectionStatus.choices])


class ResultsFilter(forms.Form):
    view = forms.ChoiceField(required=False, choices=[("inspections", ""), ("mystery", "")])
    since = forms.DateField(required=False, input_formats=MONTH)
    until = forms.DateField(required=False, input_formats=MONTH)
    unit = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("since", "until"):
            if data.get(name) and not FIRST_YEAR <= data[name].year <= LAST_YEAR:
                self.add_error(name, _("Give a month between 2000 and 2099."))
        return data


class FeedbackFilter(ResultsFilter):
    model = forms.CharField(required=False, max_length=80)
    format = forms.ChoiceField(required=False, choices=[("", ""), ("xlsx", "")])


class AnswerError(ValueError):
    """Answers sent in a shape no form of ours sends."""


def given_answers(post: Any, files: Any) -> tuple[dict[int, Given], UUID]:
    """The answers a check's form sent — ``result-<standard>``, ``note-…``, ``photo-…``,
    ``audio-…`` — and the browser's submission key."""
    try:
        key = UUID(post.get("submission_key", ""))
    except ValueError as error:
        raise AnswerError("submission_key") from error
    answers: dict[int, Given] = {}
    for name, result in post.items():
        if not name.startswith("result-"):
            continue
        number = name.removeprefix("result-")
        if not (number.isascii() and number.isdigit()) or len(number) > 12 or len(result) > 4:
            raise AnswerError(name)
        note = post.get(f"note-{number}", "")
        if len(note) > 1000:
            raise AnswerError(f"note-{number}")
        answers[int(number)] = Given(
            result=result, note=note,
            photo=files.get(f"photo-{number}"), audio=files.get(f"audio-{number}"),
        )  # fmt: skip
    return answers, key
