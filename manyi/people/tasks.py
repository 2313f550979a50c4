"""Background work of people: computing a period's cards when HQ asks now."""

from django_tasks import task

from manyi.people.models import ScorecardPeriod
from manyi.people.services.scorecards import scorecards_compute


@task()
def compute_scorecards(period_id: int) -> int:
    return scorecards_compute(period=ScorecardPeriod.objects.get(pk=period_id))
