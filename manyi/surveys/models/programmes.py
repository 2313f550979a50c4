"""Programmes, their waves and hot-alert rules."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.surveys.models.questionnaires import QuestionnaireVersion


class Trigger(models.TextChoices):
    AFTER_EVENT = "after_event", _("Days after a service event closes")
    MANUAL = "manual", _("Manual waves over a customer list")


class Sampling(models.TextChoices):
    ALL = "all", _("Everyone eligible")
    RANDOM = "random", _("Simple random sample at a rate")
    QUOTA = "quota", _("Stratified by unit, with a quota per unit per month")


def new_rules_key() -> str:
    return uuid.uuid4().hex


class Programme(models.Model):
    """Ties a published questionnaire version to the units and service events it covers."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    # Renewed whenever a hot-alert rule changes: the rules kept per process are kept under it.
    alert_rules_key = models.CharField(max_length=32, default=new_rules_key, editable=False)
    name = models.CharField(_("name"), max_length=120)
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("covered units"),
        related_name="programmes",
        help_text=_("Each unit covers its whole subtree."),
    )
    event_kinds = models.JSONField(_("event kinds"), default=list, blank=True)
    trigger = models.CharField(
        _("trigger"), max_length=16, choices=Trigger.choices, default=Trigger.AFTER_EVENT
    )
    delay_days = models.PositiveSmallIntegerField(_("days after the event closes"), default=3)
    sampling = models.CharField(
        _("sampling"), max_length=8, choices=Sampling.choices, default=Sampling.ALL
    )
    sample_rate = models.DecimalField(
        _("sample rate (%)"), max_digits=5, decimal_places=2, default=100
    )
    quota_per_unit = models.PositiveIntegerField(_("quota per unit per month"), default=0)
    exclude_recent_days = models.PositiveSmallIntegerField(
        _("skip customers surveyed in the last N days"), default=90
    )
    exclude_internal = models.BooleanField(_("skip internal customers"), default=True)
    channels = models.JSONField(_("channels, in order of preference"), default=list)
    reminder_after_days = models.PositiveSmallIntegerField(_("remind after N days"), default=2)
    expire_after_days = models.PositiveSmallIntegerField(
        _("invitation expires after N days"), default=14
    )
    max_call_attempts = models.PositiveSmallIntegerField(
        _("phone: attempts before giving up"), default=5
    )
    call_retry_minutes = models.PositiveIntegerField(
        _("phone: minutes before trying again after no answer or busy"), default=120
    )
    min_n_unit = models.PositiveIntegerField(_("minimum responses to rank a unit"), default=30)
    min_n_staff = models.PositiveIntegerField(
        _("minimum responses to rank a staff member"), default=10
    )
    triggered_until = models.DateTimeField(_("events triggered up to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def event_kind_labels(self) -> list[str]:
        from manyi.customers.models import EventKind

        return [str(EventKind(kind).label) for kind in self.event_kinds if kind in EventKind]

    def channel_labels(self) -> list[str]:
        from manyi.surveys.models.invitations import Channel

        return [str(Channel(code).label) for code in self.channels if code in Channel]


class Wave(models.Model):
    """A batch of invitations: a month of a triggered programme, or one manual send-out."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="waves")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["programme", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="one_code_per_wave")
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.name}"


class AlertRuleKind(models.TextChoices):
    OVERALL_AT_MOST = "overall_le", _("Overall satisfaction at or below")
    NPS_DETRACTOR = "nps_detractor", _("NPS detractor")
    ANY_ITEM_AT_MOST = "any_item_le", _("Any rated item at or below")
    KEYWORD = "keyword", _("A keyword in free text")
    CONTACT_ME = "contact_me", _("The customer asks to be contacted")


class AlertRule(models.Model):
    """A hot-alert rule of a programme (data, edited on screen)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="alert_rules")
    kind = models.CharField(_("kind"), max_length=16, choices=AlertRuleKind.choices)
    threshold = models.SmallIntegerField(_("threshold (scale points)"), null=True, blank=True)
    keywords = models.CharField(_("keywords, comma separated"), max_length=400, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.get_kind_display()
