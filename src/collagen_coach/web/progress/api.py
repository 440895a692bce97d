"""The API's progress: per concern and per measurement, whether it changed by more than its own
noise since the baseline — the same analysis, in the same JSON, as
``collagen-coach progress --json``."""

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from collagen_coach.core.words import Verdict
from collagen_coach.web.clients.access import client_or_404, viewed
from collagen_coach.web.lib.api import PathId, answers
from collagen_coach.web.lib.dates import today
from collagen_coach.web.progress.services import journal_progress

router = Router(tags=["progress"])

Interval = Annotated[
    list[float],
    Field(min_length=3, max_length=3, description="[lower 95 % bound, estimate, upper bound]"),
]


class ConcernOut(Schema):
    """One concern (firmness, elasticity, fine lines, sagging, glow, evenness): its measures
    combined into one series and judged once, with the words the dashboard shows."""

    concern: str
    title: str
    verdict: Verdict
    basis: Literal["measured", "rating", "exploratory", "nothing"] = Field(
        description="measured: photos or instruments; rating: her own rating alone; "
        "exploratory: only measures not yet repeatable enough to judge, so no verdict; nothing."
    )
    headline: str
    based_on: str
    missing: str = Field(description="What a verdict still needs, and from when it is possible.")
    rating_verdict: Verdict | None = Field(description="Her own rating's verdict, shown beside.")
    measured_series: int = Field(description="Photo and instrument series of this concern.")
    combined_series: int = Field(description="Those with their noise known, combined.")
    exploratory_series: int = Field(
        description="Series of its measures not yet repeatable enough to judge: shown, in no "
        "verdict."
    )
    days: int = Field(description="Days the verdict stands on.")
    first_day: date | None
    last_day: date | None
    first_verdict_on: date | None = Field(
        description="While there is no verdict: the first day one is possible."
    )
    change: Interval | None = Field(
        description="The combined change since the baseline, in units of each series' SEM."
    )
    mdc: float | None = Field(description="The combined series' MDC, in the same units.")
    details: list[str]


class SeriesOut(Schema):
    """One measured series: its noise (MDC), trend, change since baseline and verdict."""

    metric: str
    zone: str | None
    side: str | None
    n: int = Field(description="Measurements used.")
    mdc: float | None = Field(description="Minimal detectable change (95 %), in unit.")
    slope_per_week: Interval | None
    change: Interval | None
    verdict: Verdict
    reason: str
    sem: float | None = Field(description="Standard error of measurement, in unit.")
    unit: str
    higher_is_better: bool | None
    days: int
    baseline_n: int
    explanation: str
    exploratory: bool = Field(
        description="A measure not yet repeatable enough to judge: its verdict is "
        "'exploratory', never better or worse."
    )


class AbabOut(Schema):
    """An A-B-A-B comparison: the mean with massage minus the mean without."""

    metric: str
    zone: str | None
    side: str | None
    n_treatment: int
    n_off: int
    blocks_treatment: int
    blocks_off: int
    mdc: float | None
    sem: float | None
    difference: Interval | None
    verdict: Verdict
    reason: str
    higher_is_better: bool | None
    unit: str


class AdherenceResponseOut(Schema):
    """How sessions per week go with that week's change (an association, not proof)."""

    weeks: int
    rho: Interval
    metrics: list[str]
    in_words: str
    caveat: str


class ProgressOut(Schema):
    """The whole analysis: every series, split-face differences, A-B-A-B comparisons, the
    adherence–response association and the notes (caveats, what was left out); the concerns
    first."""

    concerns: list[ConcernOut]
    series: list[SeriesOut]
    split_face: list[SeriesOut]
    abab: list[AbabOut]
    adherence_response: AdherenceResponseOut | None
    notes: list[str]


class ProgressQuery(Schema):
    treated_side: Literal["left", "right"] | None = Field(
        None, description="Split-face trial: the side massaged (default: the plan's)."
    )


@router.get(
    "/clients/{client_id}/progress", response=answers(ProgressOut), url_name="client_progress"
)
def get_progress(
    request: HttpRequest, client_id: PathId, options: Query[ProgressQuery]
) -> dict[str, Any]:
    """Progress as ``collagen-coach progress --json`` gives it, from the client's journal."""
    client = client_or_404(request, client_id)
    viewed(request, client, "progress")
    return journal_progress(client, today(), options.treated_side).result.as_json()
