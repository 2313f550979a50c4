"""What the workers did: the last pass of each sweep, for the health check and metrics."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SweepPass(models.Model):
    """The last pass of one sweep by any worker (one row a sweep, overwritten)."""

    name = models.CharField(_("sweep"), max_length=64, primary_key=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    seconds = models.FloatField(_("seconds"))
    ok = models.BooleanField(_("succeeded"))
    worker = models.CharField(_("worker"), max_length=64)

    class Meta:
        verbose_name = _("sweep pass")
        verbose_name_plural = _("sweep passes")

    def __str__(self) -> str:
        return self.name
