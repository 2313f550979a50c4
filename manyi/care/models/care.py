"""Care (关怀): the rules that say which visits get a callback, and the callbacks (回访)
themselves — one per visit and rule, called until the customer is reached or the
attempts run out, each attempt kept with its outcome."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from manyi.customers.models import EventKind, Tier


class CareRuleKind(models.TextChoices):
    CALLBACK = "callback", _("Callback after a visit")
    REMINDER = "reminder", _("Maintenance reminder")
    BIRTHDAY = "birthday", _("Birthday greeting")
    FESTIVAL = "festival", _("Festival greeting")
    SEASONAL = "seasonal", _("Seasonal care")


class Festival(models.TextChoices):
    NEW_YEAR = "new_year", _("New Year's Day")
    SPRING = "spring", _("Spring Festival")
    LANTERN = "lantern", _("Lantern Festival")
    DRAGON_BOAT = "dragon_boat", _("Dragon Boat Festival")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")
    NATIONAL_DAY = "national_day", _("National Day")


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
    # Reminders: due this many months and/or kilometres after the last maintenance.
    interval_months = models.PositiveSmallIntegerField(
        _("months between maintenance"), null=True, blank=True
    )
    interval_km = models.PositiveIntegerField(
        _("kilometres between maintenance"), null=True, blank=True
    )
    days_before = models.PositiveSmallIntegerField(_("send this many days before"), default=0)
    festival = models.CharField(_("festival"), max_length=16, choices=Festival.choices, blank=True)
    month_day = models.CharField(
        _("on (MM-DD)"),
        max_length=5,
        blank=True,
        help_text=_("Seasonal care: the day it goes out."),
    )
    units = models.ManyToManyField(
        "org.Unit", blank=True, related_name="care_rules", verbose_name=_("units")
    )
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    customer_kinds = models.JSONField(_("customer kinds"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("care rule")
        verbose_name_plural = _("care rules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def summary(self) -> str:
        """What the rule does, in a line, for the rules page."""
        if self.kind == CareRuleKind.CALLBACK:
            return gettext(
                "%(visits)s: call from %(delay)s business days after, reach within %(days)s days"
            ) % {
                "visits": ", ".join(self.event_kind_labels()),
                "delay": self.delay_business_days,
                "days": self.within_days,
            }
        ahead = (
            gettext("%(n)s days before") % {"n": self.days_before}
            if self.days_before
            else gettext("on the day")
        )
        if self.kind == CareRuleKind.REMINDER:
            every = [
                gettext("%(n)s months") % {"n": self.interval_months}
                if self.interval_months
                else "",
                gettext("%(n)s km") % {"n": self.interval_km} if self.interval_km else "",
            ]
            return gettext("Every %(every)s, %(ahead)s") % {
                "every": gettext(" or ").join(part for part in every if part),
                "ahead": ahead,
            }
        if self.kind == CareRuleKind.FESTIVAL:
            return f"{self.get_festival_display()}, {ahead}"
        if self.kind == CareRuleKind.SEASONAL:
            return f"{self.month_day}, {ahead}"
        return str(ahead)

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
    def audit_label(self) -> str:
        return f"callback {self.pk} of customer {self.customer_id}"

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


class TouchStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")


class CareTouch(models.Model):
    """One care message to one customer: a maintenance reminder for a vehicle, a
    birthday or festival greeting, seasonal care. ``key`` makes each happen once however
    many workers plan — and a birthday or festival once per customer in the whole group,
    whichever rules would send it."""

    key = models.CharField(max_length=80, unique=True)
    rule = models.ForeignKey(CareRule, on_delete=models.PROTECT, related_name="touches")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="care_touches"
    )
    asset = models.ForeignKey(
        "customers.Asset", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="care_touches")
    due_on = models.DateField(_("for"))
    send_on = models.DateField(_("send on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TouchStatus.choices, default=TouchStatus.PLANNED
    )
    why_not = models.CharField(_("why not sent"), max_length=20, blank=True)
    message = models.ForeignKey(
        "notify.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("care touch")
        verbose_name_plural = _("care touches")
        indexes = [models.Index(fields=["status", "send_on"], name="care_touch_due")]

    def __str__(self) -> str:
        return f"{self.rule} · {self.customer} · {self.due_on}"

    @property
    def audit_label(self) -> str:
        return f"care touch {self.pk} of customer {self.customer_id}"


class OwnerEvent(models.Model):
    """An owners' gathering or a talk (车主联谊, 讲座) a store holds: its day, place and
    seats; invitees are drawn at random (seeded, so the draw can be repeated and
    explained) from a segment of the customers."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="owner_events")
    name = models.CharField(_("name"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("seats"))
    seed = models.PositiveIntegerField(_("draw seed"), null=True, blank=True)
    segment = models.JSONField(_("segment drawn from"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("owner event")
        verbose_name_plural = _("owner events")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.name


class RsvpStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Coming")
    DECLINED = "declined", _("Not coming")
    ATTENDED = "attended", _("Came")
    NO_SHOW = "no_show", _("Did not come")


class EventInvitation(models.Model):
    event = models.ForeignKey(OwnerEvent, on_delete=models.CASCADE, related_name="invitations")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="event_invitations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RsvpStatus.choices, default=RsvpStatus.INVITED
    )
    message = models.ForeignKey(
        "notify.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event invitation")
        verbose_name_plural = _("event invitations")
        constraints = [
            models.UniqueConstraint(fields=["event", "customer"], name="care_one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.customer}"

    @property
    def audit_label(self) -> str:
        return f"event invitation {self.pk} of customer {self.customer_id}"
