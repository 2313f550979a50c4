"""First-time fix policy: the come-back window and the survey item shown beside the rate."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.improve.models import FixPolicy
from manyi.improve.selectors.standards import rated_items
from manyi.org.permissions import may_set_standards


@transaction.atomic
def fix_policy_set(*, actor: Any, window_days: int, survey_item: str = "") -> FixPolicy:
    """Set what counts as a repair fixed the first time (no repair of the vehicle again
    within ``window_days``) and the survey item shown beside the rate."""
    if not may_set_standards(actor):
        raise DomainError(_("Only headquarters sets the first-time fix policy."))
    if not 1 <= window_days <= 365:
        raise DomainError(_("The window is from 1 to 365 days."))
    survey_item = survey_item.strip()
    if survey_item and survey_item not in rated_items():
        raise DomainError(_("No questionnaire asks %(item)s on a scale.") % {"item": survey_item})
    policy = FixPolicy.current()
    before = {"window_days": policy.window_days, "survey_item": policy.survey_item}
    policy.window_days, policy.survey_item = window_days, survey_item
    policy.save()
    audit_record(actor=actor, action="fix_policy.set", obj=policy,
                 changes={"before": before, "window_days": window_days,
                          "survey_item": survey_item})  # fmt: skip
    return policy
