"""Headquarters' lists behind cases: the causes (company side: product, process,
staff; customer side: operation, installation…) and which programme re-surveys a
customer after a resolution."""

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.cases.models import Cause, CauseSide, ResurveyChannel, ResurveySetting
from manyi.errors import DomainError
from manyi.org.selectors import sees_network
from manyi.surveys.models import Programme


def _may_edit(actor: Any) -> None:
    if not sees_network(actor):
        raise DomainError(_("Only headquarters edits the causes and the resolution survey."))


@transaction.atomic
def cause_add(*, actor: Any, code: str, name: str, name_en: str, side: str) -> Cause:
    _may_edit(actor)
    code = slugify(code.strip())[:40]
    if not code or not name.strip():
        raise DomainError(_("A cause needs a code (letters, digits, -) and a name."))
    if side not in CauseSide.values:
        raise DomainError(_("A cause is on the company side or the customer side."))
    if Cause.objects.filter(code=code).exists():
        raise DomainError(_("The code %(code)s is taken.") % {"code": code})
    cause = Cause.objects.create(
        code=code, name=name.strip()[:80], name_en=name_en.strip()[:80], side=side
    )
    audit_record(actor=actor, action="cause.add", obj=cause)
    return cause


@transaction.atomic
def cause_update(*, actor: Any, cause: Cause, name: str, name_en: str, is_active: bool) -> Cause:
    """Rename or retire a cause; retired causes stay on the cases that have them."""
    _may_edit(actor)
    if not name.strip():
        raise DomainError(_("A cause needs a name."))
    changes = {
        key: [getattr(cause, key), value]
        for key, value in (
            ("name", name.strip()[:80]), ("name_en", name_en.strip()[:80]),
            ("is_active", is_active),
        )
        if getattr(cause, key) != value
    }  # fmt: skip
    for key, (_old, value) in changes.items():
        setattr(cause, key, value)
    cause.save()
    audit_record(actor=actor, action="cause.update", obj=cause, changes=changes)
    return cause


@transaction.atomic
def resurvey_set(
    *, actor: Any, programme: Programme | None, channels: list[str]
) -> ResurveySetting:
    """Which programme asks customers how their case was resolved (None: nobody is
    asked), by which channels in order of preference."""
    _may_edit(actor)
    if any(channel not in ResurveyChannel.values for channel in channels):
        raise DomainError(_("Unknown channel."))
    if programme is not None and not channels:
        raise DomainError(_("Choose at least one channel."))
    setting = ResurveySetting.current()
    changes = {
        "programme": [str(setting.programme or ""), str(programme or "")],
        "channels": [setting.channels, channels],
    }
    setting.programme, setting.channels = programme, channels
    setting.save()
    audit_record(actor=actor, action="resurvey.set", obj=setting, changes=changes)
    return setting
