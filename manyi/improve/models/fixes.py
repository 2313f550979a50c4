"""First-time fix (车辆一次性修复率): what counts as a repair fixed the first time."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FixPolicy(models.Model):
    """One row: a repair is fixed the first time when the vehicle is not repaired again
    within ``window_days``; ``survey_item`` names the survey item shown beside the rate
    (the questionnaire's own "fixed right first time", where it has one)."""

    window_days = models.PositiveSmallIntegerField(_("came back within (days)"), default=30)
    survey_item = models.CharField(_("survey item shown beside it"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("first-time fix policy")

    def __str__(self) -> str:
        return str(self.window_days)

    @classmethod
    def current(cls) -> "FixPolicy":
        return cls.objects.get_or_create(pk=1)[0]
