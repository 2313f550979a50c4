"""Training (培训): the course catalogue — what each course addresses, survey items and
service standards — and each person's training plan: assigned from their weak items
and failed standards, with a due date, attendance and sign-off."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Course(models.Model):
    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("title in English"), max_length=120, blank=True)
    # Survey items ("SA2") or factors ("factor:service_advisor") the course addresses.
    items = models.JSONField(_("survey items"), default=list, blank=True)
    standards = models.ManyToManyField(
        "improve.Standard", blank=True, related_name="courses", verbose_name=_("standards")
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        english = (get_language() or "").startswith("en")
        return self.title_en if english and self.title_en else self.title


class TrainingStatus(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("training", "Assigned")
    ATTENDED = "attended", pgettext_lazy("training", "Attended")
    SIGNED_OFF = "signed_off", pgettext_lazy("training", "Signed off")
    CANCELLED = "cancelled", pgettext_lazy("training", "Called off")


OPEN_TRAINING = (TrainingStatus.ASSIGNED, TrainingStatus.ATTENDED)


class TrainingAssignment(models.Model):
    """One course in one person's training plan, and why: the survey item they trail
    their store on most, or a standard their store failed."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="assignments")
    # Why: "item:SA2" (where to coach first) or "standard:covers" (a failed standard).
    reason = models.CharField(_("why"), max_length=80, blank=True)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=TrainingStatus.choices,
        default=TrainingStatus.ASSIGNED,
    )  # fmt: skip
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    attended_on = models.DateField(_("attended on"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("training assignment")
        verbose_name_plural = _("training plan")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "course"], condition=models.Q(status__in=OPEN_TRAINING),
                name="people_one_open_assignment",
            )
        ]  # fmt: skip
        indexes = [models.Index(fields=["unit", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.staff_id} · {self.course}"

    @property
    def is_overdue(self) -> bool:
        return self.status == TrainingStatus.ASSIGNED and self.due_on < timezone.localdate()
