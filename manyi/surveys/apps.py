from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "manyi.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from manyi.customers.selectors import timeline_source
        from manyi.surveys.selectors import customer_survey_history

        timeline_source(customer_survey_history)
        from manyi.surveys import (
            alert_rules,  # noqa: F401  (forgets changed rules)
            home,  # noqa: F401  (registers its home cards and inbox sources)
        )
