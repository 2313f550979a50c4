"""Survey integrity: the signs that a response may not be a customer's honest answer.
A store can game its own results — answering from a staff member's phone, one phone for
many customers, a form clicked through in seconds or with every rating the same, a burst
of answers on its counter's open link. Such a response is flagged; by the integrity
policy it is left out of the figures, and each store's flagged share is reported
(Surveys › Integrity).

What the answers alone tell (every rating the same, too fast) is flagged when the
response is stored. What needs other rows (phones, bursts) is decided by the worker just
before it counts the response into the rollups, for a whole batch at once, so a submit
reads nothing more than it must.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet

from manyi.customers.models import Contact
from manyi.org.models import Staff
from manyi.surveys.definition import Definition
from manyi.surveys.models import (
    Channel,
    IntegrityFlag,
    IntegrityPolicy,
    Invitation,
    InvitationStatus,
    Response,
)

POLICY_KEY = "surveys:integrity-policy"


def current_policy() -> IntegrityPolicy:
    """The integrity policy, from the cache (it is read on every submit and changes
    seldom; ``integrity_policy_set`` forgets the cached one)."""
    policy = cache.get(POLICY_KEY)
    if policy is None:
        policy = IntegrityPolicy.current()
        cache.set(POLICY_KEY, policy, timeout=300)
    return policy


def _straight_line(definition: Definition, answers: dict[str, Any], least: int) -> bool:
    ratings = [
        answers[item.code]
        for item in definition.items
        if item.type == "rating" and isinstance(answers.get(item.code), int)
    ]
    return len(ratings) >= least and len(set(ratings)) == 1


def integrity_at_submit(
    *,
    definition: Definition,
    answers: dict[str, Any],
    opened_at: datetime | None = None,
    channel: str = "",
    now: datetime,
    policy: IntegrityPolicy | None = None,
) -> dict[str, Any]:
    """A response's integrity fields (``flags``, ``excluded``) from its own answers,
    before it is stored. Timing counts only for forms the customer filled in themselves
    (not phone interviews or imports, whose answers someone typed in)."""
    policy = policy or current_policy()
    flags = []
    if _straight_line(definition, answers, policy.straight_line_items):
        flags.append(str(IntegrityFlag.STRAIGHT_LINE))
    typed_in = channel in (Channel.PHONE, "import")
    fastest = timedelta(seconds=policy.seconds_per_item * len(answers))
    if opened_at is not None and not typed_in and now - opened_at < fastest:
        flags.append(str(IntegrityFlag.TOO_FAST))
    return {"flags": flags, "excluded": is_excluded(flags, policy)}


def is_excluded(flags: list[str], policy: IntegrityPolicy | None = None) -> bool:
    """Whether a response with these flags is left out of the figures."""
    policy = policy or current_policy()
    if not policy.exclude_flagged:
        return False
    return any(
        flag != IntegrityFlag.STRAIGHT_LINE or policy.exclude_straight_line for flag in flags
    )


def responses_review(responses: list[Response], policy: IntegrityPolicy | None = None) -> None:
    """Add the flags that need other rows to responses about to be counted, and decide
    again whether each counts; changed rows are saved. A handful of queries per batch:
    the customers' phones, which of them are staff phones or shared, and the completion
    times on the open links the batch came through."""
    if not responses:
        return
    policy = policy or current_policy()
    phone_flags = _phone_flags({r.customer_id for r in responses if r.customer_id}, policy)
    in_burst = _bursts(responses, policy)
    changed = []
    for response in responses:
        flags = list(response.flags)
        for flag in phone_flags.get(response.customer_id, ()):
            if flag not in flags:
                flags.append(flag)
        if response.pk in in_burst and IntegrityFlag.BURST not in flags:
            flags.append(str(IntegrityFlag.BURST))
        excluded = is_excluded(flags, policy)
        if (flags, excluded) != (response.flags, response.excluded):
            response.flags, response.excluded = flags, excluded
            changed.append(response)
    Response.objects.bulk_update(changed, ["flags", "excluded"], batch_size=500)


def _phone_flags(customer_ids: set[int], policy: IntegrityPolicy) -> dict[int, list[str]]:
    """Staff phones and customers' are both kept in E.164, so comparing values answers:
    is one of a customer's numbers a staff member's, and how many customers share it."""
    if not customer_ids:
        return {}
    numbers = defaultdict(set)
    for customer_id, value in Contact.objects.filter(
        customer_id__in=customer_ids, channel="phone"
    ).values_list("customer_id", "value"):
        numbers[customer_id].add(value)
    every = set().union(*numbers.values()) if numbers else set()
    staff = set(Staff.objects.filter(phone__in=every).values_list("phone", flat=True))
    shared = set(
        Contact.objects.filter(channel="phone", value__in=every)
        .values("value")
        .annotate(customers=Count("customer_id", distinct=True))
        .filter(customers__gte=policy.shared_phone_customers)
        .values_list("value", flat=True)
    )
    flags = {}
    for customer_id, values in numbers.items():
        found = []
        if values & staff:
            found.append(str(IntegrityFlag.STAFF_PHONE))
        if values & shared:
            found.append(str(IntegrityFlag.SHARED_PHONE))
        flags[customer_id] = found
    return flags


def _bursts(responses: list[Response], policy: IntegrityPolicy) -> set[int]:
    """The responses that make or continue a burst: counting the answers completed on
    the same open link within the policy's minutes up to this one, this one too."""
    by_invitation = {r.invitation_id: r for r in responses if r.invitation_id}
    links = dict(
        Invitation.objects.filter(pk__in=by_invitation, open_link__isnull=False).values_list(
            "pk", "open_link_id"
        )
    )
    if not links:
        return set()
    window = timedelta(minutes=policy.burst_minutes)
    times = [by_invitation[pk].submitted_at for pk in links]
    completed = defaultdict(list)
    for link_id, at in Invitation.objects.filter(
        open_link_id__in=set(links.values()),
        status=InvitationStatus.COMPLETED,
        completed_at__gte=min(times) - window,
        completed_at__lte=max(times),
    ).values_list("open_link_id", "completed_at"):
        completed[link_id].append(at)
    for moments in completed.values():
        moments.sort()
    found = set()
    for invitation_id, link_id in links.items():
        at = by_invitation[invitation_id].submitted_at
        moments = completed[link_id]
        if bisect_right(moments, at) - bisect_left(moments, at - window) >= policy.burst_responses:
            found.add(by_invitation[invitation_id].pk)
    return found


def flagged_share_by_unit(
    responses: QuerySet[Response], *, since: datetime, until: datetime
) -> list[dict[str, Any]]:
    """Per unit: responses in [since, until), how many are flagged, and how many for
    each reason (a response may have several). The flagged are few: counted here."""
    period = responses.filter(submitted_at__gte=since, submitted_at__lt=until)
    rows = {
        row["unit_id"]: {**row, "flagged": 0, **dict.fromkeys(IntegrityFlag.values, 0)}
        for row in period.values("unit_id", "unit__name", "unit__path")
        .annotate(total=Count("id"))
        .order_by("unit__path")
    }
    for unit_id, flags in period.exclude(flags=[]).values_list("unit_id", "flags"):
        row = rows[unit_id]
        row["flagged"] += 1
        for flag in flags:
            if flag in row:
                row[flag] += 1
    return [
        {**row, "share": row["flagged"] / row["total"] if row["total"] else None}
        for row in rows.values()
    ]
