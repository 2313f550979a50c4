"""Targets: a figure a unit should reach over a period."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    """A figure a unit should reach over a period — "service quality ≥ 820 by Q3": the
    mean of one rollup variable of a programme's questionnaire (``@index``, ``@nps``,
    ``factor:…`` or an item code) over the whole months from ``since`` to ``until``.
    Met only with at least the programme's minimum n."""

    programme = models.ForeignKey(
        "surveys.Programme", on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="targets")
    variable = models.CharField(_("figure"), max_length=80)
    since = models.DateField(_("from month"))
    until = models.DateField(_("to month"))
    value = models.DecimalField(_("at least"), max_digits=7, decimal_places=1)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-until", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "unit", "variable", "since", "until"],
                name="improve_one_target_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.variable} ≥ {self.value}"
