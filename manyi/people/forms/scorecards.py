"""Forms of the scorecards: the board's filter, the reason for a reissue, and a card's
measures (one row per measure manyi knows, ticked to put it on the card)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from manyi.org.models import Position, Role, UnitLevel
from manyi.people.measures import SPECS
from manyi.people.models import MeasureKind, ScorecardTemplate, Subject
from manyi.people.services.scorecards import MeasureRule
from manyi.surveys.models import Programme
from manyi.web.forms import StyledForm

ID = {"required": False, "min_value": 1, "max_value": 10**18 - 1}


def _plain(value: Any) -> Any:
    """A whole number shown without its decimals (50, not 50.00 or 5E+1)."""
    return int(value) if value == int(value) else value


def _shown(kind: str, value: float) -> Any:
    """A share is typed as a percentage (95 for 95 %) and kept as a fraction."""
    return _plain(round(value * 100, 4) if SPECS[kind].form == "share" else value)


def _stored(kind: str, value: float) -> float:
    return value / 100 if SPECS[kind].form == "share" else value


class CardFilter(forms.Form):
    period = forms.IntegerField(**ID)
    unit = forms.IntegerField(**ID)
    card = forms.IntegerField(**ID)


class ReissueForm(StyledForm):
    reason = forms.CharField(label=_("Why the cards are issued again"), max_length=300)


class TemplateForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=80)
    subject = forms.ChoiceField(label=pgettext_lazy("scorecard", "Card for"),
                                choices=Subject.choices)  # fmt: skip
    role = forms.ChoiceField(label=_("Role (a staff card)"), choices=Role.choices, required=False)
    position = forms.ChoiceField(
        label=_("Only this position"), required=False,
        choices=[("", _("Every position of the role")), *Position.choices],
    )  # fmt: skip
    programme = forms.ModelChoiceField(
        label=_("Survey programme"), queryset=Programme.objects.order_by("pk"), required=False,
        help_text=_("Whose answers the satisfaction index and NPS come from."),
    )  # fmt: skip

    def __init__(self, *args: Any, template: ScorecardTemplate | None = None, **kwargs: Any):
        if template is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(template)
        super().__init__(*args, **kwargs)
        for kind in MeasureKind:
            self.fields[f"{kind}_on"] = forms.BooleanField(label=kind.label, required=False)
            self.fields[f"{kind}_weight"] = forms.DecimalField(
                label=_("weight"), min_value=0, max_value=100, decimal_places=2, required=False
            )
            self.fields[f"{kind}_floor"] = forms.FloatField(label=_("no points at"), required=False)
            self.fields[f"{kind}_target"] = forms.FloatField(
                label=_("full points at"), required=False
            )
            self.fields[f"{kind}_min_n"] = forms.IntegerField(
                label=_("minimum n"), min_value=0, max_value=100000, required=False
            )
            for part in ("weight", "floor", "target", "min_n"):
                self.fields[f"{kind}_{part}"].widget.attrs["class"] = (
                    "form-control form-control-sm measure-input"
                )
            spec = SPECS[kind]
            self.initial.setdefault(f"{kind}_floor", _shown(kind, spec.floor))
            self.initial.setdefault(f"{kind}_target", _shown(kind, spec.target))
            self.initial.setdefault(f"{kind}_min_n", spec.min_n)

    @staticmethod
    def initial_of(template: ScorecardTemplate) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": template.name, "subject": template.subject, "programme": template.programme,
            "role": template.applies_to if template.subject == Subject.STAFF else "",
            "position": template.position,
        }  # fmt: skip
        for measure in template.measures.all():
            initial |= {
                f"{measure.kind}_on": True,
                f"{measure.kind}_weight": _plain(measure.weight),
                f"{measure.kind}_floor": _shown(measure.kind, measure.floor),
                f"{measure.kind}_target": _shown(measure.kind, measure.target),
                f"{measure.kind}_min_n": measure.min_n,
            }  # fmt: skip
        return initial

    def rows(self) -> list[dict[str, Any]]:
        """The measure rows for the template: each with its fields and what it means."""
        return [
            {"kind": kind, "what": SPECS[kind].what, "form": SPECS[kind].form,
             "per_person": Subject.STAFF in SPECS[kind].subjects,
             **{part: self[f"{kind}_{part}"] for part in ("on", "weight", "floor", "target",
                                                          "min_n")}}
            for kind in MeasureKind
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("subject") == Subject.STAFF and not data.get("role"):
            self.add_error("role", _("Choose the role the card is for."))
        for kind in MeasureKind:
            if data.get(f"{kind}_on"):
                for part in ("weight", "floor", "target", "min_n"):
                    if data.get(f"{kind}_{part}") is None:
                        self.add_error(f"{kind}_{part}", _("Needed for a measure on the card."))
        return data

    def applies_to(self) -> str:
        data = self.cleaned_data
        return data["role"] if data["subject"] == Subject.STAFF else UnitLevel.STORE

    def rules(self) -> list[MeasureRule]:
        data = self.cleaned_data
        return [
            MeasureRule(kind, float(data[f"{kind}_weight"]), _stored(kind, data[f"{kind}_floor"]),
                        _stored(kind, data[f"{kind}_target"]), data[f"{kind}_min_n"])
            for kind in MeasureKind
            if data.get(f"{kind}_on")
        ]  # fmt: skip


class PointsFilter(forms.Form):
    period = forms.IntegerField(**ID)
    staff = forms.IntegerField(**ID)


class PointRuleForm(StyledForm):
    points = forms.IntegerField(label=_("Points"), min_value=-100, max_value=100)
    cap = forms.IntegerField(label=_("At most per period"), min_value=1, max_value=1000,
                             required=False)  # fmt: skip
    is_active = forms.BooleanField(label=_("In use"), required=False)


class NominationForm(StyledForm):
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)
