"""Client operations shared by the web app and the command line."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from collagen_coach.core.errors import UserError
from collagen_coach.core.planning import Profile
from collagen_coach.core.screening import Decision, Intake
from collagen_coach.web.clients.models import Client, ClientProfile, IntakeRecord
from collagen_coach.web.lib import dates

if TYPE_CHECKING:
    from collagen_coach.web.practice.models import Practice

LOCAL_CLIENT_NAME = "Me"
CLIENT_NAME_MAX_CHARS = 200


def local_client() -> Client:
    """Give the one client of the embedded app, created on first use."""
    client, _ = Client.objects.get_or_create(
        is_local=True, defaults={"display_name": LOCAL_CLIENT_NAME}
    )
    return client


def terminal_client(username: str | None) -> Client:
    """Give the client the command line works for: the account ``username``'s, or, unnamed, the
    embedded app's local client.

    On a shared database the account must be named: a local client there would hold records of
    nobody in particular, which the next person to sign up would take over.
    """
    if username is None:
        if settings.SHARED_DATABASE:
            raise UserError(
                "--user",
                "is needed: this database (DATABASE_URL) is shared by many accounts",
                "the user name of the account to work for, e.g. --user maria",
            )
        return local_client()
    client = Client.objects.filter(account__username=username).first()
    if client is None:
        known = get_user_model().objects.filter(username=username).exists()
        problem = "has no records of their own" if known else "is not an account here"
        raise UserError("--user", f"{username!r} {problem}", "the user name of a signed-up person")
    return client


def save_profile(client: Client, profile: Profile) -> ClientProfile:
    """Keep ``profile`` as the client's current profile; earlier versions stay in the history.

    Saving the same profile as the newest one adds nothing and gives the newest record back.
    """
    data = profile.model_dump(mode="json")
    with transaction.atomic():
        newest = ClientProfile.objects.filter(client=client).order_by("-created_at", "-id").first()
        if newest is not None and newest.profile == data:
            return newest
        return ClientProfile.objects.create(client=client, profile=data)


def latest_profile(client: Client) -> Profile | None:
    """Give the client's current profile, or None before one is saved."""
    newest = ClientProfile.objects.filter(client=client).order_by("-created_at", "-id").first()
    return None if newest is None else newest.get_profile()


def save_intake(
    client: Client,
    intake: Intake,
    decision: Decision,
    *,
    consent_text: str = "",
    consented_at: dt.datetime | None = None,
    recorded_by: Any = None,
) -> IntakeRecord:
    """Record a safety intake and the decision screening gave for it.

    ``consent_text`` and ``consented_at`` keep, with the answers, the consent the person agreed to
    and when (the web intake asks for it; the command line does not). ``recorded_by`` is the
    account that entered the answers: the client, or their practitioner on their behalf.
    """
    return IntakeRecord.objects.create(
        client=client,
        answers=intake.model_dump(mode="json"),
        decision=decision.model_dump(mode="json"),
        decision_kind=decision.decision,
        as_of=intake.as_of or dates.today(),
        consent_text=consent_text,
        consented_at=consented_at,
        recorded_by=recorded_by,
    )


def latest_intake(client: Client) -> tuple[Intake, Decision] | None:
    """Give the client's newest intake answers and their decision, or None before any."""
    newest = IntakeRecord.objects.filter(client=client).order_by("-created_at", "-id").first()
    if newest is None:
        return None
    return newest.get_intake(), newest.get_decision()


def latest_intake_record(client: Client) -> IntakeRecord | None:
    """Give the client's newest intake as stored (answers, decision, consent, when), or None."""
    return IntakeRecord.objects.filter(client=client).order_by("-created_at", "-id").first()


@dataclass(frozen=True)
class ContactDetails:
    """What a practice keeps to reach a client besides the name (every part optional)."""

    email: str = ""
    phone: str = ""
    birth_date: dt.date | None = None
    age_band: str = ""
    preferred_contact: str = ""
    contact_notes: str = ""


def add_client(
    practice: Practice,
    name: str,
    practitioner: Any = None,
    contact: ContactDetails | None = None,
) -> Client:
    """Give a new client of ``practice`` (cared for by ``practitioner``, if given), saved with
    their ``contact`` details."""
    clean = _checked_details(practice, name, practitioner)
    return Client.objects.create(
        display_name=clean,
        practice=practice,
        owner=practitioner,
        **asdict(contact or ContactDetails()),
    )


def update_client(client: Client, name: str, practitioner: Any, contact: ContactDetails) -> Client:
    """Give ``client`` (a practice's) saved with a new name, practitioner and contact details,
    checked as when the client was added; nothing is saved when one is refused."""
    assert client.practice is not None, "only a practice's client has details kept by it"
    client.display_name = _checked_details(client.practice, name, practitioner)
    client.owner = practitioner
    for field, value in asdict(contact).items():
        setattr(client, field, value)
    client.save()
    return client


def _checked_details(practice: Practice, name: str, practitioner: Any) -> str:
    """Give the client's name with its spaces tidied, or refuse it or the practitioner."""
    clean = " ".join(name.split())
    if not clean:
        raise UserError("name", "is empty", "the client's name, e.g. Cora Smith")
    if len(clean) > CLIENT_NAME_MAX_CHARS:
        raise UserError(
            "name", f"is {len(clean)} characters long", f"at most {CLIENT_NAME_MAX_CHARS}"
        )
    # The practice's members, read through its reverse relation (practices build on clients).
    if practitioner is not None and not practice.members.filter(user=practitioner).exists():
        raise UserError("practitioner", "does not work in this practice", "one of its members")
    return clean
