"""Stored programs and the sessions planned in them.

A program is kept whole as JSON (``core.planning.Program``) so it can be rebuilt exactly, and its
sessions are also kept one row per day so calendars and adherence can query dates directly.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from collagen_coach.core.planning import Program, Session
from collagen_coach.core.screening import Decision
from collagen_coach.core.techniques import PHASES
from collagen_coach.web.clients.models import Client

PHASE_CHOICES = [(phase, phase) for phase in PHASES]


class StoredProgram(models.Model):
    """One program made for a client; exactly one per client is current once any exists."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="programs")
    profile = models.JSONField(help_text="core.planning.Profile the program was made for.")
    decision = models.JSONField(help_text="core.screening.Decision the program respects.")
    program = models.JSONField(help_text="core.planning.Program, whole.")
    planner = models.CharField(max_length=50, help_text="Planner name@version that made it.")
    created_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["client", "-created_at"], name="program_client_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(is_current=True), name="one_current_program"
            ),
        ]

    def __str__(self) -> str:
        state = "current" if self.is_current else "earlier"
        return f"{state} program of {self.client} made {self.created_at:%Y-%m-%d}"

    def get_program(self) -> Program:
        """Give the program, whole (``core.planning.Program``)."""
        return Program.model_validate(self.program)

    def get_decision(self) -> Decision:
        """Give the screening decision the program was made under."""
        return Decision.model_validate(self.decision)


class PlannedSession(models.Model):
    """The session a program plans for one day."""

    program = models.ForeignKey(StoredProgram, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    phase = models.CharField(max_length=20, choices=PHASE_CHOICES)
    steps = models.JSONField(help_text="List of core.planning.Step as JSON.")
    duration_s = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "date"], name="one_session_per_program_day"),
        ]

    def __str__(self) -> str:
        return f"{self.phase} session on {self.date}"

    def get_session(self) -> Session:
        """Give the session as planned (``core.planning.Session``)."""
        return Session.model_validate({"date": self.date, "phase": self.phase, "steps": self.steps})
