from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "manyi.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        # Each app says what personal data it holds in its own personal_data.py.
        autodiscover_modules("personal_data")
