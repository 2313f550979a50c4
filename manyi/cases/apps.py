from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "manyi.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from manyi.cases import (
            home,  # noqa: F401  (registers its home cards and inbox sources)
            replies,  # noqa: F401  (reads customers' texts back)
        )
        from manyi.cases.selectors import customer_cases
        from manyi.customers.selectors import timeline_source

        timeline_source(customer_cases)
