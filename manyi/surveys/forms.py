import json
import re
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from manyi.surveys.definition import ITEM_TYPES, SHOW_IF_OPS, Text
from manyi.web.forms import StyledForm

TYPE_LABELS = {
    "rating": _("Rating scale"),
    "nps": _("NPS 0–10"),
    "servqual": _("Expectation and perception (SERVQUAL)"),
    "single": _("Single choice"),
    "multiple": _("Multiple choice"),
    "yesno": _("Yes / no"),
    "text": _("Free text"),
}


class QuestionnaireCreateForm(StyledForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    template = forms.ChoiceField(label=_("Start from"), required=False)

    def __init__(self, *args: Any, templates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("An empty questionnaire")), *templates]


class ItemForm(StyledForm):
    code = forms.SlugField(label=_("Item code"), max_length=20)
    type = forms.ChoiceField(label=_("Type"), choices=[(t, TYPE_LABELS[t]) for t in ITEM_TYPES])
    text_zh = forms.CharField(label=_("Question (Chinese)"), max_length=300)
    text_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    section = forms.ChoiceField(label=_("Section"), required=False)
    factor = forms.ChoiceField(label=_("Factor"), required=False)
    dimension = forms.ChoiceField(label=_("SERVQUAL dimension"), required=False)
    scale_min = forms.IntegerField(label=_("Scale from"), required=False)
    scale_max = forms.IntegerField(label=_("Scale to"), required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: code=中文 label | English label"),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    reversed = forms.BooleanField(label=_("Reversed (a high answer is bad)"), required=False)
    allow_na = forms.BooleanField(label=_("Offer “not applicable”"), required=False)
    show_if_item = forms.ChoiceField(label=_("Show only if the answer to"), required=False)
    show_if_op = forms.ChoiceField(
        label=_("is"), choices=[("", "—"), *((op, op) for op in SHOW_IF_OPS)], required=False
    )
    show_if_value = forms.CharField(label=_("value"), max_length=40, required=False)

    def __init__(self, *args: Any, draft: dict[str, Any], code: str = "", **kwargs: Any) -> None:
        """``draft``: the questionnaire's draft, whose sections, factors, dimensions and
        other items are offered by name; ``code``: the item being edited, if any."""
        super().__init__(*args, **kwargs)
        language = get_language() or "zh-hans"
        for field, key, name in (
            ("section", "sections", "title"),
            ("factor", "factors", "name"),
            ("dimension", "dimensions", "name"),
        ):
            self.fields[field].choices = [("", "—")] + [
                (entry["code"], Text.parse(entry.get(name)).get(language) or entry["code"])
                for entry in draft.get(key) or ()
                if isinstance(entry, dict) and entry.get("code")
            ]
        self.fields["show_if_item"].choices = [("", "—")] + [
            (item["code"], f"{item['code']} · {Text.parse(item.get('text')).get(language)}")
            for item in draft.get("items") or ()
            if isinstance(item, dict) and item.get("code") and item["code"] != code
        ]

    def as_item(self) -> dict[str, Any]:
        """The item as it is stored in the draft."""
        data = self.cleaned_data
        item: dict[str, Any] = {
            "code": data["code"],
            "type": data["type"],
            "text": {"zh": data["text_zh"], "en": data["text_en"]},
            "required": data["required"],
        }
        for key in ("section", "factor", "dimension"):
            if data[key]:
                item[key] = data[key]
        if data["scale_min"] is not None and data["scale_max"] is not None:
            item["scale"] = {"min": data["scale_min"], "max": data["scale_max"]}
        for key in ("reversed", "allow_na"):
            if data[key]:
                item[key] = True
        if data["choices"].strip():
            item["choices"] = [_choice(line) for line in data["choices"].splitlines() if line]
        if data["show_if_item"] and data["show_if_op"]:
            value: Any = data["show_if_value"]
            item["show_if"] = {
                "item": data["show_if_item"],
                "op": data["show_if_op"],
                "value": int(value) if re.fullmatch(r"-?[0-9]{1,9}", value) else value,
            }
        return item

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        text = item.get("text") or {}
        scale = item.get("scale") or {}
        rule = item.get("show_if") or {}
        return {
            **{key: item.get(key, "") for key in ("code", "type", "section", "factor")},
            "dimension": item.get("dimension", ""),
            "text_zh": text.get("zh", "") if isinstance(text, dict) else text,
            "text_en": text.get("en", "") if isinstance(text, dict) else text,
            "scale_min": scale.get("min"),
            "scale_max": scale.get("max"),
            "required": item.get("required", False),
            "reversed": item.get("reversed", False),
            "allow_na": item.get("allow_na", False),
            "choices": "\n".join(
                f"{c.get('code')}={(c.get('label') or {}).get('zh', '')} | "
                f"{(c.get('label') or {}).get('en', '')}"
                for c in item.get("choices") or ()
            ),
            "show_if_item": rule.get("item", ""),
            "show_if_op": rule.get("op", ""),
            "show_if_value": rule.get("value", ""),
        }


def _choice(line: str) -> dict[str, Any]:
    code, _sep, labels = line.partition("=")
    zh, _bar, en = labels.partition("|")
    return {"code": code.strip(), "label": {"zh": zh.strip(), "en": en.strip() or zh.strip()}}


class DraftJsonForm(StyledForm):
    draft = forms.CharField(
        label=_("The whole draft as JSON"), widget=forms.Textarea(attrs={"rows": 16})
    )
    # When the draft shown was last saved: a save by someone else since is not overwritten.
    based_on = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def clean_draft(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["draft"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON: %(error)s") % {"error": error}
            ) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The draft must be a JSON object."))
        return value


class WeightsForm(forms.Form):
    """One weight per factor of the draft, each a number from 0 to 1."""

    def __init__(self, *args: Any, factors: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in factors:
            self.fields[f"weight-{factor.get('code')}"] = forms.FloatField(min_value=0, max_value=1)

    def weights(self) -> dict[str, float]:
        return {name.removeprefix("weight-"): value for name, value in self.cleaned_data.items()}
