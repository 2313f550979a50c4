"""Points (积分) for what people did — praise, a target met, a top-fifth place — and
against them — an overdue deadline, a repeat complaint, a failed standard — each naming
the fact it came from; and the awards (评优) given from a period's cards."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PointKind(models.TextChoices):
    PRAISE = "praise", _("Praise case")
    TARGET_MET = "target_met", _("Target met on the card")
    TOP_FIFTH = "top_fifth", _("In the top fifth")
    FIRST_RESPONSE_LATE = "first_response_late", _("First response overdue")
    RESOLUTION_LATE = "resolution_late", _("Resolution overdue")
    REPEAT_COMPLAINT = "repeat_complaint", _("Repeat complaint")
    FAILED_STANDARD = "failed_standard", _("Failed inspection standard")


# The usual rules: (points, at most this many in a period — either way — or None).
DEFAULT_RULES = {
    PointKind.PRAISE: (5, 30),
    PointKind.TARGET_MET: (3, None),
    PointKind.TOP_FIFTH: (10, None),
    PointKind.FIRST_RESPONSE_LATE: (-3, 30),
    PointKind.RESOLUTION_LATE: (-5, 30),
    PointKind.REPEAT_COMPLAINT: (-5, 30),
    PointKind.FAILED_STANDARD: (-2, 20),
}


class PointRule(models.Model):
    """How many points a kind of fact gives (negative: a penalty) and the most it may
    add up to for one person in one period."""

    kind = models.CharField(_("for"), max_length=24, choices=PointKind.choices, unique=True)
    points = models.SmallIntegerField(_("points"))
    cap = models.PositiveSmallIntegerField(_("at most per period"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points:+d}"


class PointEntry(models.Model):
    """Points one person got for one fact in one period (and version of its cards).
    ``fact`` names the fact ("case:812") so it is counted once; the links lead to it.
    Past the rule's cap the entry stays, with no points, so the trace is whole."""

    period = models.ForeignKey(
        "people.ScorecardPeriod", on_delete=models.CASCADE, related_name="points"
    )
    version = models.PositiveSmallIntegerField(default=1)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("for"), max_length=24, choices=PointKind.choices)
    points = models.SmallIntegerField(_("points"))
    capped = models.BooleanField(_("past the cap"), default=False)
    fact = models.CharField(max_length=40)
    happened_at = models.DateTimeField(_("when"))
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.ForeignKey(
        "improve.InspectionAnswer", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    line = models.ForeignKey(
        "people.ScorecardLine", null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    card = models.ForeignKey(
        "people.Scorecard", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("points")
        verbose_name_plural = _("points")
        ordering = ["happened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "version", "staff", "kind", "fact"], name="people_point_once"
            )
        ]
        indexes = [models.Index(fields=["period", "version", "unit"])]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.kind} {self.points:+d}"


class AwardCategory(models.TextChoices):
    STAFF = "staff", _("Outstanding staff member")
    STORE = "store", _("Outstanding store")


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    AWARDED = "awarded", pgettext_lazy("award", "Awarded")
    DECLINED = "declined", pgettext_lazy("award", "Not awarded")


class Nomination(models.Model):
    """A card put forward for an award of its period, and the decision on it: who was
    awarded, by whom and when."""

    period = models.ForeignKey(
        "people.ScorecardPeriod", on_delete=models.CASCADE, related_name="nominations"
    )
    category = models.CharField(_("award"), max_length=8, choices=AwardCategory.choices)
    card = models.ForeignKey("people.Scorecard", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="nominations",
    )  # fmt: skip
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=NominationStatus.choices,
        default=NominationStatus.NOMINATED,
    )  # fmt: skip
    reason = models.CharField(_("why"), max_length=300, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["period", "category", "card__rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "category", "staff"],
                condition=models.Q(staff__isnull=False),
                name="people_staff_nominated_once",
            ),
            models.UniqueConstraint(
                fields=["period", "category", "unit"],
                condition=models.Q(staff__isnull=True),
                name="people_store_nominated_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.staff or self.unit} · {self.period}"
