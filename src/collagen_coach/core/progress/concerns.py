"""A summary by what a person cares about: one verdict per concern (firmness, elasticity, fine
lines, sagging, glow, evenness), each combining the measures of that concern into one test.

**Which measures make each concern** (``CONCERNS``; every measure from ``core.measures``):

- *Firmness*: Cutometer R0, the skin's final distension under suction (EVIDENCE.md §3: R0 = Uf,
  "firmness", lower = firmer). No photo measure sees firmness.
- *Elasticity*: Cutometer R2 (gross), R5 (net), R7 (biological elasticity) and R8 (recovery),
  the elasticity parameters of EVIDENCE.md §3, which also track age (Ohshima 2013). R1, R3, R4,
  R6 and R9 have no better direction, so they belong to no concern.
- *Fine lines*: the photo's wrinkle index, line density and line length (VISION.md: a ridge
  filter for dark lines, fine lines ≈1–2 px and folds ≈3–6 px) and texture roughness, whose
  fine detail (σ 1–4 px) holds pores, grain and fine lines (``core.measures``); fine lines are
  what the wrinkle grading scales and the massage trials scored (EVIDENCE.md §1a, §3).
- *Sagging*: the face's shape (VISION.md, geometry): jawline sag, jowl position, cheekbone
  (malar) height and the depth of the smile line (nasolabial fold), the places the 3-D CT
  massage studies saw move (EVIDENCE.md §1a) and where a descending mid-face shows.
- *Glow*: radiance, the mean lightness L* (Flament 2023 reported "radiance").
- *Evenness*: the spread of lightness (IQR of L*) and of skin tone (IQR of ITA°).
- Redness (CIELAB a*) has no better direction (massage reddens skin for a while) and belongs
  to no concern.
- A measure not yet repeatable enough to judge (``core.measures.Measure.exploratory``) is shown
  with its concern but left out of its verdict; a concern measured by such measures alone gets
  no verdict from them and says so (or its rating's, where she rates it).

Each concern's self-rating (firmness, elasticity, fine lines, glow, sagging) is kept apart:
self-ratings are not blind (Alam 2018, EVIDENCE.md §3), so the concern's verdict comes from the
photos and instruments where any measure it, and the rating is shown beside it; where nothing
else measures the concern, the verdict is the rating's own, and says so.

**How the measures are combined, and why that does not multiply false alarms.** Judging each of
a concern's series on its own would give one chance of a false alarm per series: fine lines alone
are 88 series (4 measures, 11 zones, 2 sides). Instead each concern is **one** series, judged once:

1. every measured series with its noise known (``MIN_BASELINE`` or more baseline measurements) is
   put on one scale: each day's value minus the series' own baseline mean, divided by its own
   noise (SEM), and signed so that higher is better;
2. on each day, these are averaged within a kind (the photo measures; the instrument readings),
   then the kinds are averaged, so 22 zone-sides of a photo do not drown one instrument;
3. that daily series is judged by the same rule as any series
   (:func:`~collagen_coach.core.progress.series.analyse_series`, higher is better): its noise is
   measured from its own baseline days, so measures that move together (every zone of one photo
   shares its light) count as the one piece of evidence they are.

The seeded simulations in ``tests/core/test_concerns.py`` measure the rates that
:data:`SIMULATED` states (and the pages show), with day-to-day errors independent in time. The
combined series is judged by the series rule, so it shares that rule's allowance for errors
correlated from one measurement to the next (the intervals widened by the lag-1
autocorrelation): with ρ = 0.5 (300 people, measured once) 3–6 % of people were told one concern
changed, and 17 % at least one of the six.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from collagen_coach.core.baseline import first_verdict_on
from collagen_coach.core.measures import MIN_BASELINE, MeasureKind, measure_of, title_of
from collagen_coach.core.progress._shared import plural
from collagen_coach.core.progress.observation import SIDES, Observation, Phase
from collagen_coach.core.progress.series import (
    SeriesResult,
    analyse_series,
    baseline_flags,
    baseline_mean,
)
from collagen_coach.core.progress.split_face import SPLIT_SIDE
from collagen_coach.core.words import (
    EXPLORATORY_WORDS,
    VERDICT_WORDS,
    Verdict,
    day_in_words,
    decimals_for,
    number,
    signed,
)

Basis = Literal["measured", "rating", "exploratory", "nothing"]
COMPOSITE_UNIT = "times the measure's own day-to-day variation"


@dataclass(frozen=True, slots=True)
class Concern:
    """One thing a person cares about: its own rating and the measures that measure it."""

    name: str
    title: str
    rating: str | None
    measures: tuple[str, ...]
    how_to_measure: str  # what would measure it, for a concern nothing measures yet


CONCERNS: tuple[Concern, ...] = (
    Concern(
        "firmness",
        "Firmness",
        "firmness",
        ("cutometer:R0",),
        "rate your firmness in the journal, or import Cutometer readings (R0)",
    ),
    Concern(
        "elasticity",
        "Elasticity",
        "elasticity",
        ("cutometer:R2", "cutometer:R5", "cutometer:R7", "cutometer:R8"),
        "rate your elasticity in the journal, or import Cutometer readings (R2, R5, R7, R8)",
    ),
    Concern(
        "fine_lines",
        "Fine lines",
        "fine_lines",
        ("wrinkle_index", "line_density", "line_length_cm_per_cm2", "texture_roughness"),
        "take progress photos, or rate your fine lines in the journal",
    ),
    Concern(
        "sagging",
        "Sagging",
        "sagging",
        ("jawline_sag", "jowl_position", "malar_height", "nasolabial_depth"),
        "take progress photos, or rate sagging in the journal",
    ),
    Concern("glow", "Glow", "glow", ("radiance",), "take progress photos, or rate your glow"),
    Concern(
        "evenness",
        "Evenness",
        None,
        ("evenness_l_iqr", "evenness_ita_iqr"),
        "take progress photos",
    ),
)

# A concern's verdict in plain words, after its title: "Glow: better than at your baseline, …".
CONCERN_WORDS: dict[Verdict, str] = {
    "improving": "better than at your baseline, beyond your usual day-to-day variation",
    "worsening": "worse than at your baseline, beyond your usual day-to-day variation",
    "no_change_detected": "no change beyond your usual day-to-day variation yet",
    "not_enough_data": "not enough data yet",
    "not_judged": "changed, but neither direction is known to be better",
    "exploratory": f"no verdict, its measures are {EXPLORATORY_WORDS}",
}
SHORT_WORDS: dict[Verdict, str] = {
    "improving": "better",
    "worsening": "worse",
    "no_change_detected": "no change yet",
    "not_enough_data": "not enough data yet",
    "not_judged": "changed",
    "exploratory": "no verdict",
}
# Her own rating's verdict, shown beside the measured one: "your rating: better than at …".
RATING_WORDS: dict[Verdict, str] = {
    "improving": "better than at your baseline",
    "worsening": "worse than at your baseline",
    "no_change_detected": "no change beyond its usual variation yet",
    "not_enough_data": "not enough ratings yet",
    "not_judged": "changed",
    "exploratory": "no verdict",
}
KIND_WORDS: dict[str, str] = {"photo": "your photos", "instrument": "your instrument readings"}


@dataclass(frozen=True, slots=True)
class SimulatedRates:
    """What the seeded simulations measured (``tests/core/test_concerns.py`` checks them)."""

    people: int
    worst_concern_false: float  # the largest share of people told one concern changed
    any_concern_false: float  # the share told at least one of the six changed
    detected_people: int
    detected: float  # the share in whom a change of 2 × each measure's MDC was found


SIMULATED = SimulatedRates(
    people=400,
    worst_concern_false=0.015,
    any_concern_false=0.05,
    detected_people=200,
    detected=0.885,
)


def how_we_judge() -> list[str]:
    """Give the combining rule, why it does not multiply false alarms, and the measured rates,
    in plain words (the dashboard's "How we judge")."""
    rates = SIMULATED
    return [
        "Each concern gets one verdict. One photo gives many measurements (fine lines alone are "
        "measured in 11 places on each side of your face); judging each on its own would give "
        "as many chances of a false alarm. So each measurement is first compared with its own "
        "baseline and its own usual day-to-day variation, the measurements of a concern are "
        "averaged day by day (your photos and your instrument readings count equally), and that "
        "one combined measurement is judged like any other: it has to move beyond its own usual "
        "variation, measured in your baseline week, and keep moving the same way.",
        "Places on your face that move together (every zone of one photo shares its light) "
        "then count as one piece of evidence, not many.",
        f"Tested on {rates.people} simulated people whose skin did not change: each concern was "
        f"wrongly called better or worse in at most {_percent(rates.worst_concern_false)} of "
        f"them, and {_percent(rates.any_concern_false)} were told at least one of the six "
        f"changed. In {rates.detected_people} simulated people whose measures did change, by "
        "twice the smallest change that stands out from their usual variation, over 12 weeks, "
        f"the change was found in at least {_percent(rates.detected)} for every concern. Where one "
        "day's wobble carries over to the next (a dry week, a season), the rule allows for it, "
        "but not fully: with a strong carry-over, up to 6 % were wrongly told one concern "
        "changed, and 17 % at least one of the six.",
        "Your own ratings are shown beside each verdict, never mixed into it: people who expect "
        "a change tend to see it. Where nothing but your rating measures a concern, the verdict "
        "says it comes from your rating alone.",
    ]


@dataclass(frozen=True, slots=True)
class MeasureGroup:
    """One measure of a concern (e.g. the wrinkle index) over every zone and side measured."""

    metric: str
    name: str
    kind: MeasureKind
    series: tuple[SeriesResult, ...]

    def counts(self) -> dict[Verdict, int]:
        counted: dict[Verdict, int] = {}
        for one in self.series:
            counted[one.verdict] = counted.get(one.verdict, 0) + 1
        return counted

    def words(self) -> str:
        """Give the measure's verdicts in words: "Wrinkles, 22 places: no change detected in
        all 22" or "Radiance, 22 places: improving in 2 (cheeks, left side), …"."""
        total = len(self.series)
        where = "" if total == 1 and self.series[0].zone is None else f", {_places(total)}"
        counted = self.counts()
        if len(counted) == 1:
            verdict = next(iter(counted))
            every = "" if total == 1 else f" in {'both' if total == 2 else f'all {total}'}"
            return f"{self.name}{where}: {VERDICT_WORDS[verdict]}{every}"
        parts = []
        for verdict, n in sorted(counted.items(), key=lambda item: -item[1]):
            moved = [s for s in self.series if s.verdict == verdict]
            named = "" if verdict == "no_change_detected" or n > 3 else f" ({_named(moved)})"
            parts.append(f"{VERDICT_WORDS[verdict]} in {n}{named}")
        return f"{self.name}{where}: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class ConcernResult:
    """One concern's verdict and what it is based on.

    ``combined`` is the concern's measured series combined into one and judged once (None where
    no measured series has its noise known yet); ``measured`` every measured series of the
    concern that can be judged, ``used`` those that went into ``combined``; ``rating`` her own
    rating's series; ``exploratory`` the series of its measures not yet repeatable enough to
    judge, shown but in no verdict.
    """

    concern: Concern
    basis: Basis
    verdict: Verdict
    combined: SeriesResult | None
    measured: tuple[SeriesResult, ...]
    used: tuple[SeriesResult, ...]
    rating: SeriesResult | None
    exploratory: tuple[SeriesResult, ...] = ()

    @property
    def judged(self) -> SeriesResult | None:
        """Give the series the verdict comes from: the combined one, or the rating alone."""
        return self.combined if self.basis == "measured" else self.rating

    @property
    def first_day(self) -> dt.date | None:
        judged = self.judged
        return min(o.date for o in judged.observations) if judged else None

    @property
    def last_day(self) -> dt.date | None:
        judged = self.judged
        return max(o.date for o in judged.observations) if judged else None

    @property
    def first_verdict_on(self) -> dt.date | None:
        """Give the first day a verdict is possible (``core.baseline``), while there is none."""
        if self.verdict != "not_enough_data" or self.first_day is None:
            return None
        return first_verdict_on(self.first_day)

    def verdict_words(self) -> str:
        """Give the verdict in plain words: "better than at your baseline, beyond …"; from the
        rating alone, it says so."""
        if self.basis == "nothing":
            return "not measured yet"
        if self.basis == "rating" and self.verdict != "not_enough_data":
            return f"{RATING_WORDS[self.verdict]}, by your own rating alone"
        return CONCERN_WORDS[self.verdict]

    def short_words(self) -> str:
        """Give the verdict in two or three words, for a badge: "better", "no change yet"."""
        return "not measured yet" if self.basis == "nothing" else SHORT_WORDS[self.verdict]

    def headline(self) -> str:
        """Give the concern and its verdict in plain words: "Glow: better than at your
        baseline, beyond …", "Evenness: not measured yet"."""
        return f"{self.concern.title}: {self.verdict_words()}"

    def based_on(self) -> str:
        """Give what the verdict is based on, in words, with its days."""
        if self.basis == "nothing":
            return f"Nothing measures it yet: {self.concern.how_to_measure}."
        days = self._days_words()
        if self.basis == "rating":
            nothing = "can judge" if self.exploratory else "measures"
            return (
                f"From your own ratings{days}: no photo or instrument {nothing} "
                f"{self.concern.title.lower()} yet."
            )
        if self.basis == "exploratory":
            who = " and ".join(
                KIND_WORDS[k] for k in sorted({_kind(s.metric) for s in self.exploratory})
            )
            single = len({_name(s.metric) for s in self.exploratory}) == 1
            return (
                f"Only {who} measure it so far ({_count_words(self.exploratory)}), and "
                f"{'this measure is' if single else 'these measures are'} {EXPLORATORY_WORDS}."
            )
        by_kind: dict[str, list[SeriesResult]] = defaultdict(list)
        for one in self.measured:
            by_kind[_kind(one.metric)].append(one)
        what = " and ".join(
            f"{KIND_WORDS[kind]} ({_count_words(by_kind[kind])})" for kind in sorted(by_kind)
        )
        return f"From {what}{days}."

    def rating_words(self) -> str:
        """Give her own rating's verdict, shown beside a measured one ("" where it is the
        verdict itself, or there is none)."""
        if self.rating is None or self.basis != "measured":
            return ""
        return f"Your rating: {RATING_WORDS[self.rating.verdict]}."

    def missing_words(self) -> str:
        """Give what a verdict still needs and when it can come ("" once there is one)."""
        if self.verdict != "not_enough_data":
            return ""
        if self.basis == "nothing":
            return ""
        judged = self.judged
        if judged is None:
            return (
                f"Its measurements have no usual variation known yet: that needs {MIN_BASELINE} "
                "baseline measurements on different days before the first session."
            )
        when = self.first_verdict_on
        after = (
            f" A verdict is possible from {day_in_words(when, year=True)} at the earliest."
            if when
            else ""
        )
        return f"Still needed: {judged.reason}.{after}"

    def _days_words(self) -> str:
        judged, first, last = self.judged, self.first_day, self.last_day
        if judged is None or first is None or last is None:
            return ""
        return ", on " + concern_days_words(first, last, judged.days)

    def groups(self) -> tuple[MeasureGroup, ...]:
        """Give the concern's measured series by measure, in the concern's order."""
        groups = []
        for name in self.concern.measures:
            shown = self.measured + self.exploratory
            series = tuple(s for s in shown if _name(s.metric) == name)
            if series:
                measure = measure_of(name)
                title = measure.title if measure else name
                groups.append(MeasureGroup(name, title, _kind(name), series))
        return tuple(groups)

    def details(self) -> list[str]:
        """Give the evidence behind the verdict in plain words: each measure's verdicts, then
        the :meth:`notes`."""
        lines = [group.words() for group in self.groups()] + self.notes()
        if self.rating is not None:
            lines.append(f"Your own rating: {RATING_WORDS[self.rating.verdict]}.")
        return lines

    def notes(self) -> list[str]:
        """Give what goes with the measures' verdicts: those not combined yet and the combined
        change."""
        lines = []
        unjudged = sorted({title_of(s.metric) for s in self.exploratory})
        if unjudged and self.basis != "exploratory":
            lines.append(
                f"{' and '.join(unjudged)} {'is' if len(unjudged) == 1 else 'are'} shown but "
                f"not in the verdict: {EXPLORATORY_WORDS}."
            )
        left_out = len(self.measured) - len(self.used)
        if left_out:
            lines.append(
                f"{left_out} of these {'is' if left_out == 1 else 'are'} not in the combined "
                f"verdict yet: {'its' if left_out == 1 else 'their'} usual variation needs "
                f"{MIN_BASELINE} baseline measurements."
            )
        if self.combined is not None and self.combined.change is not None:
            lo, est, hi = self.combined.change
            mdc = self.combined.mdc
            d = decimals_for(mdc or hi - lo)
            beyond = f"; only a change beyond ±{number(mdc, d)} counts" if mdc else ""
            lines.append(
                f"Taken together, the measurements moved {signed(est, d)} since your baseline, "
                "counted in units of each one's usual day-to-day variation (plus is better): "
                f"likely between {signed(lo, d)} and {signed(hi, d)}{beyond}."
            )
        return lines

    def as_json(self) -> dict[str, Any]:
        """Give the concern as JSON-ready data, with the same words the pages show."""
        combined = self.combined
        change = None if combined is None or combined.change is None else list(combined.change)
        return {
            "concern": self.concern.name,
            "title": self.concern.title,
            "verdict": self.verdict,
            "basis": self.basis,
            "headline": self.headline(),
            "based_on": self.based_on(),
            "missing": self.missing_words(),
            "rating_verdict": None if self.rating is None else self.rating.verdict,
            "measured_series": len(self.measured),
            "combined_series": len(self.used),
            "exploratory_series": len(self.exploratory),
            "days": 0 if self.judged is None else self.judged.days,
            "first_day": _iso(self.first_day),
            "last_day": _iso(self.last_day),
            "first_verdict_on": _iso(self.first_verdict_on),
            "change": change,
            "mdc": None if combined is None else combined.mdc,
            "details": self.details(),
        }


def analyse_concerns(series: Sequence[SeriesResult]) -> tuple[ConcernResult, ...]:
    """Give one verdict per concern from analysed ``series`` (the module's docstring gives the
    rule); the split-face differences and measures of no concern are left out."""
    results = []
    for concern in CONCERNS:
        mine = tuple(
            s
            for s in series
            if _name(s.metric) in concern.measures
            and s.side != SPLIT_SIDE
            and s.higher_is_better is not None
        )
        measured = tuple(s for s in mine if not s.exploratory)
        exploratory = tuple(s for s in mine if s.exploratory)
        rating = next(
            (s for s in series if concern.rating is not None and s.metric == concern.rating), None
        )
        used = tuple(s for s in measured if _has_noise(s))
        combined = combine(concern, used)
        if measured:
            basis: Basis = "measured"
            verdict: Verdict = "not_enough_data" if combined is None else combined.verdict
        elif rating is not None:
            basis, verdict = "rating", rating.verdict
        elif exploratory:
            basis, verdict = "exploratory", "exploratory"
        else:
            basis, verdict = "nothing", "not_enough_data"
        results.append(
            ConcernResult(concern, basis, verdict, combined, measured, used, rating, exploratory)
        )
    return tuple(results)


def combine(concern: Concern, used: Sequence[SeriesResult]) -> SeriesResult | None:
    """Give ``used`` combined into one series judged once (module docstring, 1.–3.), or None
    without any."""
    if not used:
        return None
    by_day: dict[dt.date, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    baseline_days: set[dt.date] = set()
    for one in used:
        flags = baseline_flags(one.observations)
        values: dict[dt.date, list[float]] = defaultdict(list)
        own_baseline: set[dt.date] = set()
        for obs, is_baseline in zip(one.observations, flags, strict=True):
            values[obs.date].append(obs.value)
            if is_baseline:
                own_baseline.add(obs.date)
        baseline_days |= own_baseline
        centre = baseline_mean(one.observations)
        assert centre is not None  # _has_noise: it has baseline measurements
        sign = 1.0 if one.higher_is_better else -1.0
        assert one.sem  # _has_noise
        for day, day_values in values.items():
            score = sign * (statistics.fmean(day_values) - centre) / one.sem
            by_day[day][_kind(one.metric)].append(score)
    combined = [
        Observation(
            day,
            f"concern:{concern.name}",
            statistics.fmean(statistics.fmean(scores) for scores in kinds.values()),
            phase=_phase(day in baseline_days),
            unit=COMPOSITE_UNIT,
        )
        for day, kinds in sorted(by_day.items())
    ]
    return analyse_series(combined, higher_is_better=True)


def _phase(is_baseline: bool) -> Phase:
    return "baseline" if is_baseline else "treatment"


def _has_noise(series: SeriesResult) -> bool:
    """Whether a series' usual variation is known: an SEM above zero from enough baseline
    measurements, so dividing by it cannot blow one series up."""
    return bool(series.sem) and series.baseline_n >= MIN_BASELINE


def _name(metric: str) -> str:
    measure = measure_of(metric)
    return measure.name if measure else metric


def _kind(metric: str) -> MeasureKind:
    measure = measure_of(metric)
    return "instrument" if measure is None else measure.kind


def _places(count: int) -> str:
    return f"{count} place{plural(count)}"


def _named(series: Sequence[SeriesResult]) -> str:
    return "; ".join(
        ", ".join(p for p in (s.zone, f"{s.side} side" if s.side in SIDES else None) if p)
        or "whole face"
        for s in series
    ).replace("_", " ")


def _count_words(series: Sequence[SeriesResult]) -> str:
    measures = len({_name(s.metric) for s in series})
    places = len({(s.zone, s.side) for s in series})
    what = f"{measures} measure{plural(measures)}"
    return what if places <= 1 else f"{what} in {_places(places)}"


def _percent(share: float) -> str:
    return f"{100 * share:.1f} %"


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def concern_days_words(first: dt.date, last: dt.date, days: int) -> str:
    """Give the days a verdict stands on: "13 days from 7 September to 5 December 2026"."""
    if first == last:
        return f"1 day, {day_in_words(first, year=True)}"
    return (
        f"{days} day{plural(days)} from {day_in_words(first, year=first.year != last.year)} to "
        f"{day_in_words(last, year=True)}"
    )
