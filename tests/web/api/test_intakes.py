"""/api/clients/{id}/intakes and /api/intakes/{id}: intake answers in, the screening decision
out, both kept; shown only to those who may see the client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient

from collagen_coach.web.clients.models import IntakeRecord

from .conftest import DAY, World, audit, with_intake

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Caller = Callable[..., WebClient]
JSON = "application/json"


def test_an_intake_is_screened_and_kept_with_its_decision(api_as: Caller, world: World) -> None:
    answers = {
        "age": 61,
        "medications": ["anticoagulant"],
        "procedures": [{"kind": "botulinum_toxin", "zones": ["forehead"], "date": "2025-02-28"}],
        "as_of": DAY.isoformat(),
    }

    answer = api_as(world.pat).post(
        f"/api/clients/{world.cora.pk}/intakes", answers, content_type=JSON
    )

    assert answer.status_code == 201
    body = answer.json()
    decision = body["decision"]
    assert decision["decision"] == "modify"
    assert "forehead" in decision["avoid_zones"]
    assert "pinching" in decision["exclude_techniques"]
    assert decision["max_pressure"] < 5
    assert body["answers"]["medications"] == ["anticoagulant"]
    assert (body["client_id"], body["as_of"], body["recorded_by"]) == (
        world.cora.pk,
        "2025-03-03",
        "pat",
    )
    record = IntakeRecord.objects.get(pk=body["id"])
    assert (record.decision_kind, record.recorded_by) == ("modify", world.pat)
    assert audit(world.cora) == [("pat", "change", "intake")]


def test_a_client_records_their_own_intake(api_as: Caller, world: World) -> None:
    answer = api_as(world.cora_user).post(
        f"/api/clients/{world.cora.pk}/intakes", {"age": 58}, content_type=JSON
    )

    assert answer.status_code == 201
    assert answer.json()["decision"]["decision"] == "go"
    assert answer.json()["recorded_by"] == "cora"


@pytest.mark.parametrize(
    ("answers", "status", "field"),
    [
        pytest.param({}, 422, "age", id="no-age"),
        pytest.param({"age": 17}, 422, "age", id="under-18"),
        pytest.param({"age": "58"}, 422, "age", id="age-as-text"),
        pytest.param({"age": True}, 422, "age", id="age-as-yes"),
        pytest.param({"age": 58, "conditions": ["flu"]}, 422, "conditions[0]", id="unknown"),
        pytest.param({"age": 58, "mood": "good"}, 422, "mood", id="unknown-field"),
        pytest.param(
            {"age": 58, "as_of": "2099-01-01"}, 400, "as_of", id="answers-about-the-future"
        ),
        pytest.param(
            {
                "age": 58,
                "as_of": "2025-03-03",
                "procedures": [{"kind": "laser", "zones": [], "date": "2025-04-01"}],
            },
            400,
            "procedures[0].date",
            id="procedure-after-the-answers",
        ),
    ],
)
def test_bad_answers_are_refused_naming_the_field_and_nothing_is_kept(
    api_as: Caller, world: World, answers: dict[str, Any], status: int, field: str
) -> None:
    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/intakes", answers, content_type=JSON
    )

    assert answer.status_code == status
    assert answer.json()["error"]["field"] == field
    assert IntakeRecord.objects.count() == 0


def test_an_unknown_condition_names_what_is_allowed(api_as: Caller, world: World) -> None:
    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/intakes",
        {"age": 58, "conditions": ["flu"]},
        content_type=JSON,
    )

    assert "rosacea_flare" in answer.json()["error"]["allowed"]


def test_the_intakes_are_listed_newest_first(api_as: Caller, world: World) -> None:
    older = with_intake(world.cora)
    newer = with_intake(world.cora, conditions=["sunburn"])

    answer = api_as(world.olive).get(f"/api/clients/{world.cora.pk}/intakes")

    assert [i["id"] for i in answer.json()["items"]] == [newer.pk, older.pk]
    assert answer.json()["items"][0]["decision"]["decision"] == "defer"
    assert audit(world.cora) == [("olive", "view", "intakes")]


def test_one_intake_is_shown_with_its_decision(api_as: Caller, world: World) -> None:
    record = with_intake(world.cora)

    answer = api_as(world.cora_user).get(f"/api/intakes/{record.pk}")

    assert answer.status_code == 200
    shown = ("decision", "reasons", "avoid_zones", "exclude_techniques", "max_pressure")
    assert answer.json()["decision"] == {key: record.decision[key] for key in shown} | {
        "resume_on": None
    }
    assert answer.json()["decision"]["decision"] == "go"


@pytest.mark.parametrize("who", ["ann_user", "oscar"])
def test_another_persons_intake_answers_404(api_as: Caller, world: World, who: str) -> None:
    record = with_intake(world.cora)
    caller = api_as(getattr(world, who))

    assert caller.get(f"/api/intakes/{record.pk}").status_code == 404
    assert caller.get(f"/api/clients/{world.cora.pk}/intakes").status_code == 404
    refused = caller.post(f"/api/clients/{world.cora.pk}/intakes", {"age": 58}, content_type=JSON)
    assert refused.status_code == 404
    assert IntakeRecord.objects.count() == 1
