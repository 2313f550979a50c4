"""Bearer tokens for the API; each acts as one staff member and sees what they see."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from manyi.api.models import ApiToken, TokenScope, token_hash
from manyi.audit.services import audit_record
from manyi.errors import DomainError
from manyi.org.permissions import Capability, may_use_api


class TokenAuth(HttpBearer):
    """A bearer token of a staff member who may hold one; with ``needed``, the operation
    answers 403 unless that member's role has the capability too. It runs before the
    input is read, so a refused caller learns nothing from validation errors."""

    def __init__(self, needed: Capability | None = None) -> None:
        super().__init__()
        self.needed = needed

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("staff", "staff__unit")
            .filter(key_hash=token_hash(token), revoked_at=None)
            .first()
        )
        if found is None or found.is_expired or not may_use_api(found.staff):
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.staff
        if self.needed is not None and not self.needed(found.staff):
            raise PermissionDenied(f"Your role may not do this ({self.needed.name}).")
        if found.scope == TokenScope.READ and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise PermissionDenied("This token may only read.")
        return found.staff


def needs(capability: Capability) -> TokenAuth:
    """The auth of an API operation open to those ``capability`` admits (its declared
    permission, read by the permission walk test)."""
    return TokenAuth(capability)


@transaction.atomic
def api_token_create(
    *,
    actor: Any,
    staff: Any,
    name: str,
    scope: str = TokenScope.WRITE,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for ``staff``; the raw key is returned once and never stored."""
    if scope not in TokenScope.values:
        raise DomainError(_("A token reads, or reads and writes."))
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("A token expires in the future."))
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        name=name,
        staff=staff,
        key_hash=token_hash(raw),
        prefix=raw[:8],
        scope=scope,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action="api_token_create",
        obj=token,
        unit=staff.unit,
        changes={
            "staff": staff.username,
            "scope": scope,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token_revoke", obj=token, unit=token.staff.unit)
    return token
