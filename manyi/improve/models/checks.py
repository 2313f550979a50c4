"""Checks against the service standards (定期与不定期的实施监控, 神秘顾客): checklists built
from standards; inspections scheduled per unit and month or drawn by surprise; mystery
shops by an outside agency through a one-time link, of our stores or a competitor's.
Each answer names the standard version it was checked against."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Checklist(models.Model):
    """What a check looks at: standards, each answered yes/no or scored."""

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["pk"]

    def __str__(self) -> str:
        english = (get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


class ChecklistItem(models.Model):
    """One standard on a checklist: yes/no (``points`` 0) or a score from 0 to
    ``points``, failed below ``pass_mark``."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    standard = models.ForeignKey(
        "improve.Standard", on_delete=models.PROTECT, related_name="checklist_items"
    )
    order = models.PositiveSmallIntegerField(default=0)
    points = models.PositiveSmallIntegerField(_("scored out of"), default=0)
    pass_mark = models.PositiveSmallIntegerField(_("passes from"), default=0)

    class Meta:
        ordering = ["checklist", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "standard"], name="improve_standard_once_per_checklist"
            )
        ]

    def __str__(self) -> str:
        return f"{self.checklist_id}: {self.standard_id}"

    @property
    def marks(self) -> list[int]:
        """The scores a scored item may be given, 0 to its points."""
        return list(range(self.points + 1))


class Competitor(models.Model):
    """A competitor's store that mystery shoppers visit beside ours."""

    name = models.CharField(_("name"), max_length=120)
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    near = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="competitors",
        verbose_name=_("compared with"),
    )  # fmt: skip
    is_active = models.BooleanField(_("shopped"), default=True)

    class Meta:
        verbose_name = _("competitor store")
        verbose_name_plural = _("competitor stores")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class InspectionKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled inspection")
    SURPRISE = "surprise", _("Surprise inspection")
    MYSTERY = "mystery", _("Mystery shop")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("inspection status", "Planned")
    DONE = "done", pgettext_lazy("inspection status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("inspection status", "Cancelled")


class SurpriseDraw(models.Model):
    """A draw of surprise inspections: which units and days, from a seed, so the same
    seed over the same units draws the same again."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+")
    scope = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    count = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.seed}"


class Inspection(models.Model):
    """One inspection or mystery shop of a unit, or of a competitor's store."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    # The unit checked; for a competitor's store, the unit it is compared with.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="inspections")
    competitor = models.ForeignKey(
        Competitor, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections"
    )
    planned_for = models.DateField(_("planned for"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="inspections", verbose_name=_("inspector"),
    )  # fmt: skip
    agency = models.CharField(_("agency"), max_length=120, blank=True)
    scenario = models.TextField(_("scenario"), max_length=2000, blank=True)
    draw = models.ForeignKey(
        SurpriseDraw, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )  # fmt: skip
    # A mystery shop's one-time link: the token's hash, and until when it may be used.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)
    # The browser's key for one carrying-out: sent again after a lost connection, the
    # same answers are stored once.
    submission_key = models.UUIDField(unique=True, null=True, blank=True)
    done_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    failed = models.PositiveSmallIntegerField(_("failed"), default=0)
    basic_failed = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_for", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status", "planned_for"], name="improve_inspection_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_for}"

    @property
    def is_planned(self) -> bool:
        return self.status == InspectionStatus.PLANNED


class InspectionAnswer(models.Model):
    """A standard's result in one check: passed, failed or not applicable (``passed``
    None), the score where it is scored, a note and evidence; and what was opened on a
    failure."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    standard = models.ForeignKey("improve.Standard", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        "improve.StandardVersion", on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    points = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    photo = models.FileField(upload_to="checks/%Y/%m/", blank=True)
    photo_type = models.CharField(max_length=40, blank=True)
    audio = models.FileField(upload_to="checks/%Y/%m/", blank=True)
    audio_type = models.CharField(max_length=40, blank=True)
    action = models.ForeignKey(
        "improve.ActionPlan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "standard"], name="improve_one_answer_per_standard"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.standard_id}"

    @property
    def value(self) -> float | None:
        """The share of the item's marks it earned: 1 or 0 for yes/no, score/points."""
        if self.passed is None:
            return None
        if self.points:
            return (self.score or 0) / self.points
        return 1.0 if self.passed else 0.0
