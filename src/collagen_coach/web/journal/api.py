"""The API's journal: sessions done (at home or in the clinic), peptide doses, self-ratings and
instrument readings."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.access import changed, client_or_404, viewed
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal import checks, services
from collagen_coach.web.journal.models import (
    PEPTIDE_MAX_GRAMS,
    RATING_MAX,
    RATING_MIN,
    InstrumentReading,
    PeptideIntake,
    SelfRating,
    SessionLog,
)
from collagen_coach.web.lib import kept
from collagen_coach.web.lib.api import Pages, PathId, Text, answers
from collagen_coach.web.lib.dates import today as computer_today

router = Router(tags=["journal"])

# The journal's period when none is asked for: the last four weeks and two days, today included.
DEFAULT_PERIOD_DAYS = 30

Score = Annotated[int, Field(ge=RATING_MIN, le=RATING_MAX)]


# ---------------------------------------------------------------------------------------------
# Sessions


# The sessions are read with plain pydantic models rather than ninja's Schema: a Schema reads
# every field of every row through a getter of its own, which took most of the time of a page
# of 50 sessions; these read the row's attributes (and the steps' dicts) directly.


class SessionStepOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    technique: str
    zone: str
    side: str
    planned_s: int
    done_s: int | None = Field(description="Seconds done; null for a step not reached.")
    skipped: bool


class SessionOut(BaseModel):
    """One session as it was done."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    client_id: int
    date: dt.date = Field(
        validation_alias="planned_date", description="The day whose planned session this is."
    )
    place: Literal["home", "clinic"]
    status: Literal["in_progress", "completed", "abandoned"]
    started_at: dt.datetime
    finished_at: dt.datetime | None
    planned_s: int
    done_s: int
    steps: list[SessionStepOut]
    pain: bool | None
    redness: bool | None
    note: str = Field(validation_alias="comfort_note")


class StepDoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    done_s: int = Field(ge=0, le=services.STEP_MAX_S, description="Seconds spent on the step.")
    skipped: bool = False


class SessionIn(Schema):
    """A session done on a planned day, step by step in the plan's order."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"date": "2025-03-03", "place": "clinic", "pain": False, "redness": False},
                {
                    "date": "2025-03-05",
                    "steps": [{"done_s": 60}, {"done_s": 0, "skipped": True}],
                    "note": "skipped the cheeks: a little sore",
                },
            ]
        },
    )

    date: dt.date = Field(description="The planned day whose session was done (not ahead).")
    place: Literal["home", "clinic"] = "home"
    steps: list[StepDoneIn] | None = Field(
        None,
        max_length=100,
        description="How each planned step went, in order; left out: every step done in full.",
    )
    pain: bool | None = Field(None, description="Any pain during the session.")
    redness: bool | None = Field(None, description="Redness lasting afterwards.")
    note: Text = Field("", max_length=checks.NOTE_MAX_CHARS)


@router.get(
    "/clients/{client_id}/sessions", response=answers(list[SessionOut]), url_name="client_sessions"
)
@decorate_view(kept.keeps_answers)
@paginate(Pages)
def list_sessions(request: HttpRequest, client_id: PathId) -> QuerySet[SessionLog]:
    """The client's sessions, newest first (at home and in the clinic)."""
    client = client_or_404(request, client_id)
    viewed(request, client, "sessions")
    # Kept until her records change (her stamp, read with her).
    kept.answer_if_kept(request, "api-sessions", (client.pk, client.changed))
    return SessionLog.objects.filter(client=client).order_by("-planned_date", "-started_at", "-pk")


@router.post("/clients/{client_id}/sessions", response=answers(SessionOut, 201))
def log_session(request: HttpRequest, client_id: PathId, payload: SessionIn) -> Status[SessionLog]:
    """Record a session done on a planned day: how each step went, where, and how it felt."""
    client = client_or_404(request, client_id)
    with transaction.atomic():
        log = services.start_session_log(client, payload.date)
        planned = len(log.steps)
        steps = payload.steps
        if steps is None:
            steps = [StepDoneIn(done_s=int(step["planned_s"])) for step in log.steps]
        if len(steps) != planned:
            raise UserError(
                "steps",
                f"{len(steps)} given, but the session planned on {payload.date} has {planned}",
                f"{planned} steps, in the plan's order",
            )
        for index, step in enumerate(steps):
            services.record_step(log, index, step.done_s, step.skipped)
        log.place = payload.place
        log.save(update_fields=["place", "updated_at"])
        services.finish_session_log(log, payload.pain, payload.redness, payload.note)
        changed(request, client, "session")
    return Status(201, log)


