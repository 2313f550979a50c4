"""What improvement puts on the home page: the targets running now in the user's part,
the furthest behind first."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from manyi.improve.selectors import figure_label, target_list, target_progress
from manyi.org.permissions import may_see_analytics
from manyi.web.registry import home_card

SHOWN = 5
MOST = 40  # targets read for the card at most, one rollup read each (the list has them all)


@home_card("improve.targets", order=12, template="improve/home_targets.html",
           shown_to=may_see_analytics)  # fmt: skip
def targets(user: Any) -> dict[str, Any] | None:
    """Targets whose period runs this month: how many are met, and the furthest behind."""
    today = timezone.localdate()
    month = today.replace(day=1)
    running = target_list(user).filter(since__lte=month, until__gte=month).order_by("pk")[:MOST]
    progress = [target_progress(target, today=today) for target in running]
    if not progress:
        return None
    language = get_language() or "zh-hans"
    behind = sorted(
        (p for p in progress if p.met is False), key=lambda p: p.shortfall or 0, reverse=True
    )
    return {
        "count": len(progress),
        "met": sum(1 for p in progress if p.met),
        "behind": [
            (p, figure_label(p.target.programme.version_id, p.target.variable, language))
            for p in behind[:SHOWN]
        ],
        "list_url": reverse("improve:targets"),
    }
