"""Comments: what customers wrote in the free-text items of their answers, taken out of
the responses when the worker counts them, to be read, filtered and exported."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet

from manyi.analytics.models import Comment
from manyi.org.selectors import visible_unit_filter
from manyi.surveys.models import Response
from manyi.surveys.versions import definition_of

ORDERS = ("newest", "lowest")


def text_items(version_id: int) -> list[str]:
    return [item.code for item in definition_of(version_id).items if item.type == "text"]


def comments_of(responses: Iterable[Response]) -> list[Comment]:
    """The comments a batch of responses holds (not yet saved)."""
    found = []
    for response in responses:
        for code in text_items(response.version_id):
            text = response.answers.get(code)
            if isinstance(text, str) and text.strip():
                found.append(
                    Comment(
                        response_id=response.pk,
                        item=code,
                        text=text.strip(),
                        version_id=response.version_id,
                        programme_id=response.programme_id,
                        unit_id=response.unit_id,
                        staff_id=response.staff_id,
                        submitted_at=response.submitted_at,
                        index=response.index,
                        nps=response.nps,
                    )
                )
    return found


def comments_keep(responses: list[Response]) -> None:
    """Store the comments of responses being counted (once: a second run changes none)."""
    Comment.objects.bulk_create(comments_of(responses), batch_size=500, ignore_conflicts=True)


def comments_refresh(response: Response) -> None:
    """A response's answers changed (a re-import): its comments follow."""
    Comment.objects.filter(response=response).delete()
    comments_keep([response])


def comment_list(
    user: Any,
    *,
    programme_id: int,
    since: datetime,
    until: datetime,
    unit_path: str | None = None,
    item: str = "",
    lowest: float | None = None,
    highest: float | None = None,
    words: str = "",
    order: str = "newest",
) -> QuerySet[Comment]:
    """The comments of a programme in [since, until) that ``user`` may see, in the
    subtree of ``unit_path``, with an item, an index band and words to look for."""
    comments = Comment.objects.filter(
        visible_unit_filter(user),
        programme_id=programme_id,
        submitted_at__gte=since,
        submitted_at__lt=until,
    ).select_related("unit", "staff", "response")
    if unit_path:
        comments = comments.filter(unit__path__startswith=unit_path)
    if item:
        comments = comments.filter(item=item)
    if lowest is not None:
        comments = comments.filter(index__gte=lowest)
    if highest is not None:
        comments = comments.filter(index__lte=highest)
    for word in words.split():
        comments = comments.filter(text__icontains=word)
    if order == "lowest":  # without an index (an NPS-only answer) last, on every database
        return comments.order_by(F("index").asc(nulls_last=True), "-submitted_at", "pk")
    return comments.order_by("-submitted_at", "-pk")
