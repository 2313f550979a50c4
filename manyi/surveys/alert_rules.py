"""Each programme's active hot-alert rules, kept per process.

A submit checks its response against its programme's rules; reading them from the
database every time was a round trip of its own. They are kept here under the
programme's ``alert_rules_key``, which every change of a rule renews (and which the
submit's claim reads in the same statement), so a rule changed in another process is
read afresh here at the next submit. Saving a rule or a programme also forgets them in
this process (the only signal use: cache invalidation), which covers test databases
that reuse ids after a rollback."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from manyi.surveys.models import AlertRule, Programme

_rules: dict[tuple[int, str], list[AlertRule]] = {}


def active_rules(programme_id: int, key: str) -> list[AlertRule]:
    found = _rules.get((programme_id, key))
    if found is None:
        found = list(AlertRule.objects.filter(programme_id=programme_id, is_active=True))
        _rules[programme_id, key] = found
    return found


@receiver([post_save, post_delete], sender=AlertRule)
@receiver([post_save, post_delete], sender=Programme)
def _forget(sender: Any, instance: Any, **kwargs: Any) -> None:
    programme_id = instance.pk if sender is Programme else instance.programme_id
    for cached in [cached for cached in _rules if cached[0] == programme_id]:
        _rules.pop(cached, None)
