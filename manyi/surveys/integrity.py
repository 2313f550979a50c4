"""Survey integrity: the signs that a response may not be a customer's honest answer,
found when it is stored. A store can game its own results — answering from a staff
member's phone, one phone for many customers, a form clicked through in seconds or with
every rating the same, a burst of answers on its counter's open link. Such a response
is flagged; by the integrity policy it is left out of the figures, and each store's
flagged share is reported (Surveys › Integrity).
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone

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


def _phone_flags(customer_id: int | None, policy: IntegrityPolicy) -> list[str]:
    """Staff phones and customers' are both kept in E.164, so two queries answer: is one
    of the customer's numbers a staff member's, and how many customers share it."""
    if customer_id is None:
        return []
    phones = Contact.objects.filter(customer_id=customer_id, channel="phone").values("value")
    flags = []
    if Staff.objects.filter(phone__in=phones).exists():
        flags.append(IntegrityFlag.STAFF_PHONE)
    sharing = (
        Contact.objects.filter(channel="phone", value__in=phones)
        .values("customer_id")
        .distinct()
        .count()
    )
    if sharing >= policy.shared_phone_customers:
        flags.append(IntegrityFlag.SHARED_PHONE)
    return flags


def _straight_line(definition: Definition, answers: dict[str, Any], least: int) -> bool:
    ratings = [
        answers[item.code]
        for item in definition.items
        if item.type == "rating" and isinstance(answers.get(item.code), int)
    ]
    return len(ratings) >= least and len(set(ratings)) == 1


def _burst(invitation: Invitation, now: datetime, policy: IntegrityPolicy) -> bool:
    """Enough answers on the same open link within the policy's minutes, this one too."""
    if invitation.open_link_id is None:
        return False
    since = now - timedelta(minutes=policy.burst_minutes)
    earlier = Invitation.objects.filter(
        open_link_id=invitation.open_link_id,
        status=InvitationStatus.COMPLETED,
        completed_at__gte=since,
    ).count()
    return earlier + 1 >= policy.burst_responses


def flags_of(
    *,
    definition: Definition,
    answers: dict[str, Any],
    customer_id: int | None,
    invitation: Invitation | None = None,
    channel: str = "",
    now: datetime | None = None,
    policy: IntegrityPolicy | None = None,
) -> list[str]:
    """Why a response about to be stored is suspect (IntegrityFlag codes, maybe none).
    Timing counts only for forms the customer filled in themselves (not phone
    interviews or imports, whose answers someone typed in)."""
    policy = policy or current_policy()
    now = now or timezone.now()
    flags = _phone_flags(customer_id, policy)
    if _straight_line(definition, answers, policy.straight_line_items):
        flags.append(IntegrityFlag.STRAIGHT_LINE)
    if invitation is not None and channel not in (Channel.PHONE, "import"):
        opened = invitation.opened_at
        fastest = timedelta(seconds=policy.seconds_per_item * len(answers))
        if opened is not None and now - opened < fastest:
            flags.append(IntegrityFlag.TOO_FAST)
        if _burst(invitation, now, policy):
            flags.append(IntegrityFlag.BURST)
    return [str(flag) for flag in flags]


def integrity_of(*, policy: IntegrityPolicy | None = None, **response: Any) -> dict[str, Any]:
    """A response's integrity fields (``flags`` and ``excluded``) before it is stored;
    ``response`` as ``flags_of`` takes it."""
    policy = policy or current_policy()
    flags = flags_of(policy=policy, **response)
    return {"flags": flags, "excluded": is_excluded(flags, policy)}


def is_excluded(flags: list[str], policy: IntegrityPolicy | None = None) -> bool:
    """Whether a response with these flags is left out of the figures."""
    policy = policy or current_policy()
    if not policy.exclude_flagged:
        return False
    return any(
        flag != IntegrityFlag.STRAIGHT_LINE or policy.exclude_straight_line for flag in flags
    )


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
