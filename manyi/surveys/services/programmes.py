"""Programmes and their waves: what is asked of whom, when, and how the sample is drawn."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.org.models import Unit
from manyi.org.permissions import may_run_programmes
from manyi.surveys.models import AlertRule, Programme, QuestionnaireVersion, Wave
from manyi.surveys.models.programmes import new_rules_key

CHANNELS = ("sms", "email", "phone")
DEFAULT_ALERTS = [
    {"kind": "overall_le", "threshold": None},  # threshold: the bottom 40 % of the scale
    {"kind": "nps_detractor"},
    {"kind": "contact_me"},
]


class ProgrammeError(DomainError):
    pass


def check_designer(actor: Any) -> None:
    if actor is not None and not may_run_programmes(actor):
        raise ProgrammeError(_("Only HQ may set up survey programmes."))


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    code: str,
    name: str,
    version: QuestionnaireVersion,
    units: list[Unit],
    event_kinds: list[str] | None = None,
    channels: list[str] | None = None,
    **settings: Any,
) -> Programme:
    """Set up a programme with the usual hot-alert rules (editable afterwards)."""
    check_designer(actor)
    if Programme.objects.filter(code=code).exists():
        raise ProgrammeError(_("A programme with code %(code)s already exists.") % {"code": code})
    channels = channels or ["sms", "email"]
    _validate(units=units, channels=channels, rate=settings.get("sample_rate", 100))
    programme = Programme.objects.create(
        code=code,
        name=name,
        version=version,
        event_kinds=event_kinds or [],
        channels=channels,
        created_by=actor,
        **settings,
    )
    programme.units.set(units)
    definition = version.parsed()
    overall = definition.role("overall")
    for rule in DEFAULT_ALERTS:
        if rule["kind"] == "overall_le" and overall is None:
            continue
        if rule["kind"] == "nps_detractor" and not any(i.type == "nps" for i in definition.items):
            continue
        if rule["kind"] == "contact_me" and definition.role("contact_me") is None:
            continue
        threshold = rule.get("threshold")
        if rule["kind"] == "overall_le" and overall and overall.scale:
            span = overall.scale.max - overall.scale.min
            threshold = overall.scale.min + int(span * 0.4)
        AlertRule.objects.create(programme=programme, kind=rule["kind"], threshold=threshold)
    audit_record(
        actor=actor,
        action="programme_create",
        obj=programme,
        changes={"code": code, "version": version.pk, "units": [unit.code for unit in units]},
    )
    return programme


def _validate(*, units: list[Unit], channels: list[str], rate: Any) -> None:
    if not units:
        raise ProgrammeError(_("Choose at least one unit the programme covers."))
    if not channels or not set(channels) <= set(CHANNELS):
        raise ProgrammeError(_("Channels must be among sms, email and phone."))
    if not 0 < Decimal(rate) <= 100:
        raise ProgrammeError(_("The sample rate must be above 0 and at most 100 %."))


@transaction.atomic
def programme_update(
    *, actor: Any, programme: Programme, units: list[Unit] | None = None, **changes: Any
) -> Programme:
    """Change a programme's settings; invitations already out keep their version."""
    check_designer(actor)
    units = list(programme.units.all()) if units is None else units
    _validate(
        units=units,
        channels=changes.get("channels", programme.channels),
        rate=changes.get("sample_rate", programme.sample_rate),
    )
    before = {name: getattr(programme, name) for name in changes}
    for name, value in changes.items():
        setattr(programme, name, value)
    programme.save()
    programme.units.set(units)
    audit_record(
        actor=actor,
        action="programme_update",
        obj=programme,
        changes={
            name: [str(before[name]), str(value)]
            for name, value in changes.items()
            if before[name] != value
        },
    )
    return programme


@transaction.atomic
def alert_rule_save(
    *,
    actor: Any,
    programme: Programme,
    kind: str,
    threshold: int | None = None,
    keywords: str = "",
    rule: AlertRule | None = None,
) -> AlertRule:
    """Add a hot-alert rule to a programme, or change one."""
    check_designer(actor)
    if kind in ("overall_le", "any_item_le") and threshold is None:
        raise ProgrammeError(_("This rule needs a threshold."))
    if kind == "keyword" and not keywords.strip():
        raise ProgrammeError(_("This rule needs at least one keyword."))
    rule = rule or AlertRule(programme=programme)
    rule.kind, rule.threshold, rule.keywords = kind, threshold, keywords.strip()
    rule.save()
    Programme.objects.filter(pk=programme.pk).update(alert_rules_key=new_rules_key())
    audit_record(
        actor=actor,
        action="alert_rule_save",
        obj=programme,
        changes={"kind": kind, "threshold": threshold, "keywords": rule.keywords},
    )
    return rule


@transaction.atomic
def alert_rule_toggle(*, actor: Any, rule: AlertRule) -> AlertRule:
    """Switch a rule off (or back on); switched-off rules raise no alerts."""
    check_designer(actor)
    rule.is_active = not rule.is_active
    rule.save(update_fields=["is_active"])
    Programme.objects.filter(pk=rule.programme_id).update(alert_rules_key=new_rules_key())
    audit_record(
        actor=actor,
        action="alert_rule_toggle",
        obj=rule.programme,
        changes={"rule": str(rule), "active": rule.is_active},
    )
    return rule


def wave_for(programme: Programme, day: date) -> Wave:
    """The month's wave of a triggered programme, made on first use."""
    start = day.replace(day=1)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    wave, _created = Wave.objects.get_or_create(
        programme=programme,
        code=f"{start:%Y-%m}",
        defaults={
            "name": f"{start:%Y-%m}",
            "starts_on": start,
            "ends_on": date.fromordinal(end.toordinal() - 1),
        },
    )
    return wave
