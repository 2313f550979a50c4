"""Headquarters' survey integrity policy: what is suspect, and whether it counts."""

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record, changed_fields
from manyi.errors import DomainError
from manyi.org.permissions import may_run_programmes
from manyi.surveys.integrity import POLICY_KEY
from manyi.surveys.models import IntegrityPolicy


@transaction.atomic
def integrity_policy_set(*, actor: Any, **values: Any) -> IntegrityPolicy:
    """Change the thresholds and the choice to leave flagged responses out. It applies
    to responses stored from now on (a rollup rebuild does not re-flag old ones)."""
    if actor is not None and not may_run_programmes(actor):
        raise DomainError(_("Only HQ sets the survey integrity policy."))
    policy = IntegrityPolicy.objects.select_for_update().get(pk=IntegrityPolicy.current().pk)
    changes = changed_fields(policy, values)
    if changes:
        policy.save()
        audit_record(actor=actor, action="integrity_policy_set", obj=policy, changes=changes)
        cache.delete(POLICY_KEY)
        # Again once committed: a submit meanwhile may have cached the old one.
        transaction.on_commit(lambda: cache.delete(POLICY_KEY))
    return policy
