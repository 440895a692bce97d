"""The journal: sessions done, peptide intake, self-ratings and instrument readings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from collagen_coach.core.measures import SELF_RATINGS, scale_in_words
from collagen_coach.core.techniques import ZONE_IDS
from collagen_coach.web.clients.models import Client
from collagen_coach.web.plans.models import StoredProgram

SIDES = ("left", "right", "both")
SIDE_CHOICES = [(side, side) for side in SIDES]
ZONE_CHOICES = [(zone, zone) for zone in ZONE_IDS]

# Self-rating scales, 0–10, as ``core.measures`` defines them (which way is better, too).
RATING_SCALES = SELF_RATINGS
RATING_MIN, RATING_MAX = 0, 10

PEPTIDE_MAX_GRAMS = 30


class SessionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "in progress"
    COMPLETED = "completed", "completed"
    ABANDONED = "abandoned", "abandoned"


class SessionLog(models.Model):
    """One session as it was done, saved step by step so a crash or kill loses at most one step.

    ``steps`` is a list of ``{technique, zone, side, planned_s, done_s, skipped}``; ``done_s`` is
    None for a step not reached yet. A log left ``in_progress`` by a killed run still counts as a
    partial session and can later be marked ``abandoned``.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="session_logs")
    planned_date = models.DateField(help_text="The day whose planned session this is.")
    program = models.ForeignKey(
        StoredProgram,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session_logs",
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.IN_PROGRESS
    )
    steps = models.JSONField(default=list)
    pain = models.BooleanField(null=True, blank=True, help_text="Any pain during the session.")
    redness = models.BooleanField(null=True, blank=True, help_text="Redness lasting afterwards.")
    comfort_note = models.TextField(blank=True)
    place = models.CharField(
        max_length=10,
        choices=[("home", "at home"), ("clinic", "in the clinic")],
        default="home",
        help_text="Where the session was done: at home, or in the clinic by the practitioner.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["client", "planned_date"], name="sessionlog_client_day"),
            models.Index(fields=["client", "status"], name="sessionlog_client_status"),
            # The practice's client list finds each client's newest session.
            models.Index(fields=["client", "-started_at"], name="sessionlog_client_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="sessionlog_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(finished_at__isnull=False),
                name="sessionlog_completed_has_finish_time",
            ),
        ]

    def __str__(self) -> str:
        return f"session of {self.planned_date} ({self.status})"

    @property
    def planned_s(self) -> int:
        """Give the planned length of the session in seconds."""
        return sum(int(step["planned_s"]) for step in self.steps)

    @property
    def done_s(self) -> int:
        """Give the seconds of massage actually done, over all steps."""
        return sum(int(step["done_s"] or 0) for step in self.steps)

    @property
    def steps_done(self) -> int:
        """Give how many steps were done (not skipped, not left unreached)."""
        return sum(1 for s in self.steps if s["done_s"] is not None and not s["skipped"])

    @property
    def steps_skipped(self) -> int:
        """Give how many steps were skipped."""
        return sum(1 for s in self.steps if s["skipped"])


class PeptideIntake(models.Model):
    """One dose of oral collagen peptides."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="peptide_intakes")
    date = models.DateField()
    grams = models.DecimalField(max_digits=4, decimal_places=2)
    product = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["client", "date"], name="peptides_client_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(grams__gt=0, grams__lte=PEPTIDE_MAX_GRAMS), name="peptides_grams_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grams} g peptides on {self.date}"


class SelfRating(models.Model):
    """How the client rates their skin on one day, each scale 0–10 (one rating per day)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="self_ratings")
    date = models.DateField()
    firmness = models.PositiveSmallIntegerField(help_text=scale_in_words("firmness"))
    elasticity = models.PositiveSmallIntegerField(help_text=scale_in_words("elasticity"))
    fine_lines = models.PositiveSmallIntegerField(help_text=scale_in_words("fine_lines"))
    glow = models.PositiveSmallIntegerField(help_text=scale_in_words("glow"))
    sagging = models.PositiveSmallIntegerField(help_text=scale_in_words("sagging"))
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "date"], name="one_rating_per_day"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{scale}__gte": RATING_MIN, f"{scale}__lte": RATING_MAX}),
                    name=f"rating_{scale}_0_to_10",
                )
                for scale in RATING_SCALES
            ),
        ]

    def __str__(self) -> str:
        return f"self-rating of {self.date}"

    def scores(self) -> dict[str, int]:
        """Give the five scores by scale name."""
        return {scale: int(getattr(self, scale)) for scale in RATING_SCALES}


class InstrumentReading(models.Model):
    """One measurement by a skin instrument, e.g. Cutometer R2 on the left cheek.

    ``repeat`` numbers identical rows within one imported file (repeated measurements that happen
    to agree), so importing the same file again is recognised while genuine repeats are kept.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="readings")
    date = models.DateField()
    instrument = models.CharField(max_length=50, help_text='Lower case, e.g. "cutometer".')
    parameter = models.CharField(max_length=50, help_text='As the instrument names it, e.g. "R2".')
    zone = models.CharField(max_length=20, choices=ZONE_CHOICES)
    side = models.CharField(max_length=5, choices=SIDE_CHOICES)
    value = models.FloatField()
    unit = models.CharField(max_length=20, blank=True)
    repeat = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(max_length=255, help_text="Name of the file it was imported from.")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "client",
                    "date",
                    "instrument",
                    "parameter",
                    "zone",
                    "side",
                    "value",
                    "repeat",
                ],
                name="reading_imported_once",
            ),
            models.CheckConstraint(condition=Q(side__in=SIDES), name="reading_side_known"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.instrument} {self.parameter} {self.zone}/{self.side} {self.date}: {self.value}"
        )


class PhotoMeasurement(models.Model):
    """What analysing one progress photo measured; the photo itself is never kept, only numbers.

    ``metrics_by_side`` is zone → side (``left``/``right``) → metric → value, ``metrics`` zone →
    metric → value for each zone as a whole (as the photo report gives them; None where a metric
    could not be measured). ``ok`` is False for a photo the quality gate rejected: it is kept for
    the record but does not count towards progress. ``problems`` lists
    ``{id, hint, value, threshold}``; ``pose`` is ``{yaw, pitch, roll}`` in degrees or None.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="photo_measurements")
    date = models.DateField(help_text="The day the photo was taken.")
    file_name = models.CharField(
        max_length=255, help_text="The original photo's file name only, no folder."
    )
    ok = models.BooleanField(help_text="Whether the photo passed the quality gate.")
    problems = models.JSONField(default=list)
    pose = models.JSONField(null=True, blank=True)
    metrics_by_side = models.JSONField(default=dict)
    metrics = models.JSONField(default=dict)
    algorithm = models.CharField(max_length=100, help_text='"name@version" that measured it.')
    look = models.JSONField(null=True, blank=True)
    lit_like_baseline = models.BooleanField(
        null=True, blank=True, help_text="Whether it was lit like the baseline photos."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["client", "date"], name="photo_client_day")]

    def __str__(self) -> str:
        return f"photo {self.file_name} of {self.date}" + ("" if self.ok else " (rejected)")
