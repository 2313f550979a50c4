"""Employee satisfaction (员工满意度): an anonymous survey of the staff. One link per
person; the answer keeps its unit and day only — no link to its invitation or person,
no time of day, no address — and figures are shown only for groups large enough that
no one can be told apart."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_GROUP_FLOOR = 5  # no survey may show a group smaller than this


class EmployeeSurvey(models.Model):
    title = models.CharField(_("title"), max_length=120)
    version = models.ForeignKey(
        "surveys.QuestionnaireVersion", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("questionnaire"),
    )  # fmt: skip
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    min_group = models.PositiveSmallIntegerField(
        _("smallest group shown"), default=MIN_GROUP_FLOOR,
        help_text=_("Figures of fewer answers are never shown, nor any difference that would "
                    "reveal them."),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("employee survey")
        verbose_name_plural = _("employee surveys")
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.opens_on <= timezone.localdate() <= self.closes_on

    @property
    def is_closed(self) -> bool:
        """Results are read only once it has closed: two looks while answers still
        arrive would tell the newest answer by their difference."""
        return self.closes_on < timezone.localdate()


class EmployeeInvitation(models.Model):
    """One person's link (kept as its hash). ``used`` says only that it was used —
    not when, and not for which answer."""

    survey = models.ForeignKey(EmployeeSurvey, on_delete=models.CASCADE, related_name="invitations")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "staff"], name="people_invited_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.staff_id}"


class EmployeeAnswer(models.Model):
    """One anonymous answer: its unit and day, the answers and their scores, nothing
    that leads back to its invitation or its person."""

    # A random key: the order of the rows' keys says nothing of the order of arrival.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(EmployeeSurvey, on_delete=models.CASCADE, related_name="answers")
    # The person's store (or region or HQ office), never their department.
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    index = models.FloatField(null=True)

    class Meta:
        verbose_name = _("employee answer")
        verbose_name_plural = _("employee answers")
        indexes = [models.Index(fields=["survey", "unit"])]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.unit_id}"
