from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "manyi.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from manyi.customers import unsubscribe  # noqa: F401  (reads TD texts back)
