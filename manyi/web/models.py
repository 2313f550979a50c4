from django.db import models


class RateCount(models.Model):
    """Hits on one rate-limit key in one window, when the cache cannot count atomically
    (the embedded default; with Redis the cache counts)."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_count_once")]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