# ---------------------------------------------------------------------------------------------
# Peptides, self-ratings, readings


class PeptidesOut(Schema):
    id: int
    date: dt.date
    grams: float
    product: str


class PeptidesIn(Schema):
    """One dose of oral collagen peptides."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"date": "2025-03-03", "grams": 10, "product": "bovine collagen"}]
        },
    )

    date: dt.date = Field(description="The day it was taken (today or earlier).")
    grams: Decimal = Field(
        gt=0, le=PEPTIDE_MAX_GRAMS, decimal_places=2, description="Grams, to 0.01 g."
    )
    product: Text = Field("", max_length=services.PRODUCT_MAX_CHARS)


class RatingOut(Schema):
    id: int
    date: dt.date
    firmness: int
    elasticity: int
    fine_lines: int
    glow: int
    sagging: int
    note: str


class RatingIn(Schema):
    """How the skin looks and feels on a day, each scale 0–10: firmness, elasticity and glow
    more is better; fine lines and sagging say how much of them is seen (less is better).
    A second rating on the same day replaces the first."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "date": "2025-03-03",
                    "firmness": 6,
                    "elasticity": 5,
                    "fine_lines": 4,
                    "glow": 7,
                    "sagging": 3,
                    "note": "after a good night's sleep",
                }
            ]
        },
    )

    date: dt.date = Field(description="The day rated (today or earlier).")
    firmness: Score
    elasticity: Score
    fine_lines: Score
    glow: Score
    sagging: Score
    note: Text = Field("", max_length=checks.NOTE_MAX_CHARS)


class ReadingOut(Schema):
    id: int
    date: dt.date
    instrument: str
    parameter: str
    zone: str
    side: str
    value: float
    unit: str
    source: str


class JournalOut(Schema):
    """What the journal holds for a period (both days included), oldest first."""

    start: dt.date
    end: dt.date
    peptides: list[PeptidesOut]
    ratings: list[RatingOut]
    readings: list[ReadingOut]


class Period(Schema):
    start: dt.date | None = Field(None, description="First day (default: 29 days before end).")
    end: dt.date | None = Field(None, description="Last day (default: today).")


def _days_before(day: dt.date, days: int) -> dt.date:
    """Give the day ``days`` before ``day``, or the first day of the calendar."""
    return dt.date.fromordinal(max(1, day.toordinal() - days))


def _grams(dose: PeptideIntake) -> dict[str, Any]:
    return {"id": dose.pk, "date": dose.date, "grams": float(dose.grams), "product": dose.product}


@router.get("/clients/{client_id}/journal", response=answers(JournalOut), url_name="client_journal")
def get_journal(request: HttpRequest, client_id: PathId, period: Query[Period]) -> dict[str, Any]:
    """Peptide doses, self-ratings and instrument readings of a period."""
    client = client_or_404(request, client_id)
    end = period.end or computer_today()
    start = period.start or _days_before(end, DEFAULT_PERIOD_DAYS - 1)
    if end < start:
        raise UserError("end", f"{end} is before the start {start}", f"a day on or after {start}")
    days = (start, end)
    viewed(request, client, "journal")
    doses = PeptideIntake.objects.filter(client=client, date__range=days).order_by("date", "pk")
    ratings = SelfRating.objects.filter(client=client, date__range=days).order_by("date")
    readings = InstrumentReading.objects.filter(client=client, date__range=days).order_by(
        "date", "instrument", "parameter", "zone", "side", "repeat"
    )
    return {
        "start": start,
        "end": end,
        "peptides": [_grams(dose) for dose in doses],
        "ratings": list(ratings),
        "readings": list(readings),
    }


@router.post("/clients/{client_id}/peptides", response=answers(PeptidesOut, 201))
def log_peptides(
    request: HttpRequest, client_id: PathId, payload: PeptidesIn
) -> Status[dict[str, Any]]:
    """Record a dose of collagen peptides (more than 0 and at most 30 g)."""
    client = client_or_404(request, client_id)
    with transaction.atomic():
        dose = services.log_peptides(client, payload.date, payload.grams, payload.product)
        changed(request, client, "peptides")
    return Status(201, _grams(dose))


