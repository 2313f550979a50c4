"""When the deadline clock runs: a calendar per unit, the public holidays and make-up
working days it follows, and the SLA policies that give each case its deadlines."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessCalendar(models.Model):
    """Working hours of a unit (and of the units below it that have none of their
    own). ``hours`` maps a weekday, "0" for Monday, to ["09:00", "18:00"]."""

    unit = models.OneToOneField(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar",
        help_text=_("Empty: the network's default calendar."),
    )
    name = models.CharField(_("name"), max_length=80)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    always_open = models.BooleanField(_("open 24×7"), default=False)
    hours = models.JSONField(_("working hours"), default=dict, blank=True)
    follows_public_holidays = models.BooleanField(_("follows public holidays"), default=True)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(unit=None), name="one_default_calendar"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from manyi.cases.calendars import parse_hours

        try:
            parse_hours(self.hours)
        except ValueError as error:
            raise ValidationError({"hours": str(error)}) from error


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Make-up working day")


# The national holidays by the names ``chinesecalendar`` gives them, in each language.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Victory Day (70th anniversary)"),
}


class CalendarDay(models.Model):
    """A public holiday or make-up working day (调休). With no calendar it is the
    national one, seeded from the ``chinesecalendar`` package and editable; with a
    calendar, that calendar's own exception."""

    calendar = models.ForeignKey(
        BusinessCalendar, null=True, blank=True, on_delete=models.CASCADE, related_name="days"
    )
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(calendar=None), name="one_national_day"
            ),
            models.UniqueConstraint(fields=["calendar", "day"], name="one_day_per_calendar"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"

    @property
    def display_name(self) -> str:
        """The day's name in the reader's language (a name typed in by hand as typed)."""
        return str(HOLIDAY_NAMES.get(self.name, self.name))


class SlaPolicy(models.Model):
    """The deadlines of a kind of case at a severity, for a customer tier (empty: any
    tier). The most specific policy applies: with the tier before without."""

    kind = models.CharField(_("kind"), max_length=12)
    severity = models.CharField(_("severity"), max_length=8)
    tier = models.CharField(_("customer tier"), max_length=20, blank=True)
    first_response_hours = models.DecimalField(
        _("first response within (hours)"), max_digits=7, decimal_places=2
    )
    resolution_hours = models.DecimalField(
        _("resolution within (hours)"), max_digits=7, decimal_places=2
    )
    business_hours = models.BooleanField(
        _("counted in business hours"),
        default=True,
        help_text=_("Off: calendar hours, night and holidays included."),
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["kind", "severity", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "severity", "tier"], name="one_policy_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.severity} · {self.tier or '*'}"


class WordOfMouth(models.Model):
    """The multipliers of the exposure estimate (DOMAIN.md): one complaint stands for
    27 dissatisfied customers, each of whom tells 18 others. One row, editable."""

    silent_per_complaint = models.PositiveIntegerField(
        _("dissatisfied customers behind one complaint"), default=27
    )
    told_per_dissatisfied = models.PositiveIntegerField(
        _("people each dissatisfied customer tells"), default=18
    )

    class Meta:
        verbose_name = _("word-of-mouth multipliers")
        verbose_name_plural = _("word-of-mouth multipliers")

    def __str__(self) -> str:
        return f"{self.silent_per_complaint} × {self.told_per_dissatisfied}"

    @classmethod
    def current(cls) -> "WordOfMouth":
        return cls.objects.get_or_create(pk=1)[0]

    def exposure(self, complaints: int) -> tuple[int, int]:
        """(dissatisfied customers, people who hear of it) behind ``complaints``."""
        silent = complaints * self.silent_per_complaint
        return silent, silent * self.told_per_dissatisfied
