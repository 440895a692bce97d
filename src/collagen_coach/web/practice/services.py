"""Practice operations: starting a practice, its members, inviting a client to their own
account, a client leaving, and the audit log. The client list and the practice's day are in
``listing`` and ``attention``."""

from __future__ import annotations

import datetime as dt
import secrets
import smtplib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.changes import records_changed
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


def invitation_email(invitation: Invitation, link: str) -> tuple[str, str]:
    """Give the subject and the text of the email that carries ``link`` to the invited client."""
    practice, client = invitation.practice, invitation.client
    subject = f"{practice.name} invites you to see your plan and records"
    body = (
        f"Hello {client.display_name},\n\n"
        f"{practice.name} keeps your massage plan and records in collagen-coach. With your own "
        "account you see the plan they give you, do your home sessions, and read the notes "
        "they share with you.\n\n"
        f"To make your account, or to join with the one you have, open this link:\n\n{link}\n\n"
        f"It works once, until {invitation.expires_at:%d %B %Y}. If you have your own records in "
        "collagen-coach already, the link asks before it shares any of them with "
        f"{practice.name}.\n\n"
        f"If you did not expect this, ignore it: nothing happens without you.\n\n"
        f"{practice.name}\n"
    )
    return subject, body


def send_invitation(invitation: Invitation, link: str, to: str, by: Any) -> None:
    """Send ``link`` to ``to`` by email (Django's email backend, from ``DEFAULT_FROM_EMAIL``) and
    keep the sending in the practice's audit log.

    Raises UserError, naming the problem, when the mail server refuses or cannot be reached.
    """
    subject, body = invitation_email(invitation, link)
    try:
        send_mail(subject, body, None, [to])
    except (OSError, smtplib.SMTPException) as exc:
        raise UserError(
            "email",
            f"the email to {to} could not be sent ({exc.__class__.__name__}: {exc})",
            "copy the link instead and send it yourself, or try again later",
        ) from exc
    AuditEvent.record(
        invitation.practice_id,
        AuditEvent.Action.CHANGE,
        f"invitation link sent by email to {to}",
        actor=by,
        client=invitation.client,
    )


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
    return None  # a self-carer with her own history may join, sharing it if she consents


def history_to_share(user: Any) -> list[tuple[str, int]]:
    """Give what the signed-in self-carer's own records hold, kind by kind (empty: nothing), as
    the practice would see it if she joins with them."""
    own = Client.objects.filter(account=user, practice__isnull=True).first()
    return [] if own is None else record_counts(own)


def history_consent_text(practice_name: str, history: list[tuple[str, int]]) -> str:
    """Give the consent a self-carer gives to bring her records into ``practice_name``, word for
    word (it is kept in the practice's audit log)."""
    held = "; ".join(f"{n} {name}" for name, n in history)
    return (
        f"I share my own collagen-coach records ({held}) with {practice_name}: its "
        "practitioners will see them and add to them, as they do for every client. I may "
        "leave the practice whenever I like, and keep every record."
    )


def accept_invitation(
    token: str, user: Any, now: dt.datetime | None = None, *, share_history: bool = False
) -> Client:
    """Make ``user``'s account the account of the invited client; give that client.

    An account with no history of its own: its empty records (made at sign-up) go, and the
    account takes the invited client's records. An account that keeps a self-carer's own
    history joins only with ``share_history`` (her consent): her record becomes the practice's
    client, keeping all of it (see :func:`_bring_history`). Raises UserError, changing nothing,
    for a link that does not work or an account that cannot take it up (see
    :func:`refusal_for`).
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
        history = history_to_share(user)
        if history and not share_history:
            raise UserError(
                "consent",
                "this account keeps your own records, and you have not agreed to share them",
                "agree to share them with the practice, or decline",
            )
        if history:
            client = _bring_history(client, user, invitation, history)
        else:
            Client.objects.filter(account=user).delete()  # empty: history_to_share checked it
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


# Cached figures about a client (worked out again from the records when needed).
_WORKED_OUT_AGAIN = frozenset(
    {"progress.progresspart", "progress.progresspage", "progress.progressseries"}
)


def _bring_history(placeholder: Client, user: Any, invitation: Invitation, history: Any) -> Client:
    """Make the self-carer's own record the practice's client that ``placeholder`` stood for:
    what the practice entered so far (safety checks, plans, notes, its audit lines) moves onto
    her record, her own records stay as they are, and the placeholder goes. Her plan stays her
    current one when she has one. The consent is kept in the practice's audit log, with what
    her records held.
    """
    own = Client.objects.select_for_update().get(account=user, practice__isnull=True)
    if own.programs.filter(is_current=True).exists():
        placeholder.programs.filter(is_current=True).update(is_current=False)
    try:
        with transaction.atomic():
            for relation in Client._meta.related_objects:
                model = relation.related_model
                assert isinstance(model, type)
                where = {relation.field.name: placeholder}
                if model._meta.label_lower in _WORKED_OUT_AGAIN:
                    model._default_manager.filter(**where).delete()
                elif relation.one_to_many:
                    model._default_manager.filter(**where).update(**{relation.field.name: own})
            records_changed(own.pk)
    except IntegrityError as exc:
        raise UserError(
            "records",
            "your own records and the practice's hold an entry for the same day "
            "(a rating or a measurement), so they cannot be put together",
            "ask your practitioner to remove theirs, then open the link again",
        ) from exc
    for name in ("email", "phone", "birth_date", "age_band", "preferred_contact", "contact_notes"):
        if not getattr(own, name):
            setattr(own, name, getattr(placeholder, name))
    own.display_name = placeholder.display_name
    own.practice_id = invitation.practice_id
    own.owner = placeholder.owner
    own.save()
    placeholder.delete()
    AuditEvent.record(
        invitation.practice_id,
        AuditEvent.Action.CHANGE,
        # The audit line is short: the practice, then as much of what was shared as fits.
        f"consented on joining to share their own records with {invitation.practice.name}: "
        + "; ".join(f"{n} {name}" for name, n in history),
        actor=user,
        client=own,
    )
    return own


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
