"""How a measure's figure reads: an index without decimals, a share as a percentage."""

from django import template
from django.utils.formats import number_format

from manyi.people.measures import SPECS

register = template.Library()


@register.filter
def figure(value: float | None, kind: str) -> str:
    """``{{ line.value|figure:line.kind }}``: the figure in its measure's own form."""
    if value is None:
        return "—"
    form = SPECS[kind].form if kind in SPECS else "index"
    if form == "share":
        return f"{number_format(round(value * 100), 0)} %"
    if form == "nps":
        return f"{value:+.0f}"
    return number_format(round(value), 0)


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{number_format(round(value * 100), 0)} %"