class RatingFixIn(Schema):
    """A day's self-rating corrected: every scale 0–10 and the note (the day stays)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 7, "sagging": 3}]
        },
    )

    firmness: Score
    elasticity: Score
    fine_lines: Score
    glow: Score
    sagging: Score
    note: Text = Field("", max_length=checks.NOTE_MAX_CHARS)


class ReadingFixIn(Schema):
    """An instrument reading corrected: its day, its value (one the instrument can give) and,
    when given, its unit."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"date": "2025-03-03", "value": 0.71}]}
    )

    date: dt.date = Field(description="The day measured (today or earlier).")
    value: float = Field(description="The corrected value, e.g. Cutometer R2 0.71.")
    unit: Text | None = Field(None, max_length=services.UNIT_MAX_CHARS)


M = TypeVar("M", bound=models.Model)


def _own(model: type[M], client_id: int, entry_id: int, request: HttpRequest) -> tuple[Client, M]:
    """Give the client and one of their journal rows, or answer 404 (another's or nobody's)."""
    client = client_or_404(request, client_id)
    try:
        return client, model._default_manager.get(client=client, pk=entry_id)
    except ObjectDoesNotExist:
        raise Http404(f"no such {model._meta.verbose_name}") from None


def _delete(
    request: HttpRequest, model: Any, client_id: int, entry_id: int, what: str
) -> Status[None]:
    """Delete one of the client's journal entries and record the change in the audit log."""
    client, entry = _own(model, client_id, entry_id, request)
    with transaction.atomic():
        services.delete_entry(entry)
        changed(request, client, what)
    return Status(204, None)


@router.put("/clients/{client_id}/peptides/{dose_id}", response=answers(PeptidesOut))
def correct_peptides(
    request: HttpRequest, client_id: PathId, dose_id: PathId, payload: PeptidesIn
) -> dict[str, Any]:
    """Correct one dose of collagen peptides: its day, grams and product."""
    client, dose = _own(PeptideIntake, client_id, dose_id, request)
    with transaction.atomic():
        services.correct_peptides(dose, payload.date, payload.grams, payload.product)
        changed(request, client, "peptides")
    return _grams(dose)


@router.delete("/clients/{client_id}/peptides/{dose_id}", response=answers(None, 204))
def delete_peptides(request: HttpRequest, client_id: PathId, dose_id: PathId) -> Status[None]:
    """Delete one dose of collagen peptides."""
    return _delete(request, PeptideIntake, client_id, dose_id, "peptides")


@router.put("/clients/{client_id}/ratings/{rating_id}", response=answers(RatingOut))
def correct_rating(
    request: HttpRequest, client_id: PathId, rating_id: PathId, payload: RatingFixIn
) -> SelfRating:
    """Correct one day's self-rating (the day stays)."""
    client, rating = _own(SelfRating, client_id, rating_id, request)
    scores = payload.model_dump(exclude={"note"})
    with transaction.atomic():
        services.correct_rating(rating, scores, payload.note)
        changed(request, client, "self-rating")
    return rating


@router.delete("/clients/{client_id}/ratings/{rating_id}", response=answers(None, 204))
def delete_rating(request: HttpRequest, client_id: PathId, rating_id: PathId) -> Status[None]:
    """Delete one day's self-rating."""
    return _delete(request, SelfRating, client_id, rating_id, "self-rating")


@router.put("/clients/{client_id}/readings/{reading_id}", response=answers(ReadingOut))
def correct_reading(
    request: HttpRequest, client_id: PathId, reading_id: PathId, payload: ReadingFixIn
) -> InstrumentReading:
    """Correct one instrument reading: its day, value and unit."""
    client, reading = _own(InstrumentReading, client_id, reading_id, request)
    with transaction.atomic():
        services.correct_reading(reading, payload.date, payload.value, payload.unit)
        changed(request, client, "readings")
    return reading


@router.delete("/clients/{client_id}/readings/{reading_id}", response=answers(None, 204))
def delete_reading(request: HttpRequest, client_id: PathId, reading_id: PathId) -> Status[None]:
    """Delete one instrument reading."""
    return _delete(request, InstrumentReading, client_id, reading_id, "readings")


@router.post("/clients/{client_id}/ratings", response=answers(RatingOut, 201))
def rate_skin(request: HttpRequest, client_id: PathId, payload: RatingIn) -> Status[SelfRating]:
    """Record the day's self-rating (a second one on the same day replaces the first)."""
    client = client_or_404(request, client_id)
    with transaction.atomic():
        rating = services.rate(
            client,
            payload.date,
            firmness=payload.firmness,
            elasticity=payload.elasticity,
            fine_lines=payload.fine_lines,
            glow=payload.glow,
            sagging=payload.sagging,
            note=payload.note,
        )
        changed(request, client, "self-rating")
    return Status(201, rating)
