"""What the surveys put on the home page and in the inbox: the phone interviews due now,
and for the caller the next one to make."""

from typing import Any

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy

from manyi.org.permissions import may_browse_customers, may_make_calls
from manyi.surveys.models import Invitation
from manyi.surveys.selectors import call_list
from manyi.web.registry import InboxItem, InboxSource, home_card, inbox_source


def _call_item(invitation: Invitation) -> InboxItem:
    return InboxItem(
        title=str(invitation.customer or invitation.unit),
        url=reverse("surveys:call", args=[invitation.pk]),
        detail=f"{invitation.programme.name} · {invitation.unit}",
        due=invitation.next_call_at,
    )


@home_card(
    "surveys.next_call",
    order=5,
    template="surveys/home_next_call.html",
    shown_to=may_make_calls,
    covers=("surveys.calls",),
    keep=0,  # hands out the next interview: asked afresh each time
)
def next_call(user: Any) -> dict[str, Any] | None:
    """The caller's next interview, and how many more are due."""
    calls = call_list(user)
    first = calls.first()
    if first is None and may_browse_customers(user):
        # Calls are the whole day only of those who serve no customer base of their own
        # (the agent); a manager who calls now and then is not shown an empty card.
        return None
    return {
        "next": _call_item(first) if first else None,
        "due": calls.count(),
        "list_url": reverse("surveys:calls"),
    }


inbox_source(
    InboxSource(
        key="surveys.calls",
        order=40,
        label=gettext_lazy("Phone interviews due"),
        shown_to=may_make_calls,
        waiting=call_list,
        item=_call_item,
        more_url=reverse_lazy("surveys:calls"),
    )
)
