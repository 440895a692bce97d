"""/api/clients/{id}/sessions, /journal, /peptides and /ratings: the journal through the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as WebClient

from collagen_coach.web.journal.models import (
    InstrumentReading,
    PeptideIntake,
    SelfRating,
    SessionLog,
)
from collagen_coach.web.journal.services import log_peptides, rate

from .conftest import DAY, World, audit, with_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Caller = Callable[..., WebClient]
JSON = "application/json"
SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 7, "sagging": 3}


# ---------------------------------------------------------------------------------------------
# Sessions


def test_a_session_done_in_the_clinic_is_logged_step_by_step(api_as: Caller, world: World) -> None:
    with_plan(world.cora)
    body = {
        "date": DAY.isoformat(),
        "place": "clinic",
        "steps": [{"done_s": 60}, {"done_s": 100}, {"done_s": 0, "skipped": True}, {"done_s": 90}],
        "pain": False,
        "redness": True,
        "note": "a little pink on the left cheek",
    }

    answer = api_as(world.pat).post(
        f"/api/clients/{world.cora.pk}/sessions", body, content_type=JSON
    )

    assert answer.status_code == 201
    log = SessionLog.objects.get(pk=answer.json()["id"])
    assert (log.status, log.place, log.pain, log.redness) == ("completed", "clinic", False, True)
    assert (log.done_s, log.steps_skipped) == (250, 1)
    shown = answer.json()
    assert (shown["date"], shown["done_s"], shown["planned_s"]) == ("2025-03-03", 250, 390)
    assert shown["note"] == "a little pink on the left cheek"
    assert audit(world.cora) == [("pat", "change", "session")]


def test_a_session_without_steps_counts_every_step_done_in_full(
    api_as: Caller, world: World
) -> None:
    with_plan(world.ann)

    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/sessions", {"date": DAY.isoformat()}, content_type=JSON
    )

    assert answer.status_code == 201
    assert (answer.json()["done_s"], answer.json()["place"]) == (390, "home")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        pytest.param({"date": "2025-03-04"}, 400, "date", id="no-session-planned-that-day"),
        pytest.param({"date": "2099-01-01"}, 400, "date", id="in-the-future"),
        pytest.param(
            {"date": "2025-03-03", "steps": [{"done_s": 10}]}, 400, "steps", id="too-few-steps"
        ),
        pytest.param(
            {"date": "2025-03-03", "steps": [{"done_s": 3601}] * 4},
            422,
            "steps[0].done_s",
            id="a-step-over-an-hour",
        ),
        pytest.param({"date": "2025-03-03", "place": "spa"}, 422, "place", id="unknown-place"),
        pytest.param({"date": "3 March"}, 422, "date", id="not-a-date"),
    ],
)
def test_a_bad_session_is_refused_and_nothing_is_logged(
    api_as: Caller, world: World, body: dict[str, Any], status: int, field: str
) -> None:
    with_plan(world.ann)

    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/sessions", body, content_type=JSON
    )

    assert answer.status_code == status
    assert answer.json()["error"]["field"] == field
    assert SessionLog.objects.count() == 0


def test_without_a_plan_a_session_is_refused(api_as: Caller, world: World) -> None:
    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/sessions", {"date": DAY.isoformat()}, content_type=JSON
    )

    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "program"


def test_sessions_are_listed_newest_first_a_page_at_a_time(api_as: Caller, world: World) -> None:
    with_plan(world.cora)
    caller = api_as(world.cora_user)
    for day in ("2025-03-03", "2025-03-05", "2025-03-07"):
        caller.post(f"/api/clients/{world.cora.pk}/sessions", {"date": day}, content_type=JSON)

    answer = caller.get(f"/api/clients/{world.cora.pk}/sessions", {"limit": 2})

    assert answer.json()["count"] == 3
    assert [s["date"] for s in answer.json()["items"]] == ["2025-03-07", "2025-03-05"]
    assert answer.json()["items"][0]["steps"][0] == {
        "technique": "tapping",
        "zone": "forehead",
        "side": "both",
        "planned_s": 60,
        "done_s": 60,
        "skipped": False,
    }


@pytest.mark.parametrize("who", ["ann_user", "oscar"])
def test_another_persons_sessions_answer_404(api_as: Caller, world: World, who: str) -> None:
    with_plan(world.cora)
    caller = api_as(getattr(world, who))
    url = f"/api/clients/{world.cora.pk}/sessions"

    assert caller.get(url).status_code == 404
    assert caller.post(url, {"date": DAY.isoformat()}, content_type=JSON).status_code == 404
    assert SessionLog.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Peptides and self-ratings


def test_a_peptide_dose_is_recorded(api_as: Caller, world: World) -> None:
    answer = api_as(world.cora_user).post(
        f"/api/clients/{world.cora.pk}/peptides",
        {"date": DAY.isoformat(), "grams": 2.5, "product": "bovine collagen"},
        content_type=JSON,
    )

    assert answer.status_code == 201
    assert answer.json() | {"id": 0} == {
        "id": 0,
        "date": "2025-03-03",
        "grams": 2.5,
        "product": "bovine collagen",
    }
    assert PeptideIntake.objects.get().grams == Decimal("2.50")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        pytest.param({"date": "2025-03-03", "grams": 0}, 422, "grams", id="zero"),
        pytest.param({"date": "2025-03-03", "grams": 31}, 422, "grams", id="over-thirty"),
        pytest.param({"date": "2025-03-03", "grams": 2.555}, 422, "grams", id="thousandths"),
        pytest.param({"date": "2025-03-03", "grams": "lots"}, 422, "grams", id="not-a-number"),
        pytest.param({"date": "2099-01-01", "grams": 5}, 400, "date", id="in-the-future"),
    ],
)
def test_a_bad_dose_is_refused_and_nothing_is_recorded(
    api_as: Caller, world: World, body: dict[str, Any], status: int, field: str
) -> None:
    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/peptides", body, content_type=JSON
    )

    assert answer.status_code == status
    assert answer.json()["error"]["field"] == field
    assert PeptideIntake.objects.count() == 0


def test_a_self_rating_is_recorded_and_a_second_one_that_day_replaces_it(
    api_as: Caller, world: World
) -> None:
    caller = api_as(world.ann_user)
    url = f"/api/clients/{world.ann.pk}/ratings"

    first = caller.post(url, {"date": DAY.isoformat(), **SCORES}, content_type=JSON)
    second = caller.post(url, {"date": DAY.isoformat(), **SCORES, "glow": 9}, content_type=JSON)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["glow"] == 9
    assert SelfRating.objects.get().glow == 9


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        pytest.param({"glow": 11}, 422, "glow", id="over-ten"),
        pytest.param({"sagging": -1}, 422, "sagging", id="negative"),
        pytest.param({"firmness": None}, 422, "firmness", id="missing"),
        pytest.param({"note": "x" * 2001}, 422, "note", id="long-note"),
        pytest.param({"date": "2099-01-01"}, 400, "date", id="in-the-future"),
    ],
)
def test_a_bad_rating_is_refused_and_nothing_is_recorded(
    api_as: Caller, world: World, changes: dict[str, Any], status: int, field: str
) -> None:
    body = {"date": DAY.isoformat(), **SCORES} | changes

    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/ratings", body, content_type=JSON
    )

    assert answer.status_code == status
    assert answer.json()["error"]["field"] == field
    assert SelfRating.objects.count() == 0


@pytest.mark.parametrize(
    ("what", "body"),
    [
        pytest.param("peptides", {"date": DAY.isoformat(), "grams": 5}, id="peptides"),
        pytest.param("ratings", {"date": DAY.isoformat(), **SCORES}, id="ratings"),
    ],
)
def test_another_persons_journal_cannot_be_written(
    api_as: Caller, world: World, what: str, body: dict[str, Any]
) -> None:
    answer = api_as(world.oscar).post(
        f"/api/clients/{world.cora.pk}/{what}", body, content_type=JSON
    )

    assert answer.status_code == 404
    assert PeptideIntake.objects.count() == SelfRating.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# The journal of a period


def test_the_journal_gives_a_periods_doses_ratings_and_readings(
    api_as: Caller, world: World
) -> None:
    log_peptides(world.cora, DAY, "5", "marine")
    rate(world.cora, DAY, **SCORES)
    rate(world.cora, DAY.replace(day=20), **SCORES)
    InstrumentReading.objects.create(
        client=world.cora,
        date=DAY,
        instrument="cutometer",
        parameter="R2",
        zone="cheeks",
        side="left",
        value=0.61,
        source="visit.csv",
    )

    answer = api_as(world.olive).get(
        f"/api/clients/{world.cora.pk}/journal", {"start": "2025-03-01", "end": "2025-03-10"}
    )

    assert answer.status_code == 200
    journal = answer.json()
    assert (journal["start"], journal["end"]) == ("2025-03-01", "2025-03-10")
    assert [(d["grams"], d["product"]) for d in journal["peptides"]] == [(5.0, "marine")]
    assert [r["date"] for r in journal["ratings"]] == ["2025-03-03"]
    assert [(r["parameter"], r["value"]) for r in journal["readings"]] == [("R2", 0.61)]
    assert audit(world.cora) == [("olive", "view", "journal")]


def test_the_journal_covers_the_last_thirty_days_by_default(api_as: Caller, world: World) -> None:
    answer = api_as(world.ann_user).get(f"/api/clients/{world.ann.pk}/journal")

    journal = answer.json()
    assert dt.date.fromisoformat(journal["end"]) - dt.date.fromisoformat(journal["start"]) == (
        dt.timedelta(days=29)
    )


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        pytest.param({"start": "2025-03-10", "end": "2025-03-01"}, 400, "end", id="backwards"),
        pytest.param({"start": "March"}, 422, "start", id="not-a-date"),
        pytest.param({"end": "0001-01-01"}, 200, None, id="the-first-day-of-the-calendar"),
    ],
)
def test_the_journals_period_is_checked(
    api_as: Caller, world: World, query: dict[str, Any], status: int, field: str | None
) -> None:
    answer = api_as(world.ann_user).get(f"/api/clients/{world.ann.pk}/journal", query)

    assert answer.status_code == status
    assert (answer.json().get("error") or {}).get("field") == field


def test_another_persons_journal_answers_404(api_as: Caller, world: World) -> None:
    assert api_as(world.ann_user).get(f"/api/clients/{world.cora.pk}/journal").status_code == 404
