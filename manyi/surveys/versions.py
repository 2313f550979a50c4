"""Parsed questionnaire versions, kept per process: a published version never changes.

A survey submit checks, scores and alert-checks against its version's definition;
parsing it once per process instead of three times per request is most of the
speed of the public form. The cache is cleared for a version id whenever a version
is saved or deleted (the only signal use: cache invalidation), which also covers
test databases that reuse ids after a rollback.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from manyi.surveys.definition import Definition, parse
from manyi.surveys.models import QuestionnaireVersion

_parsed: dict[int, Definition] = {}


def definition_of(version_id: int) -> Definition:
    """The parsed definition of a published version."""
    definition = _parsed.get(version_id)
    if definition is None:
        raw = QuestionnaireVersion.objects.values_list("definition", flat=True).get(pk=version_id)
        definition = _parsed[version_id] = parse(raw)
    return definition


@receiver([post_save, post_delete], sender=QuestionnaireVersion)
def _forget(sender: Any, instance: QuestionnaireVersion, **kwargs: Any) -> None:
    _parsed.pop(instance.pk, None)
