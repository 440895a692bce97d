"""Records for the clinic tests, made through the same services the pages use."""

from __future__ import annotations

import datetime as dt
from typing import Any

TODAY = dt.date.today()


def screened(client: Any, recorded_by: Any = None, **answers: Any) -> Any:
    """Save a safety intake for ``client`` as of today, screened by the real rules."""
    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.services import save_intake

    intake = Intake(age=answers.pop("age", 58), as_of=TODAY, **answers)
    return save_intake(client, intake, screen(intake, today=TODAY), recorded_by=recorded_by)


def planned(client: Any, *, start: dt.date = TODAY, weeks: int = 8, **profile: Any) -> Any:
    """Make and save the client's plan from the newest safety check; give the StoredProgram."""
    from collagen_coach.core.planning import Profile, build_plan
    from collagen_coach.web.clients.services import latest_intake
    from collagen_coach.web.plans.services import save_program

    found = latest_intake(client)
    assert found is not None
    intake, decision = found
    made = Profile(age=intake.age, start_date=start, weeks=weeks, intake=intake, **profile)
    return save_program(client, build_plan(made, decision))
