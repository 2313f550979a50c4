"""What else than visits says a customer may leave: their scores, their complaints, their
advisor. One pass over each source, customer by customer, for the nightly refresh.

Scores and complaints are a store's own: they count where they were given, so a row of
another store's list never hints at them. An advisor who left is the customer's."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from manyi.care.models import Attitude, ChurnPolicy, RiskReason
from manyi.cases.models import Case, CaseKind, CaseStatus
from manyi.customers.models import Customer
from manyi.surveys.models import Response

# What the customer said when last asked, from their NPS class.
ATTITUDE_OF = {
    "promoter": Attitude.PROMOTER,
    "passive": Attitude.PASSIVE,
    "detractor": Attitude.DETRACTOR,
}


@dataclass
class Evidence:
    at_unit: dict[tuple[int, int], list[str]] = field(default_factory=lambda: defaultdict(list))
    of_customer: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    attitude: dict[int, str] = field(default_factory=dict)  # latest NPS class, anywhere


def customer_evidence(
    *, policy: ChurnPolicy, since: datetime, reopened_since: datetime
) -> Evidence:
    """Each customer's reasons that do not come from their visits: two poor scores in a
    row (or a poor last one), a detractor's last NPS answer, a complaint still open or
    reopened lately, an own advisor who has left; and each customer's attitude."""
    found = Evidence()
    _from_responses(found, policy=policy, since=since)
    open_complaints = Case.objects.filter(
        kind=CaseKind.COMPLAINT,
        customer__isnull=False,
        status__in=[CaseStatus.OPEN, CaseStatus.WAITING],
    )
    for key in open_complaints.values_list("customer_id", "unit_id").distinct():
        found.at_unit[key].append(RiskReason.COMPLAINT_OPEN)
    reopened = Case.objects.filter(
        kind=CaseKind.COMPLAINT,
        customer__isnull=False,
        reopened__gt=0,
        clock_started_at__gte=reopened_since,
    )
    for key in reopened.values_list("customer_id", "unit_id").distinct():
        found.at_unit[key].append(RiskReason.COMPLAINT_REOPENED)
    left = Customer.objects.filter(advisor__isnull=False, advisor__is_active=False)
    for customer_id in left.values_list("pk", flat=True):
        found.of_customer[customer_id].append(RiskReason.ADVISOR_LEFT)
    return found


def _from_responses(found: Evidence, *, policy: ChurnPolicy, since: datetime) -> None:
    rows = (
        Response.objects.filter(customer__isnull=False, excluded=False, submitted_at__gte=since)
        .order_by("customer_id", "unit_id", "submitted_at", "pk")
        .values_list("customer_id", "unit_id", "index", "nps_class")
    )
    current, scores, nps_class = None, [], ""
    for customer_id, unit_id, index, answered_class in rows.iterator(chunk_size=5000):
        if (customer_id, unit_id) != current:
            _judge(found, current, scores, nps_class, policy)
            current, scores, nps_class = (customer_id, unit_id), [], ""
        if index is not None:
            scores.append(index)
        if answered_class:
            nps_class = answered_class
    _judge(found, current, scores, nps_class, policy)
    # What each customer said last, anywhere: the loyalty matrix's attitude.
    latest = (
        Response.objects.filter(customer__isnull=False, excluded=False, submitted_at__gte=since)
        .exclude(nps_class="")
        .order_by("customer_id", "submitted_at", "pk")
        .values_list("customer_id", "nps_class")
    )
    for customer_id, answered_class in latest.iterator(chunk_size=5000):
        found.attitude[customer_id] = ATTITUDE_OF[answered_class]


def _judge(
    found: Evidence,
    key: tuple[int, int] | None,
    scores: list[float],
    nps_class: str,
    policy: ChurnPolicy,
) -> None:
    """A customer's answers at one unit: the last two poor, or the last one; the last
    NPS answer a detractor's."""
    if key is None:
        return
    poor = [score < policy.poor_index for score in scores[-2:]]
    if len(poor) == 2 and all(poor):
        found.at_unit[key].append(RiskReason.TWO_POOR)
    elif poor and poor[-1]:
        found.at_unit[key].append(RiskReason.POOR_LAST)
    if nps_class == "detractor":
        found.at_unit[key].append(RiskReason.DETRACTOR)
