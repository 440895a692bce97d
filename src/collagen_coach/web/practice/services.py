"""Practice operations: starting a practice, its members, inviting a client to their own
account, a client leaving, and the audit log. The client list and the practice's day are in
``listing`` and ``attention``."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.records import record_counts
from collagen_coach.web.practice.models import (
    AuditEvent,
    Invitation,
    Membership,
    Practice,
    Role,
    SessionNote,
)

INVITATION_DAYS = 14
PRACTICE_NAME_MAX_CHARS = 200
EVENTS_PER_PAGE = 50
# Long enough to be unguessable, short enough to type once: 16 characters from 62 (~95 bits).
FIRST_PASSWORD_CHARS = 16
_PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# ---------------------------------------------------------------------------------------------
# A practice and its members


def start_practice(user: Any, name: str) -> Practice:
    """Give a new practice named ``name`` with ``user`` as its owner, both saved.

    A person works in one practice at most, and a practice's client cannot also run one.
    """
    clean = " ".join(name.split())
    if not clean:
        raise UserError("name", "is empty", "the practice's name, e.g. Skin Studio")
    if len(clean) > PRACTICE_NAME_MAX_CHARS:
        raise UserError(
            "name", f"is {len(clean)} characters long", f"at most {PRACTICE_NAME_MAX_CHARS}"
        )
    with transaction.atomic():
        if Membership.objects.filter(user=user).exists():
            raise UserError("practice", "you already work in a practice", "one practice")
        if Client.objects.filter(account=user, practice__isnull=False).exists():
            raise UserError(
                "practice",
                "this account is a practice's client",
                "a separate account for running a practice",
            )
        practice = Practice.objects.create(name=clean)
        Membership.objects.create(practice=practice, user=user, role=Role.OWNER)
    return practice


def first_password() -> str:
    """Give a random password to hand to a new colleague once (they change it after)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(FIRST_PASSWORD_CHARS))


def add_practitioner(practice: Practice, username: str) -> tuple[Any, str]:
    """Give a new practitioner's account in ``practice`` and its one-time password.

    The account has its own (empty) records too, as every account made by sign-up has, so the
    colleague can use every page. Only the password's hash is stored: show it once.
    """
    accounts: Any = get_user_model().objects
    if accounts.filter(username__iexact=username).exists():
        raise UserError("username", f"{username} is taken", "a username nobody uses yet")
    password = first_password()
    with transaction.atomic():
        user = accounts.create_user(username, "", password)
        Client.objects.create(display_name=username, account=user)
        Membership.objects.create(practice=practice, user=user, role=Role.PRACTITIONER)
    return user, password


def members(practice: Practice) -> list[Membership]:
    """Give the practice's members, the owner first, then by username."""
    rows = Membership.objects.filter(practice=practice).select_related("user")
    return sorted(rows, key=lambda m: (not m.is_owner, m.user.get_username().lower()))


# ---------------------------------------------------------------------------------------------
# Inviting a client to their own account


