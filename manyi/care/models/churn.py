"""Churn risk (流失风险) and win-back (挽留): who is drifting away and why, each night's
fit of the visit model, the calls that try to bring customers back, and the retention
figures as additive cells (summed over the units a reader may see)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.customers.models import Tier


class RetentionModel(models.TextChoices):
    BEST = "best", _("The better of the two by AIC")
    BGNBD = "bgnbd", _("BG/NBD (visits at random)")
    MBGCNBD = "mbgcnbd", _("MBG/CNBD-k (regular visits)")


class ChurnPolicy(models.Model):
    """How churn risk is judged: the visit model, what counts as overdue, drifting and a
    poor score. Headquarters edits it; one row."""

    model = models.CharField(
        _("visit model"), max_length=10, choices=RetentionModel.choices, default="best"
    )
    lookback_months = models.PositiveSmallIntegerField(
        _("visits of the last months considered"), default=36
    )
    overdue_factor = models.DecimalField(
        _("overdue: this many times the customer's own interval since the last visit"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.5"),
    )
    usual_interval_days = models.PositiveSmallIntegerField(
        _("usual days between visits (for a customer seen fewer than three times)"), default=180
    )
    drifting_below = models.DecimalField(
        _("drifting: chance still a customer below"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.5"),
    )
    poor_index = models.PositiveSmallIntegerField(
        _("a poor score: index below (of 1,000)"), default=600
    )
    return_months = models.PositiveSmallIntegerField(
        _("a visit counts as returned when followed within months"), default=12
    )
    complaint_days = models.PositiveSmallIntegerField(
        _("a reopened complaint counts for days"), default=180
    )
    attempts = models.PositiveSmallIntegerField(
        _("win-back: unanswered calls in a row before unreachable"), default=3
    )
    booked_days = models.PositiveSmallIntegerField(
        _("win-back: days a booked customer has to come before the task reopens"), default=30
    )
    lost_quiet_days = models.PositiveSmallIntegerField(
        _("a customer recorded as lost is left off the list for days"), default=365
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("churn policy")
        verbose_name_plural = _("churn policies")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ChurnPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class ChurnRun(models.Model):
    """One night's refresh: the fitted model, how it did on a hold-out, what it found."""

    run_on = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    model = models.CharField(max_length=10, choices=RetentionModel.choices)
    k = models.PositiveSmallIntegerField(default=1)
    params = models.JSONField(default=dict)
    log_likelihood = models.FloatField(null=True)
    aic = models.FloatField(null=True)
    other_aic = models.FloatField(null=True)  # of the model not chosen, when both were fitted
    entities = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    # Predicted against actual visits in the last weeks, by visits before them.
    holdout = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-run_on"]

    def __str__(self) -> str:
        return f"{self.run_on} · {self.model}"


class RiskReason(models.TextChoices):
    OVERDUE = "overdue", _("Overdue for service by their own rhythm")
    DRIFTING = "drifting", _("The visit model sees them drifting away")
    TWO_POOR = "two_poor", _("Two poor scores in a row")
    POOR_LAST = "poor_last", _("Last visit scored poorly")
    COMPLAINT_OPEN = "complaint_open", _("A complaint still unresolved")
    COMPLAINT_REOPENED = "complaint_reopened", _("A complaint reopened")
    ADVISOR_LEFT = "advisor_left", _("Their advisor has left")
    DETRACTOR = "detractor", _("Would not recommend us (NPS 0–6)")


TIER_RANK = {tier: rank for rank, tier in enumerate(Tier.values)}  # 0: the most valuable


