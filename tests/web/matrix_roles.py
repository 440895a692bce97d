"""The people and records the permission matrix works with.

Two practices and two self-carers, built once for a whole test module:

- "Skin Studio": its owner olive, its practitioner pat, two clients who can sign in, cora
  (cared for by pat) and dana, and erin, who has no account yet and an invitation to make one;
- "Face Lab": its owner oscar, its practitioner quinn, and its client cleo (cared for by quinn);
- two self-carers, sam and sid.

Every person (each member too: a practitioner also has their own records, as sign-up gives
everyone) has one record of every kind: an intake, a plan, a session begun and one finished, a
progress photo (analysed), a self-rating, a peptide dose, an instrument reading and, with an
account, an API token; a practice's client also has a practitioner's note. The plan has a
session on ``PLANNED`` (a week from now), so that it can be edited.

Roles are the six kinds of visitor: ``anonymous``, ``self_carer`` (sam), ``client`` (cora),
``other_practitioner`` (quinn, a practitioner of Face Lab), ``practitioner`` (pat) and ``owner``
(olive). Each role's "own" and "other" records depend on what an address is about:

- a person's own pages (``PERSON`` scope: the journal, photos, ...): their own records, or
  someone else's (a self-carer: sid's; a client: dana's, of the same practice; a member: a client
  of their practice, whom they care for but whose own pages are not theirs);
- a practice's client (``PRACTICE`` scope: the clinic pages, the API's clients): a client of
  the role's practice (a self-carer or a client: their own client record), or a client of
  another practice (a self-carer or a client: cora, or cleo for cora herself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROLES = ("anonymous", "self_carer", "client", "other_practitioner", "practitioner", "owner")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
MEMBERS = frozenset({"other_practitioner", "practitioner", "owner"})
OWNERS = frozenset({"owner"})
PERSON, PRACTICE = "person", "practice"
PASSWORD = "a long passphrase 1"
FACE = Path(__file__).resolve().parents[1] / "fixtures" / "faces" / "obama-720p.jpg"
DAY = dt.date(2025, 3, 3)
PLANNED = dt.date.today() + dt.timedelta(days=7)


@dataclass
class Records:
    """One person's records, one of each kind (ids are what addresses name)."""

    client: Any
    user: Any | None
    intake: Any
    program: Any
    session_log: Any  # begun, not finished
    done_log: Any  # finished
    photo: Any  # analysed
    rating: Any
    peptide: Any
    reading: Any
    api_token: Any | None = None  # with an account
    api_token_value: str = ""
    note: Any | None = None  # a practitioner's SOAP note (practice clients only)
    invitation_token: str = ""  # an invitation not taken up yet (clients without an account)


@dataclass
class Tenants:
    """Everyone in the matrix: the accounts of the roles and whose records each role uses."""

    users: dict[str, Any]
    practices: dict[str, Any]
    people: dict[str, Records]  # by username
    tokens: dict[str, str]  # API token by role
    own_and_other: dict[tuple[str, str], dict[str, Records]] = field(default_factory=dict)

    def records(self, scope: str, role: str, tenancy: str) -> Records:
        """Give the records a role's request names: ``scope`` PERSON or PRACTICE, ``tenancy``
        "own" or "other" (anonymous: cora's, or sam's for a person's own pages); ``scope`` may
        also name one person (e.g. "erin"), whose records every role then uses."""
        if scope in self.people:
            return self.people[scope]
        return self.own_and_other[(scope, role)][tenancy]


# Whose records each role's "own" and "other" are, by scope (usernames).
OWN_AND_OTHER: dict[tuple[str, str], tuple[str, str]] = {
    (PERSON, "anonymous"): ("sam", "sid"),
    (PERSON, "self_carer"): ("sam", "sid"),
    (PERSON, "client"): ("cora", "dana"),
    (PERSON, "other_practitioner"): ("quinn", "cleo"),
    (PERSON, "practitioner"): ("pat", "cora"),
    (PERSON, "owner"): ("olive", "cora"),
    (PRACTICE, "anonymous"): ("cora", "cleo"),
    (PRACTICE, "self_carer"): ("sam", "cora"),
    (PRACTICE, "client"): ("cora", "cleo"),
    (PRACTICE, "other_practitioner"): ("cleo", "cora"),
    (PRACTICE, "practitioner"): ("cora", "cleo"),
    (PRACTICE, "owner"): ("cora", "cleo"),
}
ROLE_USER = {
    "self_carer": "sam",
    "client": "cora",
    "other_practitioner": "quinn",
    "practitioner": "pat",
    "owner": "olive",
}


