"""What makes a response suspect — answers a store could game — and whether suspect
responses count in the figures. One row, edited by headquarters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntegrityFlag(models.TextChoices):
    STAFF_PHONE = "staff_phone", _("Answered from a staff member's phone")
    SHARED_PHONE = "shared_phone", _("One phone answering for many customers")
    TOO_FAST = "too_fast", _("Finished implausibly fast")
    STRAIGHT_LINE = "straight_line", _("Every rating the same")
    BURST = "burst", _("Part of a burst on an open link")


class IntegrityPolicy(models.Model):
    exclude_flagged = models.BooleanField(
        _("leave flagged responses out of the figures"), default=True
    )
    # Every rating the same is often an honest "all excellent": shown apart, and left
    # out only when HQ chooses.
    exclude_straight_line = models.BooleanField(
        _("leave out responses with every rating the same too"), default=False
    )
    seconds_per_item = models.PositiveSmallIntegerField(
        _("fewer seconds per answered item than this is too fast"), default=1
    )
    straight_line_items = models.PositiveSmallIntegerField(
        _("ratings all the same count from this many items"), default=10
    )
    shared_phone_customers = models.PositiveSmallIntegerField(
        _("a phone shared by this many customers is suspect"), default=3
    )
    burst_responses = models.PositiveSmallIntegerField(
        _("responses on one open link that make a burst"), default=6
    )
    burst_minutes = models.PositiveSmallIntegerField(_("within this many minutes"), default=10)
    open_link_starts_per_address = models.PositiveSmallIntegerField(
        _("forms one address may start on one open link a day"), default=10
    )

    class Meta:
        verbose_name = _("survey integrity policy")
        verbose_name_plural = _("survey integrity policy")

    def __str__(self) -> str:
        return str(_("Survey integrity policy"))

    @classmethod
    def current(cls) -> "IntegrityPolicy":
        return cls.objects.get_or_create(pk=1)[0]
