"""The progress analysis as last worked out, kept current as entries arrive (``store``)."""

from __future__ import annotations

from django.db import models

from collagen_coach.web.clients.models import Client

PART_CHOICES = [
    ("ratings", "self-ratings"),
    ("readings", "instrument readings"),
    ("photos", "photo measurements"),
]


class ProgressPart(models.Model):
    """The analysis of one part of a client's measurements (their self-ratings, their readings
    or their photo measurements: parts that share no series), with the points its charts need.

    ``made_from`` fingerprints what it was made from (the part's rows, the plan's phases and the
    split-face side); a row whose fingerprint no longer matches is stale and is worked out
    again, never shown. ``analysis`` is JSON text (``store.part_json``): text, so that a value
    no measure can have (NaN, kept to be named in a note) survives on every database.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="progress_parts")
    part = models.CharField(max_length=20, choices=PART_CHOICES)
    made_from = models.CharField(max_length=64)
    analysis = models.TextField()
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "part"], name="one_progress_part_each"),
        ]

    def __str__(self) -> str:
        return f"{self.part} analysis of client {self.client_id}"


class ProgressPage(models.Model):
    """The client's progress dashboard as last rendered (``stored_page``): the page's own part,
    made when an entry's change is followed (after its commit, or in the worker after a photo),
    so the first visit after a change neither analyses nor renders.

    ``made_for`` is the key of what it was made from (the day, the journal's stamp and the
    page's code): a row whose key is not the visit's is never shown. A row, not the cache: the
    worker and every web process read the same one, on SQLite as on PostgreSQL.
    """

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="progress_page")
    made_for = models.CharField(max_length=200)
    body = models.TextField()
    # The dashboard's verdicts (its charts without their points), pickled: what the practice's
    # client list reads from the cache, put there by the visit that reads this row.
    verdicts = models.BinaryField()
    # When a concern's verdict last read otherwise than on the page stored before (the first
    # page stored compares with nothing), and what changed: [[concern's title, verdict before,
    # verdict now], …] in the dashboard's order. The practice's signal of changed verdicts.
    verdicts_changed_at = models.DateTimeField(null=True, blank=True)
    verdict_changes = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"progress page of client {self.client_id}"


class ProgressSeries(models.Model):
    """One series' chart data with its card's words (``SeriesChart.chart_data``), stored with
    the dashboard's page (``stored_page``) for the photo chooser to read, under the page's key."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="progress_series")
    key = models.CharField(max_length=200)
    made_for = models.CharField(max_length=200)
    data = models.TextField()  # JSON

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="one_progress_series_each"),
        ]

    def __str__(self) -> str:
        return f"series {self.key} of client {self.client_id}"