def invite(client: Client, by: Any, now: dt.datetime | None = None) -> tuple[Invitation, str]:
    """Give a new invitation for ``client`` and its token (show the token once, in the link).

    Earlier invitations of the client that were not used stop working: only the newest link
    does. A client who already has an account cannot be invited again.
    """
    if client.practice_id is None:
        raise UserError("client", "is not a practice's client", "a client of your practice")
    if client.account_id is not None:
        raise UserError("client", f"{client} already has an account", "a client without one")
    now = now or timezone.now()
    token, digest = Invitation.new_token()
    with transaction.atomic():
        Invitation.objects.filter(client=client, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(
            practice_id=client.practice_id,
            client=client,
            token_sha256=digest,
            created_by=by,
            expires_at=now + dt.timedelta(days=INVITATION_DAYS),
        )
    return invitation, token


def open_invitation(token: str, now: dt.datetime | None = None) -> Invitation | None:
    """Give the invitation ``token`` stands for while it can still be used, or None (unknown,
    expired, used, or its client taken already)."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_related("practice", "client")
        .filter(token_sha256=Invitation.digest(token))
        .first()
    )
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= now:
        return None
    client = invitation.client
    if client.account_id is not None or client.practice_id != invitation.practice_id:
        return None
    return invitation


@dataclass(frozen=True)
class Refusal:
    """Why an account cannot take up an invitation, in words, and what to do instead."""

    problem: str
    instead: str


def refusal_for(user: Any) -> Refusal | None:
    """Give why ``user``'s account cannot become a practice client's, or None if it can."""
    if Membership.objects.filter(user=user).exists():
        return Refusal(
            "This account belongs to someone who works in a practice.",
            "Sign out, then open the link again and make a new account for the client.",
        )
    own = Client.objects.filter(account=user).first()
    if own is None:
        return None
    if own.practice_id is not None:
        return Refusal(
            "This account is already the account of a practice's client.",
            "An account can belong to one practice's client only. If you want to change "
            "practice, leave your present one first (My practitioner, then Leave this practice).",
        )
    if record_counts(own):
        return Refusal(
            "This account already keeps your own records (your plan, journal or photos). "
            "They stay separate from the records your practice keeps for you.",
            "Sign out, then open the link again and make a new account for the practice's "
            "records. Your present account and its records stay as they are.",
        )
    return None


def accept_invitation(token: str, user: Any, now: dt.datetime | None = None) -> Client:
    """Make ``user``'s account the account of the invited client; give that client.

    The empty records a fresh sign-up made for the account are removed (there is nothing in
    them). Raises UserError, changing nothing, for a link that does not work or an account that
    cannot take it up (see :func:`refusal_for`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        invitation = open_invitation(token, now)
        if invitation is None:
            raise UserError("invitation", "this link does not work (any more)")
        # Lock the invitation, so two people following one link cannot both take it up.
        locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if locked is None or locked.accepted_at is not None:
            # Taken up (or replaced by a newer link) while this request was on its way.
            raise UserError("invitation", "this link was used already")
        invitation = locked
        refusal = refusal_for(user)
        if refusal is not None:
            raise UserError("account", refusal.problem, refusal.instead)
        client = Client.objects.select_for_update().get(pk=invitation.client_id)
        if client.account_id is not None:
            # Another of the client's links was taken up at the same moment.
            raise UserError("invitation", "this link was used already")
        Client.objects.filter(account=user).delete()  # empty: refusal_for checked it
        client.account = user
        client.save(update_fields=["account"])
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        Invitation.objects.filter(client=client, accepted_at__isnull=True).delete()
        AuditEvent.record(
            invitation.practice_id,
            AuditEvent.Action.CHANGE,
            "took up the invitation: the client's own account",
            actor=user,
            client=client,
        )
    return client


# ---------------------------------------------------------------------------------------------
# A client's practice, and leaving it


def shared_notes(client: Client) -> QuerySet[Any]:
    """Give the notes the client's practitioners shared with them, newest first."""
    return (
        SessionNote.objects.filter(client=client, shared_with_client=True)
        .select_related("author", "session_log")
        .order_by("-created_at", "-id")
    )


def leave_practice(client: Client, user: Any) -> None:
    """Take ``client`` out of their practice: they become a self-carer, keeping every record.

    The practice's open invitations for the client go; the leaving is kept in the practice's
    audit log (which keeps the client's name).
    """
    with transaction.atomic():
        fresh = Client.objects.select_for_update().get(pk=client.pk)
        if fresh.practice_id is None:
            raise UserError("practice", "you are not a practice's client")
        AuditEvent.record(
            fresh.practice_id,
            AuditEvent.Action.CHANGE,
            "left the practice",
            actor=user,
            client=fresh,
        )
        Invitation.objects.filter(client=fresh).delete()
        fresh.practice = None
        fresh.owner = None
        fresh.save(update_fields=["practice", "owner"])
    client.refresh_from_db()


# ---------------------------------------------------------------------------------------------
# The audit log


def record_list_view(membership: Membership, user: Any, what: str) -> AuditEvent:
    """Write to the audit log that ``user`` looked at the client list (one event, no client)."""
    return AuditEvent.record(membership.practice_id, AuditEvent.Action.VIEW, what, actor=user)


def audit_events(practice: Practice, client_id: int | None = None) -> QuerySet[AuditEvent]:
    """Give the practice's audit log, newest first; only one client's events with
    ``client_id``."""
    events = AuditEvent.objects.filter(practice=practice)
    if client_id is not None:
        events = events.filter(client_id=client_id)
    return events.order_by("-at", "-id")


def audited_clients(practice: Practice) -> list[tuple[int, str]]:
    """Give (id, name) of every client the practice's audit log names, for its filter: the
    practice's clients, and those who left since."""
    rows = (
        AuditEvent.objects.filter(practice=practice, client__isnull=False)
        .values_list("client_id", "client_name")
        .order_by("client_name", "client_id")
        .distinct()
    )
    seen: dict[int, str] = {}
    for pk, name in rows:
        seen.setdefault(int(pk), str(name))
    for pk, name in Client.objects.filter(practice=practice).values_list("pk", "display_name"):
        seen.setdefault(int(pk), str(name))
    return sorted(seen.items(), key=lambda item: (item[1].lower(), item[0]))
