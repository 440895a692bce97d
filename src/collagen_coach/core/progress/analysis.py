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
    unlike_baseline_light,
    unlit_note,
)
from collagen_coach.core.progress.on_off import AbabResult, analyse_abab
from collagen_coach.core.progress.response import (
    AdherenceResponse,
    WeeklyChanges,
    association,
    weekly_changes,
)
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
    part = analyse_part(
        observations, higher_is_better=higher_is_better, treated_side=treated_side, today=today
    )
    return combine_parts([part], higher_is_better=higher_is_better, weekly_sessions=weekly_sessions)


@dataclass(frozen=True, slots=True)
class MeasuredPart:
    """The analysis of some of a person's measurements that share no series with the rest (the
    self-ratings, the readings, the photos), made so that parts analysed apart and combined
    (:func:`combine_parts`) give exactly what analysing them together gives.

    ``changes`` holds each week's changes from the week before, one per series that has them
    (in its SEMs, better positive), and ``used`` the metrics that gave them: all that
    adherence–response needs of the part. ``algorithm_notes`` says, by series, how
    many measurements by another algorithm version were left out; ``unlit_days`` are the days
    whose photo was lit unlike the baseline photos (its light measures left out).
    """

    series: list[SeriesResult]
    split_face: list[SeriesResult]
    abab: list[AbabResult]
    changes: WeeklyChanges
    used: frozenset[str]
    impossible: list[Observation]
    rejected_days: frozenset[dt.date]
    algorithm_notes: dict[SeriesKey, str]
    unlit_days: frozenset[dt.date] = frozenset()


def analyse_part(
    observations: Sequence[Observation],
    *,
    higher_is_better: Mapping[str, bool] = DEFAULT_HIGHER_IS_BETTER,
    treated_side: str | None = None,
    today: dt.date | None = None,
) -> MeasuredPart:
    """Give the analysis of each series in ``observations`` and of their split-face
    differences, with what the notes about them need (see :class:`MeasuredPart`)."""
    if treated_side is not None and treated_side not in SIDES:
        raise ValueError(f"treated_side must be one of {SIDES}, not {treated_side!r}")
    grouped: dict[SeriesKey, list[Observation]] = defaultdict(list)
    for obs in observations:
        if counts(obs, today):
            grouped[(obs.metric, obs.zone, obs.side)].append(obs)
    series: list[SeriesResult] = []
    abab: list[AbabResult] = []
    kept: dict[SeriesKey, list[Observation]] = {}
    algorithm_notes: dict[SeriesKey, str] = {}
    for key in sorted(grouped, key=sort_key):
        one, note = newest_algorithm(grouped[key])
        if note:
            algorithm_notes[key] = note
        kept[key] = one
        direction = direction_of(key[0], higher_is_better)
        series.append(analyse_series(one, direction))
        if any(o.phase == "off" for o in one):
            abab.append(analyse_abab(one, direction))
    split_face: list[SeriesResult] = []
    if treated_side is not None:
        split_face = analyse_split_face(grouped, treated_side, higher_is_better)
    changes, used = weekly_changes(kept, series, higher_is_better)
    return MeasuredPart(
        series=series,
        split_face=split_face,
        abab=abab,
        changes=changes,
        used=frozenset(used),
        impossible=[o for o in observations if not in_bounds(o, today)],
        # A rejected photo gives many measurements (every zone, side and metric): its day is
        # what a person can recognise.
        rejected_days=frozenset(o.date for o in observations if not o.quality_ok),
        algorithm_notes=algorithm_notes,
        unlit_days=frozenset(o.date for o in observations if unlike_baseline_light(o)),
    )


def combine_parts(
    parts: Sequence[MeasuredPart],
    *,
    higher_is_better: Mapping[str, bool] = DEFAULT_HIGHER_IS_BETTER,
    weekly_sessions: Mapping[dt.date, int] | None = None,
) -> ProgressResult:
    """Give the whole analysis made of ``parts`` (:func:`analyse_part`), with its notes: the one
    place a :class:`ProgressResult` is made."""
    series = sorted((s for p in parts for s in p.series), key=_series_key)
    split_face = sorted((s for p in parts for s in p.split_face), key=_series_key)
    abab = sorted((a for p in parts for a in p.abab), key=_series_key)
    notes: list[str] = []
    impossible = [o for p in parts for o in p.impossible]
    if impossible:
        notes.append(impossible_note(impossible))
    rejected_days = frozenset().union(*(p.rejected_days for p in parts))
    if rejected_days:
        days = len(rejected_days)
        notes.append(
            f"Photos from {days} day{plural(days)} were left out: the quality check rejected them."
        )
    unlit_days = frozenset().union(*(p.unlit_days for p in parts))
    if unlit_days:
        notes.append(unlit_note(unlit_days))
    algorithm_notes = {key: note for p in parts for key, note in p.algorithm_notes.items()}
    for key in sorted(algorithm_notes, key=sort_key):
        notes.append(f"{label(*key)}: {algorithm_notes[key]}")
    if split_face:
        notes.append(SPLIT_FACE_NOTE)

    adherence = None
    if weekly_sessions is not None:
        changes: WeeklyChanges = defaultdict(list)
        for p in parts:
            for week, steps in p.changes.items():
                changes[week] += steps
        used = set().union(*(p.used for p in parts))
        adherence, note = association(changes, used, weekly_sessions)
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


def _series_key(result: SeriesResult | AbabResult) -> tuple[str, ...]:
    return sort_key((result.metric, result.zone, result.side))
