from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "manyi.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from manyi.web import checks  # noqa: F401 - registers the deployment checks
        from manyi.web.converters import register

        register()
