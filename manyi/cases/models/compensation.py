"""The satisfaction guarantee (SG, 满意保证): what a customer is given to make good, who
may grant how much, and the register of what was given."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CompensationKind(models.TextChoices):
    REFUND = "refund", _("Refund")
    FREE_SERVICE = "free_service", _("Free service")
    VOUCHER = "voucher", _("Voucher")
    GIFT = "gift", _("Gift")


class CompensationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    GIVEN = "given", _("Given")


class ApprovalLimit(models.Model):
    """The most a role may grant without asking someone above (empty: no limit)."""

    role = models.CharField(_("role"), max_length=20, unique=True)
    max_amount = models.DecimalField(
        _("up to (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("approval limit")
        verbose_name_plural = _("approval limits")
        ordering = ["max_amount"]

    def __str__(self) -> str:
        return f"{self.role} ≤ {self.max_amount if self.max_amount is not None else '∞'}"


class Compensation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="compensations")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=14, choices=CompensationKind.choices)
    amount = models.DecimalField(_("value (yuan)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("what is given"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CompensationStatus.choices,
        default=CompensationStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
