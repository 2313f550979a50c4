"""Which model fields look as if they could hold a person's data: free text, files, and
fields named like a name, a contact, an identifier or something said."""

import re

from django.apps import apps
from django.db import models

WORDS = (
    "name", "phone", "mobile", "mail", "email", "address", "id_number", "birth", "plate",
    "identifier", "vin", "recipient", "sender", "value", "note", "text", "body",
    "description", "subject", "reason", "answer", "progress", "params", "payload", "device",
    "wechat", "comment", "remark", "solution", "cause", "prevention", "scenario", "fact",
    "evidence", "why", "province", "city", "district", "keyword", "changes",
)  # fmt: skip
# A whole word of the field's name (``first_name``, ``reasons``; not ``resolution_due``).
NAMED_LIKE = re.compile(r"(?:^|_)(?:" + "|".join(WORDS) + r")s?(?:_|$)")
ALWAYS = (models.TextField, models.FileField, models.EmailField, models.GenericIPAddressField)
NAMED = (models.CharField, models.JSONField, models.DateField)


def looks_personal(field: models.Field) -> bool:
    if getattr(field, "choices", None):
        return False  # a code from a fixed list says nothing of anyone
    if isinstance(field, ALWAYS):
        return True
    return isinstance(field, NAMED) and bool(NAMED_LIKE.search(field.name))


def personal_looking_fields() -> set[tuple[str, str]]:
    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        if model.__module__.startswith("manyi.")
        for field in model._meta.concrete_fields
        if looks_personal(field)
    }
