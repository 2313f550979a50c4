"""Reports hold figures of groups; the comments page keeps a copy of what customers
wrote in the free-text items, which goes with the answers it was taken from."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from manyi.analytics.models import Comment
from manyi.privacy.registry import Retention, declare, exempt


def comments_purge(cutoff: datetime) -> int:
    return Comment.objects.filter(submitted_at__lt=cutoff).delete()[1].get("analytics.Comment", 0)


declare(
    "analytics.Comment",
    "text",
    label=_("Survey comments, as the comments page lists them"),
    path="response__customer",
    erase="delete",
    retention=Retention.FREE_TEXT,
    purge=comments_purge,
    exported=("response_id", "item", "submitted_at"),
)
exempt("analytics.ReportExport", "file", "error", why="a report of figures for units")
