"""What else than visits says a customer may leave: their scores, their complaints, their
advisor. One pass over each source, customer by customer, for the nightly refresh."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from manyi.care.models import Attitude, ChurnPolicy, RiskReason
from manyi.cases.models import Case, CaseKind, CaseStatus
from manyi.customers.models import Customer
from manyi.surveys.models import Response

# What the customer said when last asked, from their NPS class.
ATTITUDE_OF = {"promoter": Attitude.PROMOTER, "passive": Attitude.PASSIVE}


@dataclass
class Evidence:
    reasons: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    attitude: dict[int, str] = field(default_factory=dict)


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
    for customer_id in open_complaints.values_list("customer_id", flat=True).distinct():
        found.reasons[customer_id].append(RiskReason.COMPLAINT_OPEN)
    reopened = Case.objects.filter(
        kind=CaseKind.COMPLAINT,
        customer__isnull=False,
        reopened__gt=0,
        clock_started_at__gte=reopened_since,
    )
    for customer_id in reopened.values_list("customer_id", flat=True).distinct():
        found.reasons[customer_id].append(RiskReason.COMPLAINT_REOPENED)
    left = Customer.objects.filter(advisor__isnull=False, advisor__is_active=False)
    for customer_id in left.values_list("pk", flat=True):
        found.reasons[customer_id].append(RiskReason.ADVISOR_LEFT)
    return found


def _from_responses(found: Evidence, *, policy: ChurnPolicy, since: datetime) -> None:
    rows = (
        Response.objects.filter(customer__isnull=False, excluded=False, submitted_at__gte=since)
        .order_by("customer_id", "submitted_at", "pk")
        .values_list("customer_id", "index", "nps_class")
    )
    current, scores, nps_class = None, [], ""
    for customer_id, index, answered_class in rows.iterator(chunk_size=5000):
        if customer_id != current:
            _judge(found, current, scores, nps_class, policy)
            current, scores, nps_class = customer_id, [], ""
        if index is not None:
            scores.append(index)
        if answered_class:
            nps_class = answered_class
    _judge(found, current, scores, nps_class, policy)


def _judge(
    found: Evidence, customer_id: int | None, scores: list[float], nps_class: str,
    policy: ChurnPolicy,
) -> None:  # fmt: skip
    if customer_id is None:
        return
    poor = [score < policy.poor_index for score in scores[-2:]]
    if len(poor) == 2 and all(poor):
        found.reasons[customer_id].append(RiskReason.TWO_POOR)
    elif poor and poor[-1]:
        found.reasons[customer_id].append(RiskReason.POOR_LAST)
    if nps_class == "detractor":
        found.reasons[customer_id].append(RiskReason.DETRACTOR)
        found.attitude[customer_id] = Attitude.DETRACTOR
    elif nps_class:
        found.attitude[customer_id] = ATTITUDE_OF[nps_class]
