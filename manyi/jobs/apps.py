from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "manyi.jobs"
    label = "jobs"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from manyi.jobs import registered  # noqa: F401 - registers the sweeps
