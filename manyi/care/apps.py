from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "manyi.care"
    label = "care"
    verbose_name = _("Care")

    def ready(self) -> None:
        from manyi.care import home  # noqa: F401 -- registers the home cards and inbox
        from manyi.care.churn_selectors import customer_churn
        from manyi.care.selectors import (
            customer_callbacks,
            customer_event_invitations,
            customer_touches,
        )
        from manyi.customers.selectors import timeline_source
        from manyi.org.permissions import may_see_churn_risk

        timeline_source(customer_callbacks)
        timeline_source(customer_touches)
        timeline_source(customer_event_invitations)
        timeline_source(customer_churn, shown_to=may_see_churn_risk)
