"""What people puts on the home page and in the inbox: the user's own card of last
month and their points; for a manager their part's best, the cards not ranked and the
open training; for HQ the periods that ended and wait to be reviewed and closed; the
courses to attend and those to sign off."""

from datetime import datetime, time
from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from manyi.org.permissions import (
    may_assign_training,
    may_review_scorecards,
    may_see_scorecards,
    may_see_training,
    may_set_scorecards,
)
from manyi.people.models import PeriodKind, PeriodStatus, ScorecardPeriod, TrainingStatus
from manyi.people.selectors.points import points_of
from manyi.people.selectors.scorecards import cards_of, last_period
from manyi.people.selectors.training import training_list
from manyi.web.registry import KEEP_FIGURES, InboxItem, InboxSource, home_card, inbox_source

SHOWN = 3


@home_card("people.scorecards", order=16, template="people/home_scorecards.html",
           shown_to=may_see_scorecards, keep=KEEP_FIGURES)  # fmt: skip
def scorecards_card(user: Any) -> dict[str, Any] | None:
    """Last month's card of the user; for a manager, their part's best three — of last
    month, or of the last quarter when a month's answers were too few to rank anyone —
    and how many cards are not ranked."""
    period = last_period()
    if period is None:
        return None
    mine = cards_of(user, period).filter(staff_id=user.pk).first()
    part = None
    if may_review_scorecards(user):
        staff_cards = cards_of(user, period).filter(staff__isnull=False)
        # The best of the card most of the part holds (advisors'), not ranks of two cards;
        # of last month, or of the last quarter when a month ranked none of them.
        main = (staff_cards.values("template_id").annotate(count=Count("pk"))
                .order_by("-count", "template_id").first())  # fmt: skip
        template = main["template_id"] if main else None
        ranked_in = next(
            (p for p in (period, _last_ended_quarter()) if p is not None
             and cards_of(user, p).filter(template_id=template, rank__isnull=False).exists()),
            period,
        )  # fmt: skip
        cards = cards_of(user, ranked_in).filter(template_id=template)
        part = {
            "period": ranked_in,
            "best": list(cards.filter(rank__isnull=False).order_by("rank")[:SHOWN]),
            "cards": cards.count(),
            "unranked": cards.filter(rank__isnull=True).count(),
        }
        if not part["cards"]:
            part = None
    if mine is None and part is None:
        return None
    points = points_of(user, period, staff=user.pk).aggregate(net=Sum("points"))["net"]
    return {"period": period, "mine": mine, "part": part, "points": points,
            "list_url": f"{reverse('people:scorecards')}?period={period.pk}"}  # fmt: skip


def _last_ended_quarter() -> ScorecardPeriod | None:
    return (
        ScorecardPeriod.objects.filter(kind=PeriodKind.QUARTER, end__lt=timezone.localdate())
        .exclude(cards=None)
        .order_by("-start")
        .first()
    )


def periods_to_close(user: Any) -> list[ScorecardPeriod]:
    """Open periods that have ended and have cards: to review and close."""
    today = timezone.localdate()
    return list(
        ScorecardPeriod.objects.filter(status=PeriodStatus.OPEN, end__lt=today,
                                       computed_at__isnull=False)
        .exclude(cards=None).order_by("end")
    )  # fmt: skip


def _period_item(period: ScorecardPeriod) -> InboxItem:
    return InboxItem(
        title=str(period),
        url=f"{reverse('people:scorecards')}?period={period.pk}",
        detail=str(period.get_kind_display()),
        due=datetime.combine(period.end, time(23, 59), tzinfo=timezone.get_current_timezone()),
    )


inbox_source(
    InboxSource(
        key="people.periods",
        order=60,
        label=gettext_lazy("Scorecard periods to review and close"),
        shown_to=may_set_scorecards,
        waiting=periods_to_close,
        item=_period_item,
        more_url=reverse_lazy("people:scorecards"),
    )
)


def my_training(user: Any) -> Any:
    """The user's own courses not yet attended, the soonest due first."""
    return training_list(user, status=TrainingStatus.ASSIGNED).filter(staff_id=user.pk)


def to_sign_off(user: Any) -> Any:
    """Attended courses of the user's part waiting to be signed off."""
    return training_list(user, status=TrainingStatus.ATTENDED).order_by("attended_on", "pk")


def _training_item(assignment: Any) -> InboxItem:
    return InboxItem(
        title=str(assignment.course),
        url=f"{reverse('people:training')}?staff={assignment.staff_id}",
        detail=str(assignment.staff),
        due=datetime.combine(assignment.due_on, time(23, 59),
                             tzinfo=timezone.get_current_timezone()),
        overdue=assignment.is_overdue,
    )  # fmt: skip


inbox_source(
    InboxSource(
        key="people.my_training", order=61, label=gettext_lazy("My training to attend"),
        shown_to=may_see_training, waiting=my_training, item=_training_item,
        more_url=reverse_lazy("people:training"),
    )
)  # fmt: skip
inbox_source(
    InboxSource(
        key="people.sign_off", order=62, label=gettext_lazy("Training attended, to sign off"),
        shown_to=may_assign_training, waiting=to_sign_off, item=_training_item,
        more_url=format_lazy("{}?status=attended", reverse_lazy("people:training")),
    )
)  # fmt: skip


@home_card("people.training", order=17, template="people/home_training.html",
           shown_to=may_assign_training)  # fmt: skip
def training_card(user: Any) -> dict[str, Any] | None:
    """The part's open training: how many, how many overdue, how many to sign off."""
    open_ = training_list(user, status="open")
    counts = {
        "open": open_.count(),
        "overdue": training_list(user, status="overdue").count(),
        "attended": open_.filter(status=TrainingStatus.ATTENDED).count(),
    }
    if not counts["open"]:
        return None
    return {**counts, "list_url": reverse("people:training")}
