from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rollup(models.Model):
    """Additive statistics of one questionnaire version's responses in a unit and month.

    A cell with ``staff`` empty holds the responses of the unit's whole subtree (a
    region's cell counts all its stores), so any report reads a dozen cells, not one
    per store; one with ``staff`` holds that staff member's responses. ``moments``
    packs ``manyi.stats.moments.Moments`` over the version's variables (item scores,
    factor scores, gaps, the index, the NPS answer); ``summary`` packs just each
    variable's n, Σx and Σx² (for rankings); ``histograms`` counts the answers of each
    rated item by scale point. Moving a unit in the tree needs ``manyi rebuild_rollups``.
    """

    version = models.ForeignKey(
        "surveys.QuestionnaireVersion", on_delete=models.CASCADE, related_name="rollups"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="rollups")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rollups",
    )
    month = models.DateField(_("month"))
    responses = models.PositiveIntegerField(_("responses"), default=0)
    moments = models.BinaryField()
    summary = models.BinaryField(default=b"")
    histograms = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "unit", "month"],
                condition=models.Q(staff__isnull=True),
                name="one_unit_cell",
            ),
            models.UniqueConstraint(
                fields=["version", "unit", "staff", "month"],
                condition=models.Q(staff__isnull=False),
                name="one_staff_cell",
            ),
        ]
        indexes = [models.Index(fields=["version", "month"])]

    def __str__(self) -> str:
        return f"{self.version} · {self.unit} · {self.month:%Y-%m}"


class ReportExport(models.Model):
    """A report rendered to PDF by the worker, with its progress; only its requester
    downloads it, and it shows what the requester could see when asking."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports"
    )
    parameters = models.JSONField(_("report"), default=dict)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    # The task that renders it: a retry of that task (its worker died) may take it up
    # again; another task given the same export may not.
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"PDF {self.pk} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Comment(models.Model):
    """One free-text answer, kept beside its response's figures so the comments page can
    filter and sort the network's comments by index. Written by the worker when it
    counts the response (and again by a rebuild); the response stays the record."""

    response = models.ForeignKey(
        "surveys.Response", on_delete=models.CASCADE, related_name="comments"
    )
    item = models.CharField(_("item"), max_length=40)
    text = models.TextField(_("comment"))
    version = models.ForeignKey(
        "surveys.QuestionnaireVersion", on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        "surveys.Programme", null=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    index = models.FloatField(_("index"), null=True)
    nps = models.PositiveSmallIntegerField(_("NPS answer"), null=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_comment_per_item")
        ]
        indexes = [
            models.Index(fields=["programme", "submitted_at"]),
            models.Index(fields=["unit", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.item}"
