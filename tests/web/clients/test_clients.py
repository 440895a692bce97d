"""Clients, their profile history and their safety intakes, as stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from collagen_coach.core.planning import Profile
from collagen_coach.core.screening import Decision, Intake, Procedure, Restriction
from collagen_coach.web.clients.models import Client, ClientProfile, IntakeRecord
from collagen_coach.web.clients.services import (
    latest_intake,
    latest_profile,
    local_client,
    save_intake,
    save_profile,
)

from ..builders import START, go_decision

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _modify_decision() -> Decision:
    return Decision(
        decision="modify",
        reasons=["Botulinum toxin in the forehead 4 days ago: leave that zone alone for 14 days."],
        avoid_zones=["forehead"],
        exclude_techniques=[],
        max_pressure=3,
        resume_on=dt.date(2025, 3, 14),
        restrictions=[
            Restriction(
                rule="botox_recent",
                decision="modify",
                reason="recent botulinum toxin",
                avoid_zones=["forehead"],
                until=dt.date(2025, 3, 14),
            )
        ],
    )


def test_local_client_is_created_once_and_reused() -> None:
    first = local_client()
    second = local_client()
    assert first.pk == second.pk
    assert Client.objects.count() == 1
    assert first.is_local
    assert first.owner is None


def test_database_allows_only_one_local_client() -> None:
    local_client()
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.create(display_name="another me", is_local=True)


def test_a_practice_holds_many_clients_beside_the_local_one() -> None:
    practitioner = User.objects.create_user("therapist")
    for name in ("Ana", "Ben"):
        Client.objects.create(display_name=name, owner=practitioner)
    local_client()
    assert Client.objects.filter(owner=practitioner).count() == 2
    assert Client.objects.filter(is_local=True).count() == 1


def test_a_practitioner_holding_clients_cannot_be_deleted() -> None:
    practitioner = User.objects.create_user("therapist")
    Client.objects.create(display_name="Ana", owner=practitioner)
    with pytest.raises(ProtectedError):
        practitioner.delete()


def test_saved_intake_keeps_answers_and_decision_exactly() -> None:
    client = local_client()
    intake = Intake(
        age=58,
        conditions=["fragile_skin"],
        procedures=[
            Procedure(kind="botulinum_toxin", zones=["forehead"], date=dt.date(2025, 2, 28))
        ],
        as_of=START,
    )
    decision = _modify_decision()
    record = save_intake(client, intake, decision)
    record.refresh_from_db()
    assert record.decision_kind == "modify"
    assert record.as_of == START
    assert latest_intake(client) == (intake, decision)


def test_intake_without_its_own_date_is_dated_today() -> None:
    record = save_intake(local_client(), Intake(age=61), go_decision())
    assert record.as_of == dt.date.today()


def test_latest_intake_is_the_newest_one() -> None:
    client = local_client()
    save_intake(client, Intake(age=58, as_of=START), _modify_decision())
    save_intake(client, Intake(age=58, as_of=START + dt.timedelta(days=20)), go_decision())
    newest = latest_intake(client)
    assert newest is not None
    assert newest[1].decision == "go"
    assert IntakeRecord.objects.filter(client=client).count() == 2


def test_no_intake_or_profile_before_the_first_one_is_saved() -> None:
    client = local_client()
    assert latest_intake(client) is None
    assert latest_profile(client) is None


def test_database_refuses_an_unknown_decision_kind() -> None:
    client = local_client()
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeRecord.objects.create(
            client=client, answers={}, decision={}, decision_kind="maybe", as_of=START
        )


def test_a_changed_profile_is_current_and_the_earlier_one_stays_in_history() -> None:
    client = local_client()
    first = Profile(age=58, start_date=START, minutes_per_day=10)
    changed = first.model_copy(update={"minutes_per_day": 15})
    save_profile(client, first)
    save_profile(client, changed)
    assert latest_profile(client) == changed
    assert ClientProfile.objects.filter(client=client).count() == 2


def test_saving_the_same_profile_again_adds_no_history() -> None:
    client = local_client()
    profile = Profile(age=58, start_date=START, concerns=["fine_lines"])
    first = save_profile(client, profile)
    again = save_profile(client, profile)
    assert again.pk == first.pk
    assert ClientProfile.objects.filter(client=client).count() == 1
