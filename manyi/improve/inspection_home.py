"""What the checks put on the home page and in the inbox: the inspections waiting for the
user, the standards failed in their part with nothing opened on them yet, and the card
with the part's last three months."""

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Sum
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy

from manyi.improve.models import Inspection, InspectionAnswer, InspectionStatus
from manyi.improve.selectors.inspections import (
    inspection_list,
    unfollowed_failures,
    waiting_inspections,
)
from manyi.org.permissions import may_plan_actions, may_see_inspections
from manyi.web.registry import InboxItem, InboxSource, home_card, inbox_source

SHOWN = 5
RECENT_DAYS = 92  # the card's "last three months"


def _inspection_item(inspection: Inspection) -> InboxItem:
    due = datetime.combine(
        inspection.planned_for, time(23, 59), tzinfo=timezone.get_current_timezone()
    )
    return InboxItem(
        title=f"{inspection.get_kind_display()} · {inspection.unit}",
        url=reverse("improve:inspection_carry_out", args=[inspection.pk]),
        detail=str(inspection.checklist),
        due=due,
        overdue=inspection.planned_for < timezone.localdate(),
    )


def _failure_item(answer: InspectionAnswer) -> InboxItem:
    return InboxItem(
        title=answer.version.title,
        url=reverse("improve:inspection", args=[answer.inspection_id]),
        detail=f"{answer.inspection.unit} · {answer.inspection.planned_for:%Y-%m-%d}",
    )


inbox_source(
    InboxSource(
        key="improve.inspections",
        order=42,
        label=gettext_lazy("Inspections for me to carry out"),
        shown_to=may_see_inspections,
        waiting=waiting_inspections,
        item=_inspection_item,
        more_url=reverse_lazy("improve:inspections"),
    )
)
inbox_source(
    InboxSource(
        key="improve.failures",
        order=43,
        label=gettext_lazy("Failed standards with no action or case yet"),
        shown_to=may_plan_actions,
        waiting=unfollowed_failures,
        item=_failure_item,
        more_url=reverse_lazy("improve:inspections"),
    )
)


@home_card("improve.inspections", order=14, template="improve/home_inspections.html",
           shown_to=may_see_inspections, covers=("improve.inspections",))  # fmt: skip
def inspections(user: Any) -> dict[str, Any] | None:
    """The part's staff inspections of the last three months: how many, the mean score,
    how many basic standards failed; and the ones waiting for the user."""
    since = timezone.localdate() - timedelta(days=RECENT_DAYS)
    done = inspection_list(user, kind="inspections", status=InspectionStatus.DONE, since=since)
    summary = done.aggregate(n=Count("pk"), mean=Avg("score"), basic_failed=Sum("basic_failed"))
    waiting = list(waiting_inspections(user)[:SHOWN])
    if not summary["n"] and not waiting:
        return None
    return {
        "done": summary["n"], "mean": summary["mean"], "basic_failed": summary["basic_failed"],
        "waiting": waiting, "unfollowed": unfollowed_failures(user).count(),
        "list_url": reverse("improve:inspections"),
        "results_url": reverse("improve:inspection_results"),
    }  # fmt: skip
