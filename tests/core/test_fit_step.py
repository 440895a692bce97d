"""A step planned earlier, played later: fitted to the screening of the day it is played."""

from __future__ import annotations

import datetime as dt

import pytest

from collagen_coach.core.plan_checks import fit_session, fit_step
from collagen_coach.core.planning import Session, Step
from collagen_coach.core.screening import Decision, Intake, Procedure, screen
from collagen_coach.core.techniques import load_library

DAY = dt.date(2026, 11, 24)
LIBRARY = load_library()


def step(technique: str = "circular_motions", zone: str = "cheeks", pressure: int = 2) -> Step:
    known = LIBRARY.techniques[technique]
    return Step(
        technique=technique,
        zone=zone,
        side="both",
        duration_s=60,
        pressure=pressure,
        tempo_value=known.tempo.value,
        tempo_unit=known.tempo.unit,
        tempo_cue=known.tempo.cue,
        why="planned earlier",
    )


def screened(medications: tuple[str, ...] = (), procedures: tuple[Procedure, ...] = ()) -> Decision:
    intake = Intake(age=58, medications=list(medications), procedures=list(procedures), as_of=DAY)
    return screen(intake, today=DAY)


FILLER_IN_CHEEKS = Procedure(
    kind="dermal_filler", zones=["cheeks"], date=DAY - dt.timedelta(days=3)
)

# (planned step, screening on the day, pressure it is played at or None when left out)
CASES = [
    pytest.param(step(pressure=3), screened(), 3, id="nothing-new-keeps-the-plan"),
    pytest.param(step(pressure=3), screened(("anticoagulant",)), 2, id="pressure-lowered-to-cap"),
    pytest.param(
        step("fascial_stretch", "jawline", 3), screened(("anticoagulant",)), 2, id="cap-still-fits"
    ),
    pytest.param(
        step(), screened(procedures=(FILLER_IN_CHEEKS,)), None, id="avoided-zone-left-out"
    ),
    pytest.param(
        step("pinching", "chin"), screened(("anticoagulant",)), None, id="excluded-technique-out"
    ),
    pytest.param(step("tapping", "under_eye", 5), screened(), 1, id="zone-cap-always-holds"),
]


@pytest.mark.parametrize(("planned", "decision", "pressure"), CASES)
def test_a_step_is_fitted_to_the_screening_of_the_day(
    planned, decision: Decision, pressure: int | None
) -> None:
    fitted, reasons = fit_step(planned, decision, LIBRARY, DAY)

    assert (fitted.pressure if fitted else None) == pressure
    assert bool(reasons) == (fitted is None)


def test_a_session_keeps_the_steps_the_screening_allows_in_order() -> None:
    session = Session(
        date=DAY,
        phase="foundation",
        steps=[step(zone="forehead"), step(zone="cheeks"), step(zone="jawline")],
    )

    fitted, reasons = fit_session(session, screened(procedures=(FILLER_IN_CHEEKS,)), LIBRARY, DAY)

    assert [s.zone for s in fitted.steps] == ["forehead", "jawline"]
    (reason,) = reasons
    assert "cheek" in reason.lower()
