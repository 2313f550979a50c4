"""Care (关怀): the rules that say which visits get a callback, and the callbacks (回访)
themselves — one per visit and rule, called until the customer is reached or the
attempts run out, each attempt kept with its outcome."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.customers.models import EventKind, Tier


class CareRuleKind(models.TextChoices):
    CALLBACK = "callback", _("Callback after a visit")


class CareRule(models.Model):
    """Which service events count as a visit and get a callback, how soon after, and
    how hard the store tries. Headquarters edits the rules; a rule with no units covers
    the whole network, one with no tiers every customer."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CareRuleKind.choices, default=CareRuleKind.CALLBACK
    )
    event_kinds = models.JSONField(_("visits: event kinds"), default=list)
    delay_business_days = models.PositiveSmallIntegerField(
        _("call from this many business days after the visit"), default=1
    )
    within_days = models.PositiveSmallIntegerField(
        _("reach the customer within this many days of the visit"), default=3
    )
    max_attempts = models.PositiveSmallIntegerField(_("attempts before unreachable"), default=3)
    retry_hours = models.PositiveSmallIntegerField(_("hours between attempts"), default=4)
    units = models.ManyToManyField(
        "org.Unit", blank=True, related_name="care_rules", verbose_name=_("units")
    )
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("care rule")
        verbose_name_plural = _("care rules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def tier_labels(self) -> list[str]:
        labels = dict(Tier.choices)
        return [str(labels.get(tier, tier)) for tier in self.tiers]

    def event_kind_labels(self) -> list[str]:
        labels = dict(EventKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.event_kinds]


class CallbackStatus(models.TextChoices):
    DUE = "due", _("To call")
    RETRY = "retry", _("To call again")
    REACHED = "reached", _("Reached, satisfied")
    ISSUE = "issue", _("Reached, with an issue")
    UNREACHABLE = "unreachable", _("Unreachable")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REFUSED = "refused", _("Refused")
    DO_NOT_CALL = "do_not_call", _("Asked not to be called")


OPEN_STATUSES = (CallbackStatus.DUE, CallbackStatus.RETRY)
REACHED_STATUSES = (CallbackStatus.REACHED, CallbackStatus.ISSUE)


class CallOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("Reached: satisfied")
    ISSUE = "issue", _("Reached: has an issue (opens a case)")
    NO_ANSWER = "no_answer", _("No answer or busy")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REFUSED = "refused", _("Refused to talk")
    DO_NOT_CALL = "do_not_call", _("Asked not to be called again")


class Callback(models.Model):
    """The callback of one visit under one rule. ``next_call_at`` is when to call (the
    first business day after the delay, or the retry); ``deadline_at`` the end of the
    last calendar day on which reaching the customer counts as in time."""

    rule = models.ForeignKey(CareRule, on_delete=models.PROTECT, related_name="callbacks")
    event = models.ForeignKey(
        "customers.ServiceEvent", on_delete=models.CASCADE, related_name="callbacks"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="callbacks"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="callbacks")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callbacks",
        verbose_name=_("caller"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CallbackStatus.choices, default=CallbackStatus.DUE
    )
    vip = models.BooleanField(_("VIP"), default=False)
    next_call_at = models.DateTimeField(_("call from"))
    deadline_at = models.DateTimeField(_("reach by"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    reached_at = models.DateTimeField(_("reached at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        constraints = [
            models.UniqueConstraint(fields=["rule", "event"], name="care_one_callback_per_visit")
        ]
        indexes = [
            models.Index(fields=["unit", "status", "next_call_at"], name="care_callback_queue"),
            models.Index(fields=["unit", "deadline_at"], name="care_callback_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.event}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_late(self) -> bool:
        """Still to call, and past the last day that counts as in time."""
        return self.is_open and self.deadline_at <= timezone.now()

    @property
    def last_day(self) -> date:
        """The last local day on which reaching the customer counts as in time."""
        return timezone.localtime(self.deadline_at - timedelta(microseconds=1)).date()

    @property
    def reached_in_time(self) -> bool:
        return self.reached_at is not None and self.reached_at < self.deadline_at


class CallbackAttempt(models.Model):
    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="calls")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallOutcome.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.callback_id} · {self.get_outcome_display()}"
