"""Clients, their profiles and their safety intakes.

Every stored record belongs to a Client. The embedded app has one local client (``is_local``);
a practice owns many, each linked to the practitioner's user account through ``owner``. A person
who signs in to the web app sees the one client whose ``account`` they are.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from collagen_coach.core.planning import Profile
from collagen_coach.core.screening import Decision, Intake

DECISION_KINDS = [
    ("go", "go"),
    ("modify", "modify"),
    ("defer", "defer"),
    ("refer", "refer"),
]


class AgeBand(models.TextChoices):
    """How old a client is, when a practice keeps no date of birth."""

    FROM_18 = "18-34", "18 to 34"
    FROM_35 = "35-44", "35 to 44"
    FROM_45 = "45-54", "45 to 54"
    FROM_55 = "55-64", "55 to 64"
    FROM_65 = "65-74", "65 to 74"
    FROM_75 = "75+", "75 or over"


class ContactWay(models.TextChoices):
    """How a client prefers to be reached."""

    EMAIL = "email", "email"
    PHONE = "phone", "a phone call"
    TEXT = "text", "a text message"


def new_stamp() -> int:
    """Give a new value for ``Client.changed``: random, 62 bits."""
    return secrets.randbits(62)


class Client(models.Model):
    """A person following the method: the self-carer at home, or one client of a practice.

    A practice keeps a client's contact details beside the name (all optional): email, phone,
    date of birth or an age band, how they like to be reached, and notes such as "prefers
    mornings" (health matters go in the safety check and session notes, not here).
    """

    display_name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A practitioner's account cannot be deleted while it still holds clients' records.
        on_delete=models.PROTECT,
        related_name="clients",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client",
        help_text="The person's own sign-in, if they have one; only they see these records.",
    )
    practice = models.ForeignKey(
        "practice.Practice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clients",
        help_text="The practice caring for this client; empty for a self-carer.",
    )
    is_local = models.BooleanField(
        default=False, help_text="The one client of the embedded app on this computer."
    )
    # Empty by default in the database too, so rows written without them (older code, a
    # migration test at an earlier state) stay valid.
    email = models.EmailField(blank=True, max_length=254, default="", db_default="")
    phone = models.CharField(blank=True, max_length=30, default="", db_default="")
    birth_date = models.DateField(null=True, blank=True)
    age_band = models.CharField(
        blank=True, max_length=10, choices=AgeBand.choices, default="", db_default=""
    )
    preferred_contact = models.CharField(
        blank=True, max_length=10, choices=ContactWay.choices, default="", db_default=""
    )
    contact_notes = models.TextField(blank=True, max_length=1000, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # A new random value whenever her records change (``clients.changes``): a page kept for
    # her (``web.lib.kept``) is kept under it, so a change makes the kept copy unreachable.
    # Random rather than counted, so that a client made again under a freed id never meets a
    # copy kept for the one before. Not her record: not in her export (``serialize``). 0 in
    # the database for rows written without it (older code, a migration test at an earlier
    # state); her next change gives them a random one.
    changed = models.BigIntegerField(
        default=new_stamp, db_default=0, editable=False, serialize=False
    )

    practice_id: int | None  # the foreign key's column, for type checkers

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_local"], condition=Q(is_local=True), name="one_local_client"
            ),
        ]

    def __str__(self) -> str:
        return str(self.display_name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, with a new ``changed``: her name, practice or details may be on a kept page."""
        self.changed = new_stamp()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed"}
        super().save(*args, **kwargs)


class ClientProfile(models.Model):
    """One saved version of a client's profile; the newest is the one in use."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="profiles")
    profile = models.JSONField(help_text="core.planning.Profile as JSON.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["client", "-created_at"], name="profile_client_newest")]

    def __str__(self) -> str:
        return f"profile of {self.client} saved {self.created_at:%Y-%m-%d}"

    def get_profile(self) -> Profile:
        """Give the profile as saved (``core.planning.Profile``)."""
        return Profile.model_validate(self.profile)


class IntakeRecord(models.Model):
    """One safety intake: the answers given and the screening decision they led to."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="intakes")
    answers = models.JSONField(help_text="core.screening.Intake as JSON.")
    decision = models.JSONField(help_text="core.screening.Decision as JSON.")
    decision_kind = models.CharField(max_length=10, choices=DECISION_KINDS)
    as_of = models.DateField(help_text="The day the answers describe.")
    consent_text = models.TextField(
        blank=True, help_text="The consent the person agreed to, word for word (web intakes)."
    )
    consented_at = models.DateTimeField(
        null=True, blank=True, help_text="When they ticked the consent box (web intakes)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who entered the answers: the client, or their practitioner on their behalf.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["client", "-created_at"], name="intake_client_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_kind__in=[kind for kind, _ in DECISION_KINDS]),
                name="intake_decision_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"intake of {self.client} as of {self.as_of}: {self.decision_kind}"

    def get_intake(self) -> Intake:
        """Give the answers as given (``core.screening.Intake``)."""
        return Intake.model_validate(self.answers)

    def get_decision(self) -> Decision:
        """Give the screening decision the answers led to."""
        return Decision.model_validate(self.decision)
