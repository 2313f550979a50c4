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


@register.filter
def clip_index(value: float | None) -> float | None:
    """An index bound kept on the 0–1,000 scale (a wide interval of a few answers would
    run past it)."""
    return None if value is None else min(max(value, 0.0), 1000.0)
