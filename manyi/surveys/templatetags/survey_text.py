"""Template helpers for questionnaires: text in the page's language, scale points."""

from typing import Any

from django import template
from django.utils.translation import get_language

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
