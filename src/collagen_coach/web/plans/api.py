"""The API's plans: a client's current program, and a new one made from a profile and the
newest screening decision."""

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict
from pydantic import ValidationError as PydanticValidationError

from collagen_coach.core.errors import UserError
from collagen_coach.core.planning import (
    START_AHEAD_DAYS,
    START_BACK_DAYS,
    Profile,
    Program,
    build_plan,
    check_start_date,
    validation_to_user_error,
)
from collagen_coach.core.techniques import Concern, Experience
from collagen_coach.core.trials import BLOCK_WEEKS, MIN_ON_OFF_WEEKS, settle_side
from collagen_coach.web.clients.access import changed, client_or_404, viewed
from collagen_coach.web.clients.services import latest_intake_record, latest_profile
from collagen_coach.web.lib.api import PathId, answers
from collagen_coach.web.lib.dates import today
from collagen_coach.web.plans.models import StoredProgram
from collagen_coach.web.plans.services import current_stored_program, save_program

router = Router(tags=["plans"])


class PlanOut(Schema):
    """A stored program: when it was made, and the program whole (phases, sessions, steps)."""

    id: int
    client_id: int
    created_at: dt.datetime
    program: Program


class ProfileIn(Schema):
    """What a plan is made for (``collagen-coach plan`` reads the same, less the intake: the
    client's newest intake is used)."""

    model_config = ConfigDict(extra="forbid")

    age: int = Field(ge=18, le=110)
    concerns: list[Concern] = Field(default_factory=list)
    experience: Experience = "new"
    minutes_per_day: int = Field(10, ge=3, le=60)
    days_per_week: int = Field(5, ge=1, le=7)
    sensitivity: Literal["low", "normal", "high"] = "normal"
    wants_peptides: bool = False
    start_date: dt.date = Field(
        description=f"The plan's first day: from {START_BACK_DAYS} days ago to "
        f"{START_AHEAD_DAYS} days ahead."
    )
    weeks: int = Field(12, ge=4, le=52)
    treated_side: Literal["both", "draw", "left", "right"] = Field(
        "both",
        description="A split-face trial massages one side only; the other is the control. "
        "'draw' draws the side at random (recommended); 'left' or 'right' records it as chosen. "
        "The plan's profile.side_draw keeps which side, when, and whether drawn or chosen; "
        "'draw' again keeps the side drawn before.",
    )
    schedule: Literal["steady", "on_off"] = Field(
        "steady",
        description=f"'on_off': blocks of {BLOCK_WEEKS} weeks with massage and without, in turn "
        f"(at least {MIN_ON_OFF_WEEKS} weeks); measurements in the off blocks have phase 'off'.",
    )
    baseline_week: bool = Field(
        False,
        description="Begin with a baseline week: measurement days 1, 3 and 5 from start_date, "
        "the first session on day 6.",
    )


def _plan_out(stored: StoredProgram) -> PlanOut:
    return PlanOut(
        id=stored.pk,
        client_id=stored.client_id,
        created_at=stored.created_at,
        program=stored.get_program(),
    )


@router.get("/clients/{client_id}/plan", response=answers(PlanOut), url_name="client_plan")
def get_plan(request: HttpRequest, client_id: PathId) -> PlanOut:
    """The client's current program (404 before the first one)."""
    client = client_or_404(request, client_id)
    stored = current_stored_program(client)
    if stored is None:
        raise Http404("this client has no plan yet")
    viewed(request, client, "plan")
    return _plan_out(stored)


@router.post("/clients/{client_id}/plan", response=answers(PlanOut, 201))
def make_plan(request: HttpRequest, client_id: PathId, payload: ProfileIn) -> Status[PlanOut]:
    """Make a new program from the profile and the newest screening decision; it becomes the
    client's current plan (the earlier one stays in the history)."""
    client = client_or_404(request, client_id)
    check_start_date(payload.start_date, today())
    record = latest_intake_record(client)
    if record is None:
        raise UserError(
            "intake", "there is no safety intake yet", "a plan after an intake (POST …/intakes)"
        )
    decision = record.get_decision()
    if decision.decision not in ("go", "modify"):
        resume = f" until {decision.resume_on}" if decision.resume_on else ""
        raise UserError(
            "intake",
            f"the newest screening says {decision.decision}: no massage plan{resume}",
            "a plan after an intake whose decision is go or modify",
        )
    previous = latest_profile(client)
    side, draw = settle_side(
        payload.treated_side, previous.side_draw if previous else None, dt.datetime.now(dt.UTC)
    )
    fields = {**payload.model_dump(), "treated_side": side, "side_draw": draw}
    try:
        profile = Profile.model_validate({**fields, "intake": record.get_intake()})
    except PydanticValidationError as exc:
        raise validation_to_user_error(exc) from None
    stored = save_program(client, build_plan(profile, decision))
    changed(request, client, "plan")
    return Status(201, _plan_out(stored))
