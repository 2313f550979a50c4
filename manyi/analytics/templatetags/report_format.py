"""How report figures read: p values as a statistician writes them."""

import math

from django import template

register = template.Library()


@register.filter
def p_value(value: float | None) -> str:
    """``< 0.001`` for tiny p values, otherwise three decimals; "—" when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


@register.filter
def p_phrase(value: float | None) -> str:
    """A p value in running text: ``p < 0.001`` or ``p = 0.042`` (never ``p = < 0.001``)."""
    shown = p_value(value)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"
