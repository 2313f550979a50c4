"""Two-factor sign-in: a time-based one-time password (TOTP, RFC 6238) from an
authenticator app, and ten single-use recovery codes for the day the phone is lost.

Required for the roles in ``TWO_FACTOR_ROLES`` (administrators and HQ by default),
optional for everyone else. Every change is audited; no secret or code is written to
the audit log."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.org.models import Staff
from manyi.org.permissions import may_reset_two_factor

RECOVERY_CODES = 10
APP_DEVICE, RECOVERY_DEVICE = "authenticator", "recovery"


class TwoFactorError(DomainError):
    pass


def two_factor_required(user: Any) -> bool:
    return bool(getattr(user, "role", "") in settings.TWO_FACTOR_ROLES)


def two_factor_enabled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE).count()


def _clean(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


@transaction.atomic
def two_factor_begin(*, actor: Staff) -> TOTPDevice:
    """A new secret for ``actor``'s authenticator app, unconfirmed until a code from it
    is entered; one begun earlier and never confirmed is replaced."""
    if two_factor_enabled(actor):
        raise TwoFactorError(_("Two-factor sign-in is already on."))
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name=APP_DEVICE, confirmed=False)


@transaction.atomic
def two_factor_confirm(*, actor: Staff, device: TOTPDevice, token: str) -> list[str]:
    """Turn two-factor sign-in on with the first code from the app; returns the recovery
    codes, shown once."""
    if device.user_id != actor.pk or device.confirmed:
        raise TwoFactorError(_("Start the set-up again."))
    if not device.verify_token(_clean(token)):
        raise TwoFactorError(
            _("That code is not right. Check the time on your phone and try again.")
        )
    device.confirmed = True
    device.save()
    codes = _new_recovery_codes(actor)
    audit_record(actor=actor, action="two_factor_on", obj=actor, unit=actor.unit)
    return codes


def _new_recovery_codes(user: Staff) -> list[str]:
    StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def recovery_codes_renew(*, actor: Staff, token: str) -> list[str]:
    """Ten new recovery codes (the old ones stop working), against a code from the app."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
    if device is None or not device.verify_token(_clean(token)):
        raise TwoFactorError(_("That code is not right."))
    codes = _new_recovery_codes(actor)
    audit_record(actor=actor, action="two_factor_codes_renewed", obj=actor, unit=actor.unit)
    return codes


@transaction.atomic
def two_factor_check(*, actor: Staff, token: str) -> Any:
    """The device that accepts ``token`` (a code from the app, or a recovery code, which is
    used up), or an error. Repeated wrong codes are slowed down by the devices."""
    token = _clean(token)
    app = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
    if app is not None and token.isdigit() and app.verify_token(token):
        return app
    recovery = StaticDevice.objects.filter(user=actor, name=RECOVERY_DEVICE).first()
    if recovery is not None and recovery.verify_token(token):
        audit_record(
            actor=actor,
            action="two_factor_recovery_code_used",
            obj=actor,
            unit=actor.unit,
            changes={"left": recovery_codes_left(actor)},
        )
        return recovery
    raise TwoFactorError(_("That code is not right."))


@transaction.atomic
def two_factor_off(*, actor: Staff, staff: Staff) -> None:
    """Turn two-factor sign-in off: one's own where the role does not require it, or
    anyone's by an administrator (a lost phone and lost codes); they set it up again."""
    own = actor.pk == staff.pk
    if own and two_factor_required(staff):
        raise TwoFactorError(_("Your role requires two-factor sign-in."))
    if not own and not may_reset_two_factor(actor):
        raise TwoFactorError(
            _("Only an administrator may turn off another person's two-factor sign-in.")
        )
    TOTPDevice.objects.filter(user=staff).delete()
    StaticDevice.objects.filter(user=staff).delete()
    audit_record(actor=actor, action="two_factor_off", obj=staff, unit=staff.unit)
