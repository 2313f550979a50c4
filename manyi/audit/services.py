"""Writing audit rows. Every service that changes state calls ``audit_record``.

The log holds ids and masked values only — never a raw phone, ID number, customer
name or free text — so erasing a person later never has to touch it. A record names
itself here by its ``audit_label`` when its ``str()`` would carry personal data
(a customer's name, a case's subject, a contact's value).
"""

from typing import Any

from django.db import models

from manyi.audit.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


CHANGED = "changed"  # what the log says of a personal or free-text field that changed


def changed_fields(
    instance: models.Model, values: dict[str, Any], *, personal: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Apply ``values`` to ``instance`` and return ``{field: [old, new]}`` for real
    changes; a field named in ``personal`` is logged only as changed."""
    changes: dict[str, Any] = {}
    for field, new in values.items():
        old = getattr(instance, field)
        if old != new:
            changes[field] = CHANGED if field in personal else [_plain(old), _plain(new)]
            setattr(instance, field, new)
    return changes


def audit_label(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    label = getattr(obj, "audit_label", None)
    return str(label) if label is not None else str(obj)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    unit: Any = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_repr: str = "",
    unit_id: int | None = None,
) -> AuditEntry:
    """Write one audit row; call inside the service's transaction.

    ``unit_id`` saves fetching the unit when only its id is at hand (hot paths).
    """
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or audit_label(obj))[:200],
        unit_id=unit.pk if unit is not None else unit_id,
        changes={
            key: _plain(value) if not isinstance(value, list | dict) else value
            for key, value in (changes or {}).items()
        },
    )
