"""Invitations: one customer asked about one service, by link, message or phone."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.surveys.models.programmes import Programme, Wave
from manyi.surveys.models.questionnaires import QuestionnaireVersion


class InvitationStatus(models.TextChoices):
    CREATED = "created", _("Created")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    OPENED = "opened", _("Opened")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")
    OPTED_OUT = "opted_out", _("Opted out")
    REFUSED = "refused", _("Refused")
    UNREACHABLE = "unreachable", _("Unreachable")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    LINK = "link", _("Link or QR code")
    PHONE = "phone", _("Phone interview")
    IMPORT = "import", _("Import")
    OPEN_LINK = "open_link", _("Open link (walk-in)")


class CallOutcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    REFUSED = "refused", _("Refused")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    CALL_BACK = "call_back", _("Call back at …")


class Invitation(models.Model):
    """One customer asked about one service: an unguessable token and its life so far."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="invitations")
    wave = models.ForeignKey(
        Wave, on_delete=models.PROTECT, related_name="invitations", db_index=False
    )  # indexed with status
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="invitations"
    )
    # Indexed with created_at (Meta.indexes), which serves look-ups by customer too.
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        db_index=False,
    )
    event = models.ForeignKey(
        "customers.ServiceEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="invitations", db_index=False
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InvitationStatus.choices,
        default=InvitationStatus.CREATED,
    )
    progress = models.JSONField(_("answers so far"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    open_link = models.ForeignKey(
        "OpenLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        db_index=False,  # indexed where set (Meta.indexes)
    )
    device = models.CharField(_("device"), max_length=64, blank=True)
    call_attempts = models.PositiveSmallIntegerField(_("call attempts"), default=0)
    next_call_at = models.DateTimeField(_("next call at"), null=True, blank=True)
    last_outcome = models.CharField(
        _("last call outcome"), max_length=14, blank=True, choices=CallOutcome.choices
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "created_at"]),
            models.Index(fields=["customer", "created_at"]),
            models.Index(fields=["wave", "status"]),
            models.Index(fields=["channel", "next_call_at"]),
            models.Index(
                fields=["open_link"],
                condition=models.Q(open_link__isnull=False),
                name="invitation_open_link",
            ),
        ]
        # Every survey submit updates an invitation and writes each index again: none
        # repeats another's first column.
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "event"],
                name="one_invitation_per_event",
                condition=models.Q(event__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} → {self.customer}"

    @property
    def audit_label(self) -> str:
        return f"invitation {self.pk}"


class OpenLink(models.Model):
    """A standing link (a QR code on a store counter) that walk-in customers answer."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="open_links")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True, editable=False)
    per_device_per_day = models.PositiveSmallIntegerField(
        _("responses per device per day"), default=1
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("open link")
        verbose_name_plural = _("open links")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return f"{self.programme} · {self.unit}"


class CallAttempt(models.Model):
    """One call of a phone interview: who called, when, and how it ended."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="calls")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=14, choices=CallOutcome.choices)
    call_back_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("called at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.invitation} · {self.get_outcome_display()}"
