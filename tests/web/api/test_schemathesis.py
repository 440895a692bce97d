"""The API against its own schema: schemathesis calls every operation with generated input, as a
practitioner whose client has a full record, and checks that nothing answers 5xx and that every
answer matches the schema (/api/openapi.json)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from collagen_coach.web.journal.models import InstrumentReading
from collagen_coach.web.journal.services import log_peptides, rate
from collagen_coach.web.photos.services import analyse, store_photo
from collagen_coach.web.wsgi import application

from .conftest import DAY, World, log_session, with_intake, with_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.slow]

FACE = Path(__file__).resolve().parents[2] / "fixtures" / "faces" / "obama-720p.jpg"
EXAMPLES_PER_OPERATION = 20

# The records the generated ids are steered to: most calls then reach a real record (its
# success and its refusals), the rest an id of another practice's client or of nobody.
RECORDS: dict[str, list[int]] = {}
HEADERS: dict[str, str] = {}


# Read from the app itself, as a program would (the schema needs no sign-in and no database).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def connection_kept_open() -> Iterator[None]:
    """Keep the test's database connection open across the app's requests, as Django's own test
    client does: closing "old" connections at the end of a request would close the test's."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(world: World, token_for: Callable[..., str], connection_kept_open: None) -> None:
    """A practitioner's token, and a client of theirs (Cora) who has an intake, a plan, a session,
    peptides, ratings, a reading and an analysed photo."""
    with_intake(world.cora)
    with_plan(world.cora)
    log_session(world.cora, DAY)
    dose = log_peptides(world.cora, DAY, "5")
    for week in range(3):
        day = DAY + dt.timedelta(weeks=week)
        rate(world.cora, day, firmness=5, elasticity=5, fine_lines=4, glow=5 + week, sagging=3)
    reading = InstrumentReading.objects.create(
        client=world.cora,
        date=DAY,
        instrument="cutometer",
        parameter="R2",
        zone="cheeks",
        side="left",
        value=0.6,
        source="visit.csv",
    )
    photo = analyse(store_photo(world.cora, FACE.read_bytes(), "me.jpg", DAY))
    intake = world.cora.intakes.get()
    RECORDS.clear()
    RECORDS.update(
        client_id=[world.cora.pk, world.cora.pk, world.cora.pk, world.dora.pk],
        intake_id=[intake.pk, intake.pk, intake.pk],
        photo_id=[photo.pk, photo.pk, photo.pk],
        dose_id=[dose.pk, dose.pk, dose.pk],
        rating_id=[world.cora.self_ratings.earliest("date").pk] * 3,
        reading_id=[reading.pk, reading.pk, reading.pk],
    )
    HEADERS.clear()
    HEADERS["Authorization"] = f"Bearer {token_for(world.pat)}"


def _steer(case: Any) -> None:
    """Point most generated ids at the records made for the run, and most plans' first days
    near today (a random day is almost always refused)."""
    parameters = case.path_parameters or {}
    for name, value in parameters.items():
        known = RECORDS.get(name)
        if known and isinstance(value, int) and value % 5 != 0:
            parameters[name] = known[value % len(known)]
    body = case.body
    if isinstance(body, dict) and "start_date" in body and len(repr(body)) % 5 != 0:
        body["start_date"] = dt.date.today().isoformat()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_within_its_schema(
    case: Any, records: None
) -> None:
    _steer(case)
    case.call_and_validate(
        headers=HEADERS, checks=[not_a_server_error, response_schema_conformance]
    )
