"""The report figures as JSON, scoped like the dashboards: the same report functions,
the same checks. One module per report; each adds its operations to ``router``."""

from manyi.api.analytics import changes, funnel, gaps, index, staff  # noqa: F401
from manyi.api.analytics.scope import router

__all__ = ["router"]
