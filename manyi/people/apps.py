from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "manyi.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from manyi.people import home  # noqa: F401 -- register the cards and inbox sources
        from manyi.people.services import employee  # noqa: F401 -- forget sent links
