"""Time left to a deadline, said plainly: "2 h 15 min left", "overdue 1 d 3 h"."""

from datetime import datetime

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


@register.filter
def time_left(due: datetime | None, now: datetime) -> str:
    if due is None:
        return "—"
    seconds = (due - now).total_seconds()
    if seconds < 0:
        return _("overdue %(span)s") % {"span": _span(-seconds)}
    return _("%(span)s left") % {"span": _span(seconds)}


@register.filter
def deadline_class(due: datetime | None, now: datetime) -> str:
    """Red when overdue, orange in the last fifth of a day, otherwise nothing."""
    if due is None:
        return ""
    seconds = (due - now).total_seconds()
    if seconds < 0:
        return "text-danger fw-bold"
    return "text-warning" if seconds < 4 * 3600 else ""
