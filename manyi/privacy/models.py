from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionPolicy(models.Model):
    """How long personal data is kept before the purge removes it (0 = no limit).
    Headquarters' data-protection officer edits it; one row."""

    contact_days = models.PositiveIntegerField(
        _("contact data: days after the customer's last visit or case"),
        default=1095,
        help_text=_(
            "Their phones and e-mail addresses, and the addresses on sent and received messages."
        ),
    )
    free_text_days = models.PositiveIntegerField(
        _("free text: days"),
        default=730,
        help_text=_("Survey comments, case descriptions and replies, notes of calls."),
    )
    attachments_days = models.PositiveIntegerField(
        _("attachments and imported files: days"),
        default=365,
        help_text=_("Files kept with cases, and the spreadsheets imported."),
    )
    last_purge_at = models.DateTimeField(_("last purge"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "RetentionPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy

    def days(self, retention: str) -> int:
        return int(getattr(self, f"{retention}_days"))


class ConsentForm(models.TextChoices):
    SIGNED = "signed", _("Signed on paper")
    ELECTRONIC = "electronic", _("Agreed electronically")
    RECORDED_CALL = "recorded_call", _("Said on a recorded call")


class HealthConsent(models.Model):
    """A patient's separate consent (PIPL arts. 28–29) to the use of their health data —
    that they were treated, where and how it went — for surveys and care messages. Without
    one in force, a hospital's visits invite to no survey and send no care message."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="health_consents"
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded at")
    )
    form = models.CharField(_("how it was given"), max_length=16, choices=ConsentForm.choices)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("health-data consent")
        verbose_name_plural = _("health-data consents")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(withdrawn_at=None),
                name="health_consent_one_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.given_at:%Y-%m-%d}"

    @property
    def audit_label(self) -> str:
        return f"health-data consent {self.pk} of customer {self.customer_id}"
