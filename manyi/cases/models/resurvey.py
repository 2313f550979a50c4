"""Closing the loop: which programme re-surveys a customer whose case is resolved."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResurveyChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone interview")


class ResurveySetting(models.Model):
    """One row: the resolution-satisfaction programme and how it reaches the customer.
    Its alert rules say what a poor result is; a poor result reopens the case."""

    programme = models.ForeignKey(
        "surveys.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolution survey programme"),
    )
    channels = models.JSONField(_("channels, in order of preference"), default=list)

    class Meta:
        verbose_name = _("resolution survey")
        verbose_name_plural = _("resolution survey")

    def __str__(self) -> str:
        return str(self.programme or "—")

    @classmethod
    def current(cls) -> "ResurveySetting":
        return cls.objects.get_or_create(pk=1)[0]
