"""Questions as an agent reads them aloud on the phone.

A questionnaire's items are often short labels written for a screen ("Ease of
scheduling the service", "预约服务的便利程度") where the scale beside them says the
rest. Read aloud, a label is not a question, and the customer cannot see the scale: the
agent says what is being rated and what the ends of the scale mean.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from manyi.surveys.definition import Definition, Item


def _is_question(text: str) -> bool:
    return text.rstrip().endswith(("?", "？"))


def _ends(item: Item, language: str) -> str:
    """What the lowest and highest points mean, as a sentence."""
    assert item.scale is not None
    low, high = item.scale.min, item.scale.max
    low_label = item.scale.labels[low].get(language) if low in item.scale.labels else ""
    high_label = item.scale.labels[high].get(language) if high in item.scale.labels else ""
    if low_label and high_label:
        return _("%(low)s means “%(low_label)s”, %(high)s means “%(high_label)s”.") % {
            "low": low,
            "high": high,
            "low_label": low_label,
            "high_label": high_label,
        }
    return _("%(low)s is the lowest, %(high)s the highest.") % {"low": low, "high": high}


def spoken(item: Item, language: str, *, say_ends: bool = True) -> str:
    """The item worded to be read aloud, with what its scale's ends mean (``say_ends``)."""
    text = item.text.get(language).strip()
    if item.type in ("rating", "nps") and item.scale is not None:
        if not _is_question(text):
            text = _("How would you rate “%(label)s”, from %(low)s to %(high)s?") % {
                "label": text.rstrip("。."),
                "low": item.scale.min,
                "high": item.scale.max,
            }
        return f"{text} {_ends(item, language)}" if say_ends else text
    if item.type == "servqual" and item.scale is not None:
        return _(
            "About “%(label)s”: first, what did you expect, from %(low)s to %(high)s? "
            "And what did you experience?"
        ) % {"label": text.rstrip("。."), "low": item.scale.min, "high": item.scale.max}
    if item.type == "yesno" and not _is_question(text):
        return _("%(label)s — yes or no?") % {"label": text.rstrip("。.")}
    return text


def spoken_items(definition: Definition, language: str) -> dict[str, str]:
    """Every item of a questionnaire as read aloud in ``language``, by item code. The
    ends of a scale are said once, not again for the items on the same scale after it."""
    worded, previous = {}, None
    with translation.override(language):
        for item in definition.items:
            worded[item.code] = spoken(item, language, say_ends=item.scale != previous)
            previous = item.scale
    return worded
