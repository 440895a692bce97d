"""Practices: who works there, which clients they care for, what they wrote and who looked.

A practice has members (its owner and practitioners) and clients (``clients.Client.practice``).
A member sees every client of their practice and nothing else; a client with an account sees
their own records and the notes shared with them; a self-carer (no practice) is unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import SessionLog

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Role(models.TextChoices):
    OWNER = "owner", "owner"
    PRACTITIONER = "practitioner", "practitioner"


class Practice(models.Model):
    """A massage or skin-care practice: one or more practitioners and their clients."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.name)


class Membership(models.Model):
    """A person working in a practice; a person works in one practice at most."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.practice}"

    @property
    def is_owner(self) -> bool:
        return bool(self.role == Role.OWNER)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A link that lets a client make their own account and see their records.

    Only the SHA-256 of the token is stored: the link itself is shown once, to the practitioner
    who made it.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invitations")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invitations")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation of {self.client} to {self.practice}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """Give a fresh token and its digest (keep the digest, show the token once)."""
        token = secrets.token_urlsafe(32)
        return token, _token_digest(token)

    @staticmethod
    def digest(token: str) -> str:
        """Give the stored digest of ``token``."""
        return _token_digest(token)


class SessionNote(models.Model):
    """A practitioner's note on a client, in the SOAP form, optionally about one session."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="session_notes")
    session_log = models.ForeignKey(
        SessionLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subjective = models.TextField(blank=True, help_text="What the client says.")
    objective = models.TextField(blank=True, help_text="What the practitioner sees and measures.")
    assessment = models.TextField(blank=True, help_text="What the practitioner makes of it.")
    plan = models.TextField(blank=True, help_text="What happens next.")
    shared_with_client = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["client", "-created_at"], name="note_client_newest")]

    def __str__(self) -> str:
        return f"note on {self.client} of {self.created_at:%Y-%m-%d}"


class ClientAttention(models.Model):
    """A client's day as the practice sees it, kept so that the client list filters, sorts and
    counts by it in the database: planned today, and each signal of ``attention`` with its
    reasons in words; and what the client's row shows beside them (the newest session and
    safety check).

    The row holds for ``computed_on`` only, and until ``holds_until`` where a signal ends at a
    moment of the day (changed progress verdicts). An entry that may change a signal (a session, a
    note, a safety check, a plan, a progress analysis) empties ``computed_on`` and bumps
    ``version`` in its own transaction; ``attention_store`` works the row out again when it is
    next read. The rules themselves are :mod:`collagen_coach.web.practice.attention`'s.
    """

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, primary_key=True, related_name="attention"
    )
    computed_on = models.DateField(null=True, blank=True, help_text="Empty: to work out again.")
    holds_until = models.DateTimeField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=0, help_text="Bumped at every change.")
    planned_today = models.BooleanField(default=False)
    done_today = models.BooleanField(default=False)
    missed = models.BooleanField(default=False)
    pain = models.BooleanField(default=False)
    restriction = models.BooleanField(default=False)
    verdict = models.BooleanField(default=False)
    note = models.BooleanField(default=False)
    reason_count = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, help_text="[signal, words, short] each, in order.")
    # What the client's row shows beside the signals: the newest session and safety check.
    last_session_on = models.DateField(null=True, blank=True)
    last_session_place = models.CharField(max_length=20, blank=True)
    last_session_status = models.CharField(max_length=20, blank=True)
    decision = models.CharField(max_length=20, blank=True)
    resume_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["computed_on"], name="attention_computed_on"),
            models.Index(fields=["-reason_count"], name="attention_most_first"),
        ]

    def __str__(self) -> str:
        return f"attention of client {self.client_id} on {self.computed_on}"

    client_id: int  # the one-to-one's column, for type checkers


WHAT_MAX_CHARS = 200  # an audit line's "what"; a longer one is cut, never refused
# Reading the same thing of the same client again within this many minutes adds no line: a
# practitioner moving about a record reads it many times a minute, and the log (and the
# database) would fill with identical lines. Changes are always written.
VIEWS_COALESCED_MINUTES = 5


class AuditEvent(models.Model):
    """Who viewed or changed which client's health data, and when (kept for the practice owner)."""

    class Action(models.TextChoices):
        VIEW = "view", "viewed"
        CHANGE = "change", "changed"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="Kept if the account goes.")
    client = models.ForeignKey(
        Client, null=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    client_name = models.CharField(max_length=200, help_text="Kept if the client leaves.")
    action = models.CharField(max_length=10, choices=Action.choices)
    what = models.CharField(
        max_length=WHAT_MAX_CHARS, help_text='e.g. "timeline", "intake", "plan step 3".'
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["practice", "-at"], name="audit_practice_newest")]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.what} of {self.client_name} at {self.at}"

    @classmethod
    def record(
        cls,
        practice_id: int,
        action: str,
        what: str,
        *,
        actor: User | None = None,
        actor_name: str | None = None,
        client: Client | None = None,
        client_name: str | None = None,
    ) -> AuditEvent:
        """Write one line of the practice's audit log and give it: ``actor`` did ``action``
        ("view" or "change") to ``what`` of ``client``'s health data.

        A view of what the same person already viewed of the same client within
        ``VIEWS_COALESCED_MINUTES`` writes nothing: the line of the first view stands for the
        window, and is given. The names are kept beside the links, so the line still reads when
        the account or the client goes; they default to the actor's username and the client's
        display name.
        """
        if actor_name is None:
            actor_name = "" if actor is None else actor.get_username()
        if client_name is None:
            client_name = "" if client is None else client.display_name
        what = what[:WHAT_MAX_CHARS]
        if action == cls.Action.VIEW:
            # Two requests at the same moment may both write: a line too many, never one lost.
            recent = cls.objects.filter(
                practice_id=practice_id,
                actor=actor,
                actor_name=actor_name,
                client=client,
                action=action,
                what=what,
                at__gte=timezone.now() - dt.timedelta(minutes=VIEWS_COALESCED_MINUTES),
            ).first()
            if recent is not None:
                return recent
        return cls.objects.create(
            practice_id=practice_id,
            actor=actor,
            actor_name=actor_name,
            client=client,
            client_name=client_name,
            action=action,
            what=what,
        )


class ApiToken(models.Model):
    """A personal token for the REST API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token {self.name!r} of {self.user}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """Give a fresh token and its digest (keep the digest, show the token once)."""
        token = "cc_" + secrets.token_urlsafe(32)
        return token, _token_digest(token)

    @staticmethod
    def digest(token: str) -> str:
        """Give the stored digest of ``token``."""
        return _token_digest(token)
