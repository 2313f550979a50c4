"""Questionnaires and their published, immutable versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Questionnaire(models.Model):
    """A questionnaire: an editable draft and its published, immutable versions."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    template = models.CharField(_("built from template"), max_length=40, blank=True)
    draft = models.JSONField(_("draft"), default=dict)
    draft_updated_at = models.DateTimeField(_("draft changed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> "QuestionnaireVersion | None":
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    """A published version; never changed, so every response keeps its meaning."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="one_number_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    def parsed(self):  # type: ignore[no-untyped-def]
        from manyi.surveys.versions import definition_of

        return definition_of(self.pk)
