"""Responses, scored on submit, and the alerts they raise."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.surveys.models.integrity import IntegrityFlag
from manyi.surveys.models.invitations import Channel, Invitation
from manyi.surveys.models.programmes import AlertRule, Programme
from manyi.surveys.models.questionnaires import QuestionnaireVersion


class NpsClass(models.TextChoices):
    PROMOTER = "promoter", _("Promoter")
    PASSIVE = "passive", _("Passive")
    DETRACTOR = "detractor", _("Detractor")


class Response(models.Model):
    """A submitted questionnaire, scored at once; the source of truth for every figure."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="response"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        db_index=False,  # indexed with submitted_at
    )
    event = models.ForeignKey(
        "customers.ServiceEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="responses", db_index=False
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed with submitted_at
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    external_id = models.CharField(
        _("external id"), max_length=64, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    answers = models.JSONField(_("answers"))
    scores = models.JSONField(_("scores"), default=dict)
    index = models.FloatField(_("index"), null=True, blank=True)
    nps = models.SmallIntegerField(_("NPS answer"), null=True, blank=True)
    nps_class = models.CharField(
        _("NPS class"), max_length=10, blank=True, choices=NpsClass.choices
    )
    overall = models.FloatField(_("overall satisfaction"), null=True, blank=True)
    # Why the response is suspect (IntegrityFlag codes), and whether it is therefore
    # left out of the figures (the integrity policy's choice when it was submitted).
    flags = models.JSONField(_("integrity flags"), default=list, blank=True)
    excluded = models.BooleanField(_("left out of the figures"), default=False)
    # Folded into the analytics rollups by the worker (seconds after the submit).
    rolled_up = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed where set (Meta.indexes)
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "submitted_at"]),
            models.Index(fields=["customer", "submitted_at"]),
            models.Index(fields=["staff", "submitted_at"]),
            # Only the few responses the worker has not folded yet: small, and what
            # every report reads besides the rollup cells.
            models.Index(
                fields=["version"], condition=models.Q(rolled_up=False), name="response_to_roll_up"
            ),
            models.Index(
                fields=["recorded_by"],
                condition=models.Q(recorded_by__isnull=False),
                name="response_recorded_by",
            ),
        ]
        # Every survey submit inserts a response and writes each index: none repeats
        # another's first column.

    def __str__(self) -> str:
        return f"{self.version} · {self.submitted_at:%Y-%m-%d}"

    @property
    def audit_label(self) -> str:
        return f"response {self.pk}"

    def flag_labels(self) -> list[str]:
        return [str(IntegrityFlag(flag).label) for flag in self.flags if flag in IntegrityFlag]


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class Alert(models.Model):
    """A response that needs a follow-up; the cases part of manyi turns it into a case."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="alerts")
    rule = models.ForeignKey(AlertRule, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="alerts")
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.reason

    @property
    def audit_label(self) -> str:
        return f"alert {self.pk}"
