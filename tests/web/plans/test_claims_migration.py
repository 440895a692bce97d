"""Plans stored before claims were worded for their evidence get the new wording."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from collagen_coach.core.techniques import load_library

BEFORE = [("plans", "0001_initial")]
AFTER = [("plans", "0002_reword_claims")]

OLD_TAPPING = "Light fingertip tapping along the contours of the face helps the skin."
OLD_WHY = f"Emphasis for dullness (cheeks). {OLD_TAPPING} (evidence: NONE (no study found))"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_stored_plans_claims_are_worded_for_their_evidence() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    client = apps.get_model("clients", "Client").objects.create(display_name="Ann")
    step = {"technique": "tapping", "zone": "cheeks", "why": OLD_WHY}
    program = apps.get_model("plans", "StoredProgram").objects.create(
        client=client,
        profile={},
        decision={},
        program={"sessions": [{"steps": [step]}], "daily": []},
        planner="planner@1",
    )
    row = apps.get_model("plans", "PlannedSession").objects.create(
        program=program, date=dt.date(2026, 11, 24), phase="foundation", steps=[step], duration_s=60
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    apps = executor.loader.project_state(AFTER).apps
    worded = load_library().evidence["tapping_face"].claim
    stored = apps.get_model("plans", "StoredProgram").objects.get(pk=program.pk)
    planned = apps.get_model("plans", "PlannedSession").objects.get(pk=row.pk)
    for why in (stored.program["sessions"][0]["steps"][0]["why"], planned.steps[0]["why"]):
        assert OLD_TAPPING not in why
        assert worded in why
