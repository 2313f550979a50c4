"""Bearer tokens for the API; each acts as one staff member and sees what they see."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from manyi.api.models import ApiToken, token_hash
from manyi.audit.services import audit_record


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("staff", "staff__unit")
            .filter(key_hash=token_hash(token), revoked_at=None)
            .first()
        )
        if found is None or not found.staff.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.staff
        return found.staff


@transaction.atomic
def api_token_create(*, actor: Any, staff: Any, name: str) -> tuple[ApiToken, str]:
    """Issue a token for ``staff``; the raw key is returned once and never stored."""
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        name=name, staff=staff, key_hash=token_hash(raw), prefix=raw[:8]
    )
    audit_record(
        actor=actor,
        action="api_token_create",
        obj=token,
        unit=staff.unit,
        changes={"staff": staff.username, "name": name},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token_revoke", obj=token, unit=token.staff.unit)
    return token
