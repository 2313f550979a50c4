"""Template helpers for questionnaires: text in the page's language, scale points."""

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from manyi.surveys.definition import Item, Text

register = template.Library()


@register.filter
def in_language(text: Any, language: str = "") -> str:
    """A definition ``Text`` (or the raw ``{"zh":…, "en":…}`` of a draft) in the language."""
    if not isinstance(text, Text):
        text = Text.parse(text)
    return text.get(language or get_language() or "zh-hans")


@register.filter
def points(item: Item) -> list[dict[str, Any]]:
    if item.scale is None:
        return []
    language = get_language() or "zh-hans"
    return [
        {
            "value": point,
            "label": item.scale.labels[point].get(language) if point in item.scale.labels else "",
        }
        for point in item.scale.points()
    ]


@register.filter
def answer(answers: dict[str, Any] | None, code: str) -> Any:
    """The answer to item ``code``, as text for comparison in templates ("" when none)."""
    value = (answers or {}).get(code)
    if isinstance(value, dict):
        return {key: "" if v is None else str(v) for key, v in value.items()}
    if isinstance(value, list):
        return [str(v) for v in value]
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


@register.filter
def join_answer(value: Any) -> str:
    """An answer as text: a list of choices joined, yes/no as words."""
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    return "" if value is None else str(value)