class ChurnRisk(models.Model):
    """A customer (and, where visits are of a vehicle or record, that asset) on the risk
    list, with the night's reasons. Rebuilt each night; ordered value first, then the
    weight of evidence."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="churn_risks"
    )
    asset = models.ForeignKey(
        "customers.Asset", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    tier_rank = models.PositiveSmallIntegerField()
    p_alive = models.FloatField(_("chance still a customer"))
    expected_visits = models.FloatField(_("expected visits in the next 12 months"))
    visits = models.PositiveIntegerField(_("visits"))
    last_visit = models.DateField(_("last visit"))
    interval_days = models.PositiveIntegerField(_("usual days between visits"))
    reasons = models.JSONField(_("reasons"), default=list)
    reason_count = models.PositiveSmallIntegerField()
    refreshed_on = models.DateField()

    class Meta:
        verbose_name = _("churn risk")
        verbose_name_plural = _("churn risks")
        indexes = [
            models.Index(
                fields=["unit", "-reason_count", "tier_rank", "p_alive"], name="care_risk_list"
            ),
            models.Index(fields=["customer"], name="care_risk_customer"),
            # The whole network's list (HQ's home card): the first few in order, no sort.
            models.Index(
                fields=["-reason_count", "tier_rank", "p_alive", "id"], name="care_risk_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} · {self.p_alive:.2f}"

    @property
    def audit_label(self) -> str:
        return f"churn risk of customer {self.customer_id}"

    def reason_labels(self) -> list[str]:
        labels = dict(RiskReason.choices)
        return [str(labels.get(code, code)) for code in self.reasons]

    @property
    def days_since(self) -> int:
        return (self.refreshed_on - self.last_visit).days


class WinBackStatus(models.TextChoices):
    OPEN = "open", _("To call")
    BOOKED = "booked", _("Coming back")
    RETAINED = "retained", _("Retained")
    LOST = "lost", _("Lost")
    UNREACHABLE = "unreachable", _("Unreachable")


OPEN_WINBACK = (WinBackStatus.OPEN, WinBackStatus.BOOKED)


class WinBackOutcome(models.TextChoices):
    BOOKED = "booked", _("Reached: booked a visit")
    STAYING = "staying", _("Reached: still our customer")
    LOST = "lost", _("Reached: has left us")
    NO_ANSWER = "no_answer", _("No answer or busy")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REFUSED = "refused", _("Refused to talk")


class LossReason(models.TextChoices):
    DISSATISFIED = "dissatisfied", _("An unresolved dissatisfaction")
    PRICE = "price", _("Price")
    COMPETITOR = "competitor", _("Went to a competitor")
    MOVED = "moved", _("Moved away")
    SOLD = "sold", _("Sold the vehicle or no longer needs us")
    INCONVENIENT = "inconvenient", _("Too far or inconvenient hours")
    OTHER = "other", _("Other")


class WinBack(models.Model):
    """A win-back task (挽留): call a customer on the risk list, learn why they drift,
    bring them back. Retained when they come back (a visit after the task opened) or
    say they stay; lost with the reason for loss."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="winbacks"
    )
    asset = models.ForeignKey(
        "customers.Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="winbacks")
    status = models.CharField(
        _("status"), max_length=12, choices=WinBackStatus.choices, default=WinBackStatus.OPEN
    )
    reasons = models.JSONField(_("risk reasons when opened"), default=list)
    p_alive = models.FloatField(_("chance still a customer when opened"), null=True)
    loss_reason = models.CharField(
        _("reason for loss"), max_length=16, choices=LossReason.choices, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="winbacks",
        verbose_name=_("caller"),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    booked_until = models.DateTimeField(_("booked: to come by"), null=True, blank=True)
    came_back_at = models.DateTimeField(_("came back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("win-back task")
        verbose_name_plural = _("win-back tasks")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(status__in=["open", "booked"]),
                name="care_one_open_winback",
            )
        ]
        indexes = [models.Index(fields=["unit", "status"], name="care_winback_list")]

    def __str__(self) -> str:
        return f"{self.customer} · {self.get_status_display()}"

    @property
    def audit_label(self) -> str:
        return f"win-back {self.pk} of customer {self.customer_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_WINBACK

    def reason_labels(self) -> list[str]:
        labels = dict(RiskReason.choices)
        return [str(labels.get(code, code)) for code in self.reasons]


class WinBackCall(models.Model):
    winback = models.ForeignKey(WinBack, on_delete=models.CASCADE, related_name="calls")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=WinBackOutcome.choices)
    loss_reason = models.CharField(
        _("reason for loss"), max_length=16, choices=LossReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.winback_id} · {self.get_outcome_display()}"


class Attitude(models.TextChoices):
    PROMOTER = "promoter", _("Promoter")
    PASSIVE = "passive", _("Passive")
    DETRACTOR = "detractor", _("Detractor")
    UNKNOWN = "unknown", _("Not asked")


class ReturnCell(models.Model):
    """Visits of one month at one unit by customers of one tier: how many, how many are
    decided (their window has passed or they came back), and how many came back within
    the policy's months — anywhere in the network, and to this unit. Additive."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    tier = models.CharField(max_length=20, choices=Tier.choices)
    visits = models.PositiveIntegerField()
    decided = models.PositiveIntegerField()
    returned = models.PositiveIntegerField()
    returned_here = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["unit", "month"], name="care_return_cell")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.month} · {self.tier}"


class CohortCell(models.Model):
    """Customers whose first visit (in the window) was at one unit in one month, of one
    tier, seen again ``offset`` months later (offset 0: the cohort's size). Additive."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    cohort = models.DateField()
    tier = models.CharField(max_length=20, choices=Tier.choices)
    offset = models.PositiveSmallIntegerField()
    customers = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["unit", "cohort"], name="care_cohort_cell")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.cohort} +{self.offset}"


class LoyaltyCell(models.Model):
    """Customers last seen at one unit, by tier and by what they said (their latest NPS
    answer), with their decided and returned visits: attitude beside behaviour."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(max_length=20, choices=Tier.choices)
    attitude = models.CharField(max_length=10, choices=Attitude.choices)
    customers = models.PositiveIntegerField()
    decided = models.PositiveIntegerField()
    returned = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["unit"], name="care_loyalty_cell")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.tier} · {self.attitude}"
