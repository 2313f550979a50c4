"""Scorecards (绩效卡): what HQ measures each role and each store by, the periods they
are reviewed for, and the cards themselves — stored, so a closed period keeps what was
reviewed whatever later data says."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Subject(models.TextChoices):
    STAFF = "staff", _("Staff member")
    UNIT = "unit", _("Store")


class MeasureKind(models.TextChoices):
    """What manyi already knows that a card may count (``people/measures.py``)."""

    CSI = "csi", _("Customers' satisfaction index")
    NPS = "nps", _("Net promoter score")
    CALLBACKS = "callbacks", _("Callbacks reached in time")
    DEADLINES_KEPT = "deadlines_kept", _("Case deadlines kept")
    DEADLINES_MISSED = "deadlines_missed", _("Case deadlines missed")
    PRAISE = "praise", _("Praise cases")
    INSPECTIONS = "inspections", _("Inspection score")
    MYSTERY = "mystery", _("Mystery shop score")
    FIRST_TIME_FIX = "first_time_fix", _("Fixed right first time")
    ACTIONS_ON_TIME = "actions_on_time", _("Actions finished on time")


class ScorecardTemplate(models.Model):
    """The card of one role (a staff card) or one unit level (a store card): its
    measures, their weights and the rules that turn each figure into 0–100 points."""

    name = models.CharField(_("name"), max_length=80)
    subject = models.CharField(_("for"), max_length=8, choices=Subject.choices)
    # A role's value for a staff card ("advisor"), a unit level for a unit card ("store").
    applies_to = models.CharField(_("applies to"), max_length=20)
    # A staff card may be narrowed to one position: a service advisor, not a technician.
    position = models.CharField(_("position"), max_length=32, blank=True)
    programme = models.ForeignKey(
        "surveys.Programme", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("survey programme"),
        help_text=_("Whose answers the satisfaction index and NPS come from."),
    )  # fmt: skip
    is_active = models.BooleanField(_("in use"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("scorecard template")
        verbose_name_plural = _("scorecard templates")
        ordering = ["subject", "applies_to", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "applies_to", "position"], condition=models.Q(is_active=True),
                name="people_one_card_per_role",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    @property
    def applies_label(self) -> str:
        """The role (or unit level) the card is for, in words."""
        from manyi.org.models import Position, Role, UnitLevel

        choices = Role if self.subject == Subject.STAFF else UnitLevel
        label = str(dict(choices.choices).get(self.applies_to, self.applies_to))
        if self.position:
            label += f" · {dict(Position.choices).get(self.position, self.position)}"
        return label


class ScorecardMeasure(models.Model):
    """One measure of a card. Its points: linear from ``floor`` (0) to ``target`` (100),
    capped at both ends — a floor above the target scores a figure where less is better.
    A figure from fewer than ``min_n`` is shown but neither scored nor "met" — save a
    staff member's index, which is shrunk toward their store's and so fair at any n."""

    template = models.ForeignKey(
        ScorecardTemplate, on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    floor = models.FloatField(_("no points at"))
    target = models.FloatField(_("full points at (target)"))
    min_n = models.PositiveIntegerField(_("minimum n"), default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("scorecard measure")
        verbose_name_plural = _("scorecard measures")
        ordering = ["template", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "kind"], name="people_measure_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("scorecard period", "Open")
    CLOSED = "closed", pgettext_lazy("scorecard period", "Closed")


class ScorecardPeriod(models.Model):
    """A month or quarter the cards are computed for. Open, its cards follow the data
    (recomputed each night); closed after review, they are locked: a change after that
    is a new version with its reason, and the old cards stay."""

    kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("closed by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("scorecard period")
        verbose_name_plural = _("scorecard periods")
        ordering = ["-start", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "start"], name="people_one_period")]

    def __str__(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED


class PeriodVersion(models.Model):
    """Why a closed period's cards were issued again, by whom and when."""

    period = models.ForeignKey(ScorecardPeriod, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=300)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        ordering = ["period", "version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="people_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"


class Scorecard(models.Model):
    """One staff member's or one unit's card for a period and version."""

    period = models.ForeignKey(ScorecardPeriod, on_delete=models.CASCADE, related_name="cards")
    version = models.PositiveSmallIntegerField(default=1)
    template = models.ForeignKey(ScorecardTemplate, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("card"), max_length=80, default="")  # the template's, as computed
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="scorecards",
    )  # fmt: skip
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="scorecards")
    score = models.FloatField(_("score"), null=True)
    reweighted = models.BooleanField(default=False)  # a measure had no data
    rank = models.PositiveIntegerField(_("rank"), null=True)  # among the template's cards
    ranked = models.PositiveIntegerField(null=True)  # how many were ranked
    top_chance = models.FloatField(_("chance of the top fifth"), null=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["period", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "version", "staff"], condition=models.Q(staff__isnull=False),
                name="people_one_staff_card",
            ),
            models.UniqueConstraint(
                fields=["period", "version", "unit"], condition=models.Q(staff__isnull=True),
                name="people_one_unit_card",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["period", "version", "unit"])]

    def __str__(self) -> str:
        return f"{self.staff or self.unit} · {self.period}"


class ScorecardLine(models.Model):
    """One measure on a card: the figure, how many it is from, its points and weight as
    used (after re-weighting for measures without data), and whether the target was met.
    The rule's floor, target and minimum n are copied, so a locked card keeps its rule."""

    card = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    value = models.FloatField(_("figure"), null=True)
    raw = models.FloatField(_("raw figure"), null=True)  # before shrinkage, for the CSI
    low = models.FloatField(null=True)
    high = models.FloatField(null=True)
    n = models.PositiveIntegerField(_("n"), default=0)
    weight = models.FloatField(_("weight"))
    weight_used = models.FloatField(_("weight used"), default=0)
    points = models.FloatField(_("points"), null=True)
    floor = models.FloatField()
    target = models.FloatField()
    min_n = models.PositiveIntegerField(default=1)
    met = models.BooleanField(_("target met"), null=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["card", "order", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
