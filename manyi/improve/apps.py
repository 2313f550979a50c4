from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImproveConfig(AppConfig):
    name = "manyi.improve"
    label = "improve"
    verbose_name = _("Improvement")

    def ready(self) -> None:
        from manyi.improve import home, inspection_home  # noqa: F401 -- register the cards
