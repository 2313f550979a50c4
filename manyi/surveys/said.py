"""What a customer said in a response, in words a case handler reads: their comments,
the answers that raised an alert, and their overall and recommendation answers — item
texts and scales, never item codes."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from manyi.surveys.definition import Definition, Item
from manyi.surveys.models import AlertRuleKind, Response
from manyi.surveys.versions import definition_of


@dataclass(frozen=True)
class Answer:
    item: str  # the item's text in the reader's language
    value: str  # "3 / 10", "yes"
    low: bool = False  # what raised an alert


@dataclass
class Said:
    comments: list[tuple[str, str]] = field(default_factory=list)  # item text, what they wrote
    answers: list[Answer] = field(default_factory=list)
    contact_me: bool = False


def _scaled(item: Item, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if item.scale is not None and isinstance(value, int):
        return f"{value} / {item.scale.max}"
    if item.type == "nps" and isinstance(value, int):
        return f"{value} / 10"
    return str(value)


def _low_codes(response: Response, definition: Definition) -> set[str]:
    """The items whose answers raised the response's alerts."""
    codes: set[str] = set()
    for alert in response.alerts.all():  # prefetched with their rules by a list
        rule = alert.rule
        if rule is None:
            continue
        if rule.kind == AlertRuleKind.OVERALL_AT_MOST and definition.role("overall"):
            codes.add(definition.role("overall").code)
        elif rule.kind == AlertRuleKind.NPS_DETRACTOR:
            codes.update(item.code for item in definition.items if item.type == "nps")
        elif rule.kind == AlertRuleKind.ANY_ITEM_AT_MOST and rule.threshold is not None:
            codes.update(
                item.code
                for item in definition.items
                if item.type == "rating"
                and isinstance(response.answers.get(item.code), int)
                and response.answers[item.code] <= rule.threshold
            )
    return codes


def what_was_said(response: Response, language: str) -> Said:
    definition = definition_of(response.version_id)
    low = _low_codes(response, definition)
    said = Said()
    shown = set(low)
    for role in ("overall", "loyalty"):
        item = definition.role(role)
        if item is not None:
            shown.add(item.code)
    shown.update(item.code for item in definition.items if item.type == "nps")
    for item in definition.items:
        value = response.answers.get(item.code)
        if value is None or value == "":
            continue
        if item.type == "text" and str(value).strip():
            said.comments.append((item.text.get(language), str(value).strip()))
        elif item.role == "contact_me":
            said.contact_me = value is True
        elif item.code in shown:
            said.answers.append(
                Answer(item.text.get(language), _scaled(item, value), item.code in low)
            )
    return said
