"""/api/clients/{id}/plan: the current program, and a new one made from a profile and the newest
screening decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.test import Client as WebClient

from collagen_coach.core import trials
from collagen_coach.web.plans.models import StoredProgram

from .conftest import World, audit, with_intake, with_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Caller = Callable[..., WebClient]
JSON = "application/json"


def _profile(**changes: Any) -> dict[str, Any]:
    return {
        "age": 58,
        "concerns": ["sagging"],
        "minutes_per_day": 10,
        "start_date": dt.date.today().isoformat(),
        "weeks": 8,
    } | changes


def test_a_plan_is_made_from_the_profile_and_the_newest_decision(
    api_as: Caller, world: World
) -> None:
    with_intake(world.cora, medications=["anticoagulant"])

    answer = api_as(world.pat).post(
        f"/api/clients/{world.cora.pk}/plan", _profile(), content_type=JSON
    )

    assert answer.status_code == 201
    program = answer.json()["program"]
    assert program["decision"]["decision"] == "modify"
    assert program["profile"]["weeks"] == 8
    assert len(program["sessions"]) == 8 * 5
    steps = [step for session in program["sessions"] for step in session["steps"]]
    assert max(step["pressure"] for step in steps) <= program["decision"]["max_pressure"]
    assert not any(step["technique"] == "pinching" for step in steps)
    stored = StoredProgram.objects.get(client=world.cora, is_current=True)
    assert answer.json()["id"] == stored.pk
    assert audit(world.cora) == [("pat", "change", "plan")]


def test_a_plan_can_begin_with_a_baseline_week(api_as: Caller, world: World) -> None:
    with_intake(world.cora)
    today = dt.date.today()

    answer = api_as(world.pat).post(
        f"/api/clients/{world.cora.pk}/plan", _profile(baseline_week=True), content_type=JSON
    )

    assert answer.status_code == 201
    program = answer.json()["program"]
    assert program["baseline_days"] == [
        (today + dt.timedelta(days=n)).isoformat() for n in (0, 2, 4)
    ]
    assert program["sessions"][0]["date"] == (today + dt.timedelta(days=5)).isoformat()


def test_the_current_plan_is_shown(api_as: Caller, world: World) -> None:
    stored = with_plan(world.ann)

    answer = api_as(world.ann_user).get(f"/api/clients/{world.ann.pk}/plan")

    assert answer.status_code == 200
    assert answer.json()["id"] == stored.pk
    assert [s["date"] for s in answer.json()["program"]["sessions"]] == [
        "2025-03-03",
        "2025-03-05",
        "2025-03-07",
    ]


def test_before_the_first_plan_the_plan_answers_404(api_as: Caller, world: World) -> None:
    answer = api_as(world.ann_user).get(f"/api/clients/{world.ann.pk}/plan")

    assert answer.status_code == 404
    assert answer.json() == {"detail": "this client has no plan yet"}


@pytest.mark.parametrize(
    ("intake", "profile", "status", "field"),
    [
        pytest.param(None, _profile(), 400, "intake", id="no-intake-yet"),
        pytest.param({"conditions": ["fever"]}, _profile(), 400, "intake", id="deferred"),
        pytest.param({}, _profile(start_date="2000-01-01"), 400, "start_date", id="long-ago"),
        pytest.param({}, _profile(start_date="2999-01-01"), 400, "start_date", id="far-ahead"),
        pytest.param({}, _profile(weeks=53), 422, "weeks", id="too-many-weeks"),
        pytest.param({}, _profile(concerns=["warts"]), 422, "concerns[0]", id="unknown-concern"),
        pytest.param({}, _profile(intake={"age": 58}), 422, "intake", id="intake-in-profile"),
        pytest.param(
            {}, _profile(schedule="on_off", weeks=6), 400, "profile", id="on-off-too-short"
        ),
    ],
)
def test_a_plan_that_cannot_be_made_is_refused_and_the_old_one_stays(
    api_as: Caller,
    world: World,
    intake: dict[str, Any] | None,
    profile: dict[str, Any],
    status: int,
    field: str,
) -> None:
    if intake is not None:
        with_intake(world.ann, **intake)
    old = with_plan(world.ann)

    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/plan", profile, content_type=JSON
    )

    assert answer.status_code == status
    assert answer.json()["error"]["field"] == field
    assert StoredProgram.objects.get(client=world.ann, is_current=True) == old


def test_a_deferred_client_is_told_until_when(api_as: Caller, world: World) -> None:
    with_intake(world.ann, conditions=["fever"])

    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/plan", _profile(), content_type=JSON
    )

    assert "says defer: no massage plan until 20" in answer.json()["error"]["problem"]


@pytest.mark.parametrize("who", ["ann_user", "oscar"])
def test_another_persons_plan_answers_404(api_as: Caller, world: World, who: str) -> None:
    with_intake(world.cora)
    with_plan(world.cora)
    caller = api_as(getattr(world, who))

    assert caller.get(f"/api/clients/{world.cora.pk}/plan").status_code == 404
    refused = caller.post(f"/api/clients/{world.cora.pk}/plan", _profile(), content_type=JSON)
    assert refused.status_code == 404
    assert StoredProgram.objects.filter(client=world.cora).count() == 1


def test_a_plan_with_the_side_drawn_and_an_on_off_schedule(api_as: Caller, world: World) -> None:
    with_intake(world.ann)
    with mock.patch.object(trials.secrets, "choice", return_value="right"):
        answer = api_as(world.ann_user).post(
            f"/api/clients/{world.ann.pk}/plan",
            _profile(treated_side="draw", schedule="on_off"),
            content_type=JSON,
        )

    assert answer.status_code == 201
    program = answer.json()["program"]
    assert program["profile"]["treated_side"] == "right"
    assert program["profile"]["side_draw"]["side"] == "right"
    assert program["profile"]["side_draw"]["how"] == "drawn"
    assert len(program["off_spans"]) == 2
    assert len(program["sessions"]) == 4 * 5