def _person(username: str) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from collagen_coach.web.clients.models import Client

    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    return user, Client.objects.create(display_name=username.title(), account=user)


def _records(client: Any, user: Any | None, photo: bytes, author: Any | None = None) -> Records:
    """Give ``client`` one record of every kind."""
    from django.utils import timezone

    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.services import save_intake
    from collagen_coach.web.journal.models import InstrumentReading
    from collagen_coach.web.journal.services import (
        finish_session_log,
        log_peptides,
        rate,
        start_session_log,
    )
    from collagen_coach.web.photos.services import analyse, store_photo
    from collagen_coach.web.plans.services import save_program
    from collagen_coach.web.practice.models import ApiToken, Invitation, SessionNote
    from web import builders

    intake = Intake(age=58, as_of=DAY)
    intake_record = save_intake(
        client,
        intake,
        screen(intake, today=DAY),
        consent_text="I agree.",
        consented_at=timezone.now(),
    )
    dates = [DAY, DAY + dt.timedelta(days=2), PLANNED]
    program = save_program(client, builders.program(start=DAY, dates=dates))
    done = finish_session_log(start_session_log(client, DAY, program), pain=False, redness=False)
    begun = start_session_log(client, DAY + dt.timedelta(days=2), program)
    records = Records(
        client=client,
        user=user,
        intake=intake_record,
        program=program,
        session_log=begun,
        done_log=done,
        photo=analyse(store_photo(client, photo, "me.jpg", DAY)),
        rating=rate(client, DAY, firmness=5, elasticity=5, fine_lines=5, glow=5, sagging=5),
        peptide=log_peptides(client, DAY, 5),
        reading=InstrumentReading.objects.create(
            client=client,
            date=DAY,
            instrument="cutometer",
            parameter="R2",
            zone="cheeks",
            side="left",
            value=0.71,
            source="cutometer.csv",
        ),
    )
    if user is not None:
        records.api_token_value, digest = ApiToken.new_token()
        records.api_token = ApiToken.objects.create(user=user, name="matrix", token_sha256=digest)
    if client.practice_id is not None:
        records.note = SessionNote.objects.create(
            client=client,
            session_log=done,
            author=author,
            subjective="Feels tight on the left.",
            objective="Mild redness, left cheek.",
            assessment="Tolerating the routine.",
            plan="Keep pressure at 2.",
            shared_with_client=True,
        )
    if client.practice_id is not None and user is None:
        token, digest = Invitation.new_token()
        Invitation.objects.create(
            practice_id=client.practice_id,
            client=client,
            token_sha256=digest,
            created_by=author,
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
        records.invitation_token = token
    return records


def build_tenants() -> Tenants:
    """Make both practices, their members and clients, the self-carers, and all their records."""
    from collagen_coach.web.clients.models import Client
    from collagen_coach.web.practice.models import Membership, Practice, Role

    photo = FACE.read_bytes()
    users: dict[str, Any] = {}
    clients: dict[str, Any] = {}
    for username in ("olive", "pat", "cora", "dana", "oscar", "quinn", "cleo", "sam", "sid"):
        users[username], clients[username] = _person(username)
    studio = Practice.objects.create(name="Skin Studio")
    lab = Practice.objects.create(name="Face Lab")
    for practice, username, role in (
        (studio, "olive", Role.OWNER),
        (studio, "pat", Role.PRACTITIONER),
        (lab, "oscar", Role.OWNER),
        (lab, "quinn", Role.PRACTITIONER),
    ):
        Membership.objects.create(practice=practice, user=users[username], role=role)
    carers = {
        "cora": (studio, "pat"),
        "dana": (studio, "olive"),
        "erin": (studio, "pat"),
        "cleo": (lab, "quinn"),
    }
    clients["erin"] = Client.objects.create(display_name="Erin")
    for username, (practice, practitioner) in carers.items():
        client = clients[username]
        client.practice, client.owner = practice, users[practitioner]
        client.save()
    people = {
        username: _records(
            clients[username],
            users.get(username),
            photo,
            author=users[carers[username][1]] if username in carers else None,
        )
        for username in clients
    }
    tokens = {role: people[username].api_token_value for role, username in ROLE_USER.items()}
    tenants = Tenants(
        users={role: users[username] for role, username in ROLE_USER.items()},
        practices={"studio": studio, "lab": lab},
        people=people,
        tokens=tokens,
    )
    for (scope, visitor), (own, other) in OWN_AND_OTHER.items():
        tenants.own_and_other[(scope, visitor)] = {"own": people[own], "other": people[other]}
    return tenants
