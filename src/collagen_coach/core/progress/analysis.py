"""The whole analysis of a person's measurements: every series, the split-face differences,
the A-B-A-B comparisons, adherence–response, and the notes that go with them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from collagen_coach.core.progress._shared import label, plural, sort_key
from collagen_coach.core.progress.concerns import ConcernResult, analyse_concerns
from collagen_coach.core.progress.observation import (
    DEFAULT_HIGHER_IS_BETTER,
    SELF_RATINGS,
    SIDES,
    Observation,
    SeriesKey,
    counts,
    direction_of,
    impossible_note,
    in_bounds,
    newest_algorithm,
)
from collagen_coach.core.progress.on_off import AbabResult, analyse_abab
from collagen_coach.core.progress.response import AdherenceResponse, adherence_response
from collagen_coach.core.progress.series import SeriesResult, analyse_series
from collagen_coach.core.progress.split_face import SPLIT_FACE_NOTE, analyse_split_face

CAUSATION_NOTE = (
    "These are one person's measurements. A change beyond the noise shows that the measurement "
    "changed, not that massage caused it: season, sleep, weight, skin care and supplements move "
    "skin too. A split-face trial, with one side as the control, comes closest to a cause."
)
SELF_RATING_NOTE = (
    "Self-ratings are not blind: in a face-exercise trial, participants reported improvement in "
    "18 of 20 features while blinded raters found change only in the cheeks (Alam M et al., JAMA "
    "Dermatol 2018). Read them next to the photo and instrument measurements."
)


@dataclass(frozen=True, slots=True)
class ProgressResult:
    """One verdict per concern, every series, the split-face differences, A-B-A-B comparisons,
    adherence–response and the notes (caveats and what was left out) that go with them."""

    series: list[SeriesResult]
    split_face: list[SeriesResult]
    abab: list[AbabResult]
    adherence_response: AdherenceResponse | None
    notes: list[str] = field(default_factory=list)
    concerns: tuple[ConcernResult, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """Give the whole analysis as JSON-ready data, the concerns first."""
        return {
            "concerns": [c.as_json() for c in self.concerns],
            "series": [s.as_json() for s in self.series],
            "split_face": [s.as_json() for s in self.split_face],
            "abab": [a.as_json() for a in self.abab],
            "adherence_response": (
                None if self.adherence_response is None else self.adherence_response.as_json()
            ),
            "notes": list(self.notes),
        }


def analyse_progress(
    observations: Sequence[Observation],
    *,
    higher_is_better: Mapping[str, bool] = DEFAULT_HIGHER_IS_BETTER,
    treated_side: str | None = None,
    weekly_sessions: Mapping[dt.date, int] | None = None,
    today: dt.date | None = None,
) -> ProgressResult:
    """Give the analysis of every series in ``observations`` (see the package's docstring).

    Which way is better comes from each measure's definition (``core.measures``);
    ``higher_is_better`` adds directions for measures the product does not know (a metric named
    ``instrument:parameter`` is also looked up by its parameter). ``treated_side``
    (``left``/``right``) turns on the split-face analysis. ``weekly_sessions`` maps a week (any
    day in it) to the sessions done that week. A value the measure cannot have, or a day before
    ``core.measures.EARLIEST_DAY`` or after ``today``, is left out with a note.
    """
    if treated_side is not None and treated_side not in SIDES:
        raise ValueError(f"treated_side must be one of {SIDES}, not {treated_side!r}")
    notes: list[str] = []
    impossible = [o for o in observations if not in_bounds(o, today)]
    if impossible:
        notes.append(impossible_note(impossible))
    usable = [o for o in observations if counts(o, today)]
    # A rejected photo gives many measurements (every zone, side and metric): count the days
    # whose photos were left out, which a person can recognise, not the measurements.
    rejected_days = {o.date for o in observations if not o.quality_ok}
    if rejected_days:
        days = len(rejected_days)
        notes.append(
            f"Photos from {days} day{plural(days)} were left out: the quality check rejected them."
        )
    grouped: dict[SeriesKey, list[Observation]] = defaultdict(list)
    for obs in usable:
        grouped[(obs.metric, obs.zone, obs.side)].append(obs)

    series: list[SeriesResult] = []
    abab: list[AbabResult] = []
    kept: dict[SeriesKey, list[Observation]] = {}
    for key in sorted(grouped, key=sort_key):
        one, note = newest_algorithm(grouped[key])
        if note:
            notes.append(f"{label(*key)}: {note}")
        kept[key] = one
        direction = direction_of(key[0], higher_is_better)
        series.append(analyse_series(one, direction))
        if any(o.phase == "off" for o in one):
            abab.append(analyse_abab(one, direction))

    split_face: list[SeriesResult] = []
    if treated_side is not None:
        split_face = analyse_split_face(grouped, treated_side, higher_is_better)
        if split_face:
            notes.append(SPLIT_FACE_NOTE)

    adherence = None
    if weekly_sessions is not None:
        adherence, note = adherence_response(kept, weekly_sessions, series, higher_is_better)
        if note:
            notes.append(note)
    for result in series:
        if result.higher_is_better is None:
            notes.append(
                f"{label(result.metric, result.zone, result.side)}: no direction is known to be "
                "better, so it is shown without a verdict of better or worse."
            )
    if series or split_face:
        notes.append(CAUSATION_NOTE)
    if any(result.metric in SELF_RATINGS for result in series):
        notes.append(SELF_RATING_NOTE)
    return ProgressResult(
        series=series,
        split_face=split_face,
        abab=abab,
        adherence_response=adherence,
        notes=notes,
        concerns=analyse_concerns(series) if series else (),
    )
