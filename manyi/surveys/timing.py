"""How long a questionnaire takes: the estimate an invitation promises, and the time
customers actually took, so the promise can be checked against what happened.

The estimate adds a reading-and-answering time per item by its type. The times are the
usual rule of thumb of survey practice for self-completion on a phone — a closed
rating or yes/no question takes a few seconds, an expectation–perception pair two
answers, an open question about half a minute — and on the phone an agent reads each
question and its scale aloud, which roughly doubles it.
"""

import math
from datetime import timedelta
from statistics import median
from typing import Any

from django.utils import timezone

from manyi.surveys.definition import Definition

SECONDS_BY_TYPE = {
    "rating": 6,
    "nps": 6,
    "yesno": 4,
    "single": 8,
    "multiple": 10,
    "servqual": 12,
    "text": 30,
}
READ_ALOUD = 2.0  # an agent reading questions and scales aloud takes about twice as long
LONGEST = timedelta(hours=1)  # a customer who took longer left and came back: not timed


def expected_seconds(definition: Definition, *, by_phone: bool = False) -> float:
    """The time to answer every item, by the items' types (see the module docstring)."""
    seconds = sum(SECONDS_BY_TYPE.get(item.type, 8) for item in definition.items)
    return seconds * (READ_ALOUD if by_phone else 1.0)


def promised_minutes(definition: Definition, *, by_phone: bool = False) -> int:
    """Whole minutes to promise ("about N minutes"): the estimate to the nearest
    minute, at least one."""
    return max(1, round(expected_seconds(definition, by_phone=by_phone) / 60))


def measured_seconds(programme: Any, *, days: int = 90, sample: int = 2000) -> tuple[float, int]:
    """The median time from opening the link to submitting, over the programme's
    latest completed invitations (at most ``sample`` of the last ``days`` days), and how
    many were timed; (nan, 0) when none."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        programme.invitations.filter(
            completed_at__gte=since, opened_at__isnull=False, channel__in=("sms", "email", "link")
        )
        .order_by("-completed_at")
        .values_list("opened_at", "completed_at")[:sample]
    )
    took = [(done - opened).total_seconds() for opened, done in rows if done - opened <= LONGEST]
    return (median(took), len(took)) if took else (math.nan, 0)
