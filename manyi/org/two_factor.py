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
from manyi.web.ratelimit import allow

RECOVERY_CODES = 10
TRIES = 10  # codes one may try in a quarter of an hour
APP_DEVICE, RECOVERY_DEVICE = "authenticator", "recovery"


class TwoFactorError(DomainError):
    pass


def two_factor_required(user: Any) -> bool:
    """Whether ``user`` must use it: the roles set, and every superuser unless no role
    must (the demo)."""
    roles = settings.TWO_FACTOR_ROLES
    superuser = getattr(user, "is_superuser", False)
    return bool(roles) and (superuser or getattr(user, "role", "") in roles)


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


def _checked(actor: Staff, device: Any, token: str) -> bool:
    """Whether ``device`` accepts ``token``. Called outside any transaction: the device
    counts a wrong code (and slows the next ones down) by saving itself, which a
    rollback would undo. More than ``TRIES`` codes in a quarter of an hour are refused."""
    if not allow(f"two-factor:{actor.pk}", limit=TRIES, seconds=900):
        raise TwoFactorError(_("Too many codes tried. Wait a quarter of an hour and try again."))
    return bool(device is not None and device.verify_token(token))


def _refused(actor: Staff, message: str) -> TwoFactorError:
    audit_record(actor=actor, action="two_factor_failed", obj=actor, unit=actor.unit)
    return TwoFactorError(message)


def _app(actor: Staff) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=actor, confirmed=True).first()


def two_factor_confirm(*, actor: Staff, device: TOTPDevice, token: str) -> list[str]:
    """Turn two-factor sign-in on with the first code from the app; returns the recovery
    codes, shown once."""
    if device.user_id != actor.pk or device.confirmed:
        raise TwoFactorError(_("Start the set-up again."))
    if not _checked(actor, device, _clean(token)):
        raise TwoFactorError(
            _("That code is not right. Check the time on your phone and try again.")
        )
    with transaction.atomic():
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


def recovery_codes_renew(*, actor: Staff, token: str) -> list[str]:
    """Ten new recovery codes (the old ones stop working), against a code from the app."""
    if not _checked(actor, _app(actor), _clean(token)):
        raise _refused(actor, _("That code is not right."))
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        audit_record(actor=actor, action="two_factor_codes_renewed", obj=actor, unit=actor.unit)
    return codes


def two_factor_check(*, actor: Staff, token: str) -> Any:
    """The device that accepts ``token`` (a code from the app, or a recovery code, which is
    used up), or an error; wrong codes are counted, slowed down and audited."""
    token = _clean(token)
    if token.isdigit():
        app = _app(actor)
        if _checked(actor, app, token):
            return app
    else:
        recovery = StaticDevice.objects.filter(user=actor, name=RECOVERY_DEVICE).first()
        if _checked(actor, recovery, token):
            audit_record(
                actor=actor,
                action="two_factor_recovery_code_used",
                obj=actor,
                unit=actor.unit,
                changes={"left": recovery_codes_left(actor)},
            )
            return recovery
    raise _refused(actor, _("That code is not right."))


def two_factor_off(*, actor: Staff, staff: Staff, token: str = "") -> None:
    """Turn two-factor sign-in off: one's own where the role does not require it (against
    a code from the app), or anyone's by an administrator (a lost phone and lost codes);
    they set it up again."""
    own = actor.pk == staff.pk
    if own and two_factor_required(staff):
        raise TwoFactorError(_("Your role requires two-factor sign-in."))
    if not own and not may_reset_two_factor(actor):
        raise TwoFactorError(
            _("Only an administrator may turn off another person's two-factor sign-in.")
        )
    if own and not _checked(actor, _app(actor), _clean(token)):
        raise _refused(actor, _("That code is not right."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=staff).delete()
        StaticDevice.objects.filter(user=staff).delete()
        audit_record(actor=actor, action="two_factor_off", obj=staff, unit=staff.unit)
