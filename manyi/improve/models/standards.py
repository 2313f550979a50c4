"""Service standards (服务标准): written per step of the service cycle (服务环节, the
moments of truth — booking, reception, diagnosis, repair, delivery, follow-up; a
hospital's own steps), each with its kind (hardware, process, people), its class (basic,
performance, motivation — the BPM classes the Drivers page estimates for survey items),
the survey items that measure it, and versions: a revision is a new version with its
reason, so a check always names the wording it was made against."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ServiceStep(models.Model):
    """A step of the service cycle, in the order a customer meets them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service step")
        verbose_name_plural = _("service steps")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        english = (get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


class StandardKind(models.TextChoices):
    HARDWARE = "hardware", _("Hardware")
    PROCESS = "process", _("Process")
    PEOPLE = "people", _("People")


class StandardClass(models.TextChoices):
    BASIC = "basic", _("Basic: must never fail")
    PERFORMANCE = "performance", _("Performance: the better, the more satisfied")
    MOTIVATION = "motivation", _("Motivation: delights when there")


class Standard(models.Model):
    """One standard; its wording and the items that measure it are its versions'."""

    step = models.ForeignKey(ServiceStep, on_delete=models.PROTECT, related_name="standards")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=StandardKind.choices)
    standard_class = models.CharField(_("class"), max_length=12, choices=StandardClass.choices)
    customer_visible = models.BooleanField(
        _("a commitment to customers"), default=False,
        help_text=_("Published on the store's public page."),
    )  # fmt: skip
    is_active = models.BooleanField(_("in force"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["step__order", "code"]

    def __str__(self) -> str:
        return self.code


class StandardVersion(models.Model):
    """A standard's wording as of one revision, with the reason for it."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(_("standard"), max_length=200)
    text = models.TextField(_("what exactly is expected"), max_length=4000, blank=True)
    items = models.JSONField(_("survey items that measure it"), default=list, blank=True)
    reason = models.CharField(_("reason for the revision"), max_length=400)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["standard", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="improve_one_version_no")
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} v{self.number}"
