from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Ready to commit")
    INVALID = "invalid", _("Has errors")
    COMMITTING = "committing", _("Committing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportSource(models.TextChoices):
    WEB = "web", _("Upload")
    CLI = "cli", _("Command line")
    API = "api", _("API")


class ImportJob(models.Model):
    """One file (or API batch) being checked and committed, with every error it found."""

    kind = models.CharField(_("kind"), max_length=32)
    source = models.CharField(
        _("source"), max_length=8, choices=ImportSource.choices, default=ImportSource.WEB
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.IntegerField(_("rows"), default=0)
    created_count = models.IntegerField(_("created"), default=0)
    updated_count = models.IntegerField(_("updated"), default=0)
    error_count = models.IntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"

    @property
    def kind_label(self) -> str:
        """What the file holds, in the reader's language."""
        from manyi.imports.kinds import KINDS  # the kinds import the engine, which imports this

        found = KINDS.get(self.kind)
        return str(found.label) if found else self.kind

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.COMMITTING)
