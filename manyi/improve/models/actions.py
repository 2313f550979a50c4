"""Improvement actions (改进计划): the plan, its deadlines, tasks and notes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActionSource(models.TextChoices):
    SHORTFALL = "shortfall", _("A shortfall")
    COMPLAINTS = "complaints", _("Complaints with the same root cause")
    CHECK = "check", _("A failed check")
    HAND = "hand", _("By hand")


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action status", "Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionPlan(models.Model):
    """An improvement action (改进计划): what, why (the evidence), who, by when, and the
    figure it should move and by how much. ``trigger_month`` is the month whose result
    made anyone act: the effect is measured from before it, so a unit's own recovery
    from a bad month is not credited to the action."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("what"), max_length=200)
    why = models.TextField(_("why"), blank=True, max_length=4000)
    source = models.CharField(
        _("opened from"), max_length=12, choices=ActionSource.choices, default="hand"
    )
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    programme = models.ForeignKey(
        "surveys.Programme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    variable = models.CharField(_("figure"), max_length=80, blank=True)
    expected_change = models.DecimalField(
        _("should move it by"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    trigger_month = models.DateField(_("month that triggered it"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions",
        verbose_name=_("owner"),
    )  # fmt: skip
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The overdue sweep's: when the time to the due date started (opening, or the last
    # move of the due date), when to look next (the warning moment, then the due moment),
    # and how many levels up it has gone.
    clock_started_at = models.DateTimeField(default=timezone.now)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["unit", "status", "due_on"], name="improve_action_board")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    @property
    def on_time(self) -> bool | None:
        """Done by the end of its due day (local time) and never escalated as overdue —
        a due date moved after an escalation does not make it on time; None until done."""
        if self.status != ActionStatus.DONE or self.done_at is None:
            return None
        return timezone.localdate(self.done_at) <= self.due_on and self.escalation_level == 0


ON_TIME = models.Q(
    status=ActionStatus.DONE, done_at__date__lte=models.F("due_on"), escalation_level=0
)  # the same rule in the database: __date is the local date


class ActionDeadline(models.Model):
    """A warning or an escalation of an overdue action, recorded once: unique per action,
    due moment and kind, so however many workers sweep, each happens once."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Overdue, escalated")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="deadlines")
    due_at = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    escalated_to = models.ForeignKey(
        "org.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "due_at", "kind"], name="improve_one_deadline_action"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.kind} · {self.due_at:%Y-%m-%d}"


class ActionTask(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("owner"),
    )  # fmt: skip
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionNote(models.Model):
    """Progress written on an action, by whom and when."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4000)
    photo = models.FileField(_("photo"), upload_to="actions/%Y/%m/", blank=True)
    photo_type = models.CharField(max_length=40, blank=True)
    # A note that moved the due date: from and to (its text is the reason given).
    moved_from = models.DateField(null=True, blank=True)
    moved_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.created_at:%Y-%m-%d}"
