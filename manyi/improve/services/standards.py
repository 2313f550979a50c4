"""The standards library: service steps, standards, and their revisions — set by
headquarters, each change a new version with its reason, audited."""

import re
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.improve.models import (
    ServiceStep,
    Standard,
    StandardClass,
    StandardKind,
    StandardVersion,
)
from manyi.improve.selectors.standards import known_items
from manyi.org.permissions import may_set_standards

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class StandardError(DomainError):
    """A standard, or a change to one, that cannot be made."""


def _check(actor: Any) -> None:
    if not may_set_standards(actor):
        raise StandardError(_("Only headquarters sets the service standards."))


def _code(code: str) -> str:
    code = code.strip().lower()
    if not CODE.match(code):
        raise StandardError(
            _("A code is up to 40 lowercase letters, digits, hyphens or underscores.")
        )
    return code


def _items(items: Iterable[str]) -> list[str]:
    items = list(dict.fromkeys(code.strip() for code in items if code.strip()))
    known = known_items() if items else set()
    unknown = [code for code in items if code not in known]
    if unknown:
        raise StandardError(
            _("No questionnaire asks %(items)s.") % {"items": ", ".join(unknown[:5])}
        )
    return items


@transaction.atomic
def service_step_save(
    *, actor: Any, code: str, name: str, name_en: str = "", order: int = 0
) -> ServiceStep:
    """Add a step of the service cycle, or rename or reorder the one with ``code``."""
    _check(actor)
    if not name.strip():
        raise StandardError(_("Name the step."))
    step, created = ServiceStep.objects.update_or_create(
        code=_code(code),
        defaults={"name": name.strip(), "name_en": name_en.strip(), "order": order},
    )
    audit_record(actor=actor, action="service_step.save", obj=step,
                 changes={"created": created, "name": step.name})  # fmt: skip
    return step


@transaction.atomic
def standard_create(
    *,
    actor: Any,
    step: ServiceStep,
    code: str,
    kind: str,
    standard_class: str,
    title: str,
    text: str = "",
    items: Iterable[str] = (),
    customer_visible: bool = False,
) -> Standard:
    """Write a new standard for ``step``: its first version."""
    _check(actor)
    code = _code(code)
    if Standard.objects.filter(code=code).exists():
        raise StandardError(_("Another standard has the code %(code)s.") % {"code": code})
    if kind not in StandardKind.values or standard_class not in StandardClass.values:
        raise StandardError(_("Choose the kind and the class of the standard."))
    if not title.strip():
        raise StandardError(_("Say what the standard is."))
    try:
        with transaction.atomic():
            standard = Standard.objects.create(
                step=step, code=code, kind=kind, standard_class=standard_class,
                customer_visible=customer_visible,
            )  # fmt: skip
    except IntegrityError as error:  # the same code written at the same moment
        raise StandardError(
            _("Another standard has the code %(code)s.") % {"code": code}
        ) from error
    StandardVersion.objects.create(
        standard=standard, number=1, title=title.strip(), text=text.strip(),
        items=_items(items), reason="", created_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="standard.create", obj=standard,
                 changes={"step": step.code, "kind": kind, "class": standard_class})  # fmt: skip
    return standard


@transaction.atomic
def standard_revise(
    *,
    actor: Any,
    standard: Standard,
    reason: str,
    title: str,
    text: str = "",
    items: Iterable[str] | None = None,
    kind: str | None = None,
    standard_class: str | None = None,
    customer_visible: bool | None = None,
) -> StandardVersion:
    """Revise a standard: a new version with the reason for it; the earlier ones stay, so
    a check made against one still reads what it checked. What is not given (None) stays
    as it was."""
    _check(actor)
    locked = Standard.objects.select_for_update().get(pk=standard.pk)
    if not locked.is_active:
        raise StandardError(_("A retired standard is not revised."))
    if items is None:
        current = locked.versions.order_by("-number").first()
        items = current.items if current else []
    if not reason.strip():
        raise StandardError(_("Say why the standard changes."))
    if not title.strip():
        raise StandardError(_("Say what the standard is."))
    changes: dict[str, Any] = {}
    wanted = (
        ("kind", kind, StandardKind.values),
        ("standard_class", standard_class, StandardClass.values),
    )
    for name, value, allowed in wanted:
        if value is not None and value != getattr(locked, name):
            if value not in allowed:
                raise StandardError(_("Choose the kind and the class of the standard."))
            changes[name] = [getattr(locked, name), value]
            setattr(locked, name, value)
    if customer_visible is not None and customer_visible != locked.customer_visible:
        changes["customer_visible"] = [locked.customer_visible, customer_visible]
        locked.customer_visible = customer_visible
    locked.save()
    number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = StandardVersion.objects.create(
        standard=locked, number=number, title=title.strip(), text=text.strip(),
        items=_items(items), reason=reason.strip(), created_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="standard.revise", obj=locked,
                 changes={"version": number, "reason": reason.strip(), **changes})  # fmt: skip
    return version


@transaction.atomic
def standard_retire(*, actor: Any, standard: Standard, reason: str) -> Standard:
    """Take a standard out of force (its versions stay, for the checks made against it)."""
    _check(actor)
    if not reason.strip():
        raise StandardError(_("Say why the standard is retired."))
    locked = Standard.objects.select_for_update().get(pk=standard.pk)
    if not locked.is_active:
        raise StandardError(_("This standard is retired already."))
    Standard.objects.filter(pk=standard.pk).update(is_active=False)
    standard.is_active = False
    audit_record(actor=actor, action="standard.retire", obj=standard,
                 changes={"reason": reason.strip()})  # fmt: skip
    return standard
