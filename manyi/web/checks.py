"""manyi's own deployment checks, run by ``manyi check --deploy``."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_for_the_powerful(**kwargs: Any) -> list[Warning]:
    if settings.TWO_FACTOR_ROLES:
        return []
    return [
        Warning(
            "No role must sign in with a second factor.",
            hint="Set TWO_FACTOR_ROLES (by default admin,hq_analyst) in production.",
            id="manyi.W001",
        )
    ]
