"""One dose, one rating, one reading corrected or deleted on its own through the API; numbers
and days the instruments cannot give refused; and progress that survives any stored value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient

from collagen_coach.web.journal.models import InstrumentReading, PeptideIntake, SelfRating
from collagen_coach.web.journal.services import log_peptides, rate

from ..builders import stored_reading
from .conftest import DAY, World, audit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Caller = Callable[..., WebClient]
JSON = "application/json"
SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 7, "sagging": 3}


def reading(client: Any, value: float = 0.71, day: dt.date = DAY, **how: Any) -> Any:
    return stored_reading(client, day, value, **how)


def entries(world: World) -> dict[str, tuple[str, Any]]:
    """One of each kind of entry of Cora's, by kind: its address and the body correcting it."""
    dose = log_peptides(world.cora, DAY, 5)
    rating = rate(world.cora, DAY, **SCORES)
    one = reading(world.cora)
    base = f"/api/clients/{world.cora.pk}"
    return {
        "peptides": (f"{base}/peptides/{dose.pk}", {"date": "2025-03-02", "grams": 7.5}),
        "ratings": (f"{base}/ratings/{rating.pk}", {**SCORES, "glow": 2}),
        "readings": (f"{base}/readings/{one.pk}", {"date": "2025-03-02", "value": 0.65}),
    }


def test_one_dose_one_rating_one_reading_are_corrected(api_as: Caller, world: World) -> None:
    corrected = {}
    for kind, (address, body) in entries(world).items():
        answer = api_as(world.pat).put(address, body, content_type=JSON)
        assert answer.status_code == 200, (kind, answer.content)
        corrected[kind] = answer.json()
    assert (corrected["peptides"]["grams"], corrected["peptides"]["date"]) == (7.5, "2025-03-02")
    assert SelfRating.objects.get(client=world.cora).glow == 2
    assert InstrumentReading.objects.get(client=world.cora).value == 0.65
    assert audit(world.cora) == [
        ("pat", "change", "peptides"),
        ("pat", "change", "self-rating"),
        ("pat", "change", "readings"),
    ]


def test_one_entry_is_deleted_and_the_others_stay(api_as: Caller, world: World) -> None:
    made = entries(world)
    log_peptides(world.cora, DAY, 3)
    for address, _ in made.values():
        assert api_as(world.cora_user).delete(address).status_code == 204
    assert list(PeptideIntake.objects.filter(client=world.cora).values_list("grams", flat=True))
    assert not SelfRating.objects.filter(client=world.cora).exists()
    assert not InstrumentReading.objects.filter(client=world.cora).exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_another_persons_entry_answers_404_and_stays(
    api_as: Caller, world: World, method: str
) -> None:
    for kind, (address, body) in entries(world).items():
        # Dora's practice's owner, and ann the self-carer, reach none of Cora's entries; nor
        # does a path that names Ann's own client with Cora's entry.
        ann_path = address.replace(f"/clients/{world.cora.pk}/", f"/clients/{world.ann.pk}/")
        for caller, path in ((world.oscar, address), (world.ann_user, ann_path)):
            call = getattr(api_as(caller), method)
            answer = call(path, body, content_type=JSON) if method == "put" else call(path)
            assert answer.status_code == 404, (kind, caller.username)
    assert PeptideIntake.objects.get(client=world.cora).grams == 5
    assert SelfRating.objects.get(client=world.cora).glow == SCORES["glow"]
    assert InstrumentReading.objects.get(client=world.cora).value == 0.71


@pytest.mark.parametrize(
    ("kind", "body", "words"),
    [
        pytest.param("readings", {"date": "2025-03-02", "value": 1e200}, "value", id="huge"),
        pytest.param("readings", {"date": "2025-03-02", "value": -0.5}, "value", id="below-0"),
        pytest.param("readings", {"date": "0001-01-01", "value": 0.7}, "date", id="year-1"),
        pytest.param("readings", {"date": "2999-01-01", "value": 0.7}, "date", id="future"),
        pytest.param("peptides", {"date": "1900-01-01", "grams": 5}, "date", id="dose-1900"),
        pytest.param("ratings", {**SCORES, "glow": 11}, "glow", id="rating-11"),
    ],
)
def test_a_value_or_day_the_instrument_cannot_give_is_refused_and_nothing_changes(
    api_as: Caller, world: World, kind: str, body: dict[str, Any], words: str
) -> None:
    address, _ = entries(world)[kind]
    answer = api_as(world.pat).put(address, body, content_type=JSON)
    assert answer.status_code in (400, 422), answer.content
    assert words in answer.content.decode()
    assert InstrumentReading.objects.get(client=world.cora).value == 0.71
    assert PeptideIntake.objects.get(client=world.cora).date == DAY


@pytest.mark.parametrize(
    ("path", "body"),
    [
        pytest.param("ratings", {"date": "0001-01-01", **SCORES}, id="rating-year-1"),
        pytest.param("peptides", {"date": "1969-12-31", "grams": 5}, id="dose-1969"),
    ],
)
def test_a_new_entry_dated_before_the_journal_window_is_refused(
    api_as: Caller, world: World, path: str, body: dict[str, Any]
) -> None:
    answer = api_as(world.cora_user).post(
        f"/api/clients/{world.cora.pk}/{path}", body, content_type=JSON
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "date"


def test_progress_survives_impossible_stored_readings(api_as: Caller, world: World) -> None:
    reading(world.cora, 1e200)
    reading(world.cora, 0.5)  # the same day: their mean once overflowed
    reading(world.cora, 0.6, dt.date(1, 1, 1))
    reading(world.cora, float("inf"), DAY - dt.timedelta(days=1), zone="jawline")

    answer = api_as(world.cora_user).get(f"/api/clients/{world.cora.pk}/progress")

    assert answer.status_code == 200, answer.content
    [series] = answer.json()["series"]
    assert series["n"] == 1
    notes = " ".join(answer.json()["notes"])
    assert "3 stored measurements left out" in notes
