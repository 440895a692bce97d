"""/api/clients/{id}/progress: the same analysis, in the same JSON, as
``collagen-coach progress --json``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client as WebClient

from collagen_coach.web.journal.services import rate
from collagen_coach.web.lib.dates import today
from collagen_coach.web.progress.services import journal_progress
from web.history import make_history

from .conftest import DAY, World, audit, with_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Caller = Callable[..., WebClient]


def _ten_weeks_of_ratings(client: object) -> None:
    for week in range(-1, 10):
        for day in (0, 3):
            when = DAY + dt.timedelta(weeks=week, days=day)
            glow = 4 + max(0, week) // 3
            rate(client, when, firmness=5, elasticity=5, fine_lines=4, glow=glow, sagging=3)  # type: ignore[arg-type]


def test_progress_is_the_same_json_as_the_command_lines(api_as: Caller, world: World) -> None:
    with_plan(world.cora)
    _ten_weeks_of_ratings(world.cora)

    answer = api_as(world.pat).get(f"/api/clients/{world.cora.pk}/progress")

    assert answer.status_code == 200
    expected = journal_progress(world.cora, today()).result.as_json()
    assert answer.json() == json.loads(json.dumps(expected))
    assert {s["metric"] for s in answer.json()["series"]} == {
        "firmness",
        "elasticity",
        "fine_lines",
        "glow",
        "sagging",
    }
    assert audit(world.cora) == [("pat", "view", "progress")]


def test_with_nothing_measured_progress_says_so(api_as: Caller, world: World) -> None:
    answer = api_as(world.ann_user).get(f"/api/clients/{world.ann.pk}/progress")

    assert answer.status_code == 200
    assert answer.json()["series"] == []


def test_a_split_face_side_must_be_left_or_right(api_as: Caller, world: World) -> None:
    answer = api_as(world.ann_user).get(
        f"/api/clients/{world.ann.pk}/progress", {"treated_side": "both"}
    )

    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "treated_side"


def test_another_persons_progress_answers_404(api_as: Caller, world: World) -> None:
    assert api_as(world.oscar).get(f"/api/clients/{world.cora.pk}/progress").status_code == 404


def test_an_exploratory_measure_is_marked_and_kept_out_of_the_concerns(
    api_as: Caller, world: World
) -> None:
    make_history(world.cora, today=today(), days=84, photos=12)

    answer = api_as(world.pat).get(f"/api/clients/{world.cora.pk}/progress")

    assert answer.status_code == 200
    series = answer.json()["series"]
    length = [
        (s["verdict"], s["exploratory"]) for s in series if s["metric"] == "line_length_cm_per_cm2"
    ]
    wrinkles = {s["exploratory"] for s in series if s["metric"] == "wrinkle_index"}
    fine_lines = next(c for c in answer.json()["concerns"] if c["concern"] == "fine_lines")
    assert length
    assert set(length) == {("exploratory", True)}
    assert wrinkles == {False}
    assert fine_lines["exploratory_series"] == len(length)
