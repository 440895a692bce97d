"""Client operations shared by the web app and the command line."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from collagen_coach.core.planning import Profile
from collagen_coach.core.screening import Decision, Intake
from collagen_coach.web.clients.models import Client, ClientProfile, IntakeRecord

LOCAL_CLIENT_NAME = "Me"


def local_client() -> Client:
    """Give the one client of the embedded app, created on first use."""
    client, _ = Client.objects.get_or_create(
        is_local=True, defaults={"display_name": LOCAL_CLIENT_NAME}
    )
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
    return None if newest is None else Profile.model_validate(newest.profile)


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
        as_of=intake.as_of or dt.date.today(),
        consent_text=consent_text,
        consented_at=consented_at,
        recorded_by=recorded_by,
    )


def latest_intake(client: Client) -> tuple[Intake, Decision] | None:
    """Give the client's newest intake answers and their decision, or None before any."""
    newest = IntakeRecord.objects.filter(client=client).order_by("-created_at", "-id").first()
    if newest is None:
        return None
    return Intake.model_validate(newest.answers), Decision.model_validate(newest.decision)


def latest_intake_record(client: Client) -> IntakeRecord | None:
    """Give the client's newest intake as stored (answers, decision, consent, when), or None."""
    return IntakeRecord.objects.filter(client=client).order_by("-created_at", "-id").first()
