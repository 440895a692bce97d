"""The plan generator: a profile and a screening decision in, a progressive program out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from collagen_coach.core import trials
from collagen_coach.core.errors import UserError, field_path
from collagen_coach.core.library import load_data_file
from collagen_coach.core.measures import MIN_BASELINE, MIN_WEEKS
from collagen_coach.core.screening import Decision, Intake, parse_intake
from collagen_coach.core.techniques import (
    PHASES,
    ZONE_IDS,
    Concern,
    Experience,
    Library,
    Phase,
    Technique,
    TempoUnit,
    Zone,
    ZoneId,
    load_library,
)
from collagen_coach.core.trials import SideDraw, TrialPhase

PLANNER_VERSION = "planner@1"
# A plan starts from a year back (catching up a plan already begun) to 90 days ahead.
START_AHEAD_DAYS = 90
START_BACK_DAYS = 365
# A baseline week: MIN_BASELINE measurement days every other day (day 1, 3 and 5), the first
# session the day after the last. Spread over the week, the repeats include day-to-day change
# (sleep, weather, skin), which is the noise a later change must beat; and a day missed can be
# made up on the free day after it without moving the first session.
BASELINE_EVERY_DAYS = 2

Side = Literal["both", "left", "right"]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Profile(_Value):
    age: int = Field(ge=18, le=110)
    concerns: list[Concern] = Field(default_factory=list)
    experience: Experience = "new"
    minutes_per_day: int = Field(default=10, ge=3, le=60)
    days_per_week: int = Field(default=5, ge=1, le=7)
    sensitivity: Literal["low", "normal", "high"] = "normal"
    wants_peptides: bool = False
    start_date: dt.date
    weeks: int = Field(default=12, ge=4, le=52)
    treated_side: Side = "both"
    side_draw: SideDraw | None = None  # how a split-face side was settled (core.trials)
    schedule: trials.Schedule = "steady"
    intake: Intake | None = None
    # The plan begins with a baseline week before its first session.
    baseline_week: bool = False
    # A pause week to take the baseline again begins on this day (sessions done before it stay
    # in the history; progress is judged from the new baseline).
    baseline_pause_on: dt.date | None = None

    @model_validator(mode="after")
    def _trial_fits(self) -> Profile:
        problem = trials.trial_problem(self.schedule, self.weeks, self.treated_side, self.side_draw)
        if problem is not None:
            raise ValueError(problem)
        return self


class Step(_Value):
    technique: str
    zone: str
    side: Side
    duration_s: int
    pressure: int = Field(ge=1, le=5)
    tempo_value: float
    tempo_unit: TempoUnit
    tempo_cue: str
    why: str


class Session(_Value):
    date: dt.date
    phase: Phase
    steps: list[Step]

    @property
    def duration_s(self) -> int:
        return sum(step.duration_s for step in self.steps)


class PhaseSpan(_Value):
    name: Phase
    start: dt.date
    end: dt.date  # inclusive
    goal: str


class DailyItem(_Value):
    name: str
    dose: str
    note: str
    evidence_level: str
    evidence: str


class Program(_Value):
    """A dated program; ``refused`` is set (and nothing else planned) when screening says refer."""

    planner: str = PLANNER_VERSION
    profile: Profile
    decision: Decision
    refused: str | None = None
    phases: list[PhaseSpan] = Field(default_factory=list)
    sessions: list[Session] = Field(default_factory=list)
    daily: list[DailyItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    # The measurement days of the baseline week (or of a pause week), in order; empty without.
    baseline_days: list[dt.date] = Field(default_factory=list)
    # Measurements before this day were taken before a pause week: earlier history, not used to
    # judge progress from the new baseline.
    earlier_history_before: dt.date | None = None
    # An on/off plan's off blocks (first, last day): no sessions, measurements go on.
    off_spans: list[tuple[dt.date, dt.date]] = Field(default_factory=list)

    def is_off(self, day: dt.date) -> bool:
        """Give whether ``day`` lies in an off block of an on/off plan."""
        return trials.is_off(day, self.off_spans)

    def session_on(self, day: dt.date) -> Session | None:
        """Give the session planned for ``day``, if any."""
        return next((s for s in self.sessions if s.date == day), None)

    @property
    def first_session_on(self) -> dt.date | None:
        """Give the date of the first planned session (None when nothing is planned)."""
        return self.sessions[0].date if self.sessions else None

    @property
    def treatment_from(self) -> dt.date | None:
        """Give the first session after the baseline (after a pause week, the first after the
        pause), from which progress counts as treatment; None when nothing is planned after."""
        after = self.baseline_days[-1] if self.baseline_days else None
        return next((s.date for s in self.sessions if after is None or s.date > after), None)

    def baseline_day_number(self, day: dt.date) -> int | None:
        """Give which baseline day ``day`` is (1, 2, 3), or None if it is not one."""
        if day in self.baseline_days:
            return self.baseline_days.index(day) + 1
        return None

    def in_baseline_week(self, day: dt.date) -> bool:
        """Give whether ``day`` lies from the first baseline day to the day before the first
        session after it (the days with measurements and no sessions)."""
        first = self.treatment_from
        return (
            bool(self.baseline_days)
            and self.baseline_days[0] <= day
            and (first is None or day < first)
        )

    def phase_of(self, day: dt.date) -> TrialPhase | None:
        """Give the progress phase of something measured on ``day`` (see ``progress_phase``);
        what was measured before a pause week (``earlier_history_before``) is not judged."""
        return progress_phase(day, self.treatment_from, self.off_spans)


def baseline_dates(first: dt.date) -> list[dt.date]:
    """Give the baseline week's measurement days from ``first``: MIN_BASELINE days, every
    BASELINE_EVERY_DAYS days (e.g. Monday, Wednesday, Friday)."""
    return [first + dt.timedelta(days=BASELINE_EVERY_DAYS * n) for n in range(MIN_BASELINE)]


def progress_phase(
    day: dt.date, first_session: dt.date | None, off: list[tuple[dt.date, dt.date]] | None = None
) -> TrialPhase | None:
    """Give the progress phase of something measured on ``day``: the baseline before the plan's
    first session, treatment from then on, ``off`` in an on/off plan's off blocks; None without
    a first session (progress then takes its own baseline).

    After a pause week ``first_session`` is the first session after it; what was measured
    before it is left out (``Program.earlier_history_before``): the pause week is the baseline."""
    return trials.trial_phase(day, first_session, off or [])


# --- reading a profile -------------------------------------------------------------------------


def check_start_date(start: dt.date, today: dt.date) -> dt.date:
    """Give a plan's first day back if it lies from a year ago to 90 days ahead of ``today``."""
    earliest = today - dt.timedelta(days=START_BACK_DAYS)
    latest = today + dt.timedelta(days=START_AHEAD_DAYS)
    if not earliest <= start <= latest:
        raise UserError("start_date", f"{start} is too far off", f"{earliest} to {latest}")
    return start


def parse_profile(raw: object, *, today: dt.date | None = None) -> Profile:
    """Give a validated Profile from parsed JSON, or raise a UserError naming the field.

    With ``today``, the plan's first day must lie within a year back and 90 days ahead, and the
    intake's answers are checked as of that day (as the API and the pages check them).
    """
    if not isinstance(raw, dict):
        raise UserError("profile", "must be a JSON object", "an object with age, start_date, …")
    fields = dict(raw)
    intake_raw = fields.pop("intake", None)
    fields = trials.with_side_settled(fields, dt.datetime.now(dt.UTC))
    try:
        profile = Profile.model_validate(fields)
    except ValidationError as exc:
        raise validation_to_user_error(exc) from exc
    if today is not None:
        check_start_date(profile.start_date, today)
    if intake_raw is None:
        return profile
    try:
        intake = parse_intake(intake_raw, today=today)
    except UserError as exc:
        raise UserError(f"intake.{exc.field}", exc.problem, exc.allowed) from exc
    return profile.model_copy(update={"intake": intake})


def validation_to_user_error(exc: ValidationError) -> UserError:
    """Give the first problem of a pydantic error as a UserError with a readable field path."""
    first = exc.errors()[0]
    problem = first["msg"]
    if first["type"] == "extra_forbidden":
        problem = "is not a field we know"
    elif first["type"] == "value_error" and "error" in first.get("ctx", {}):
        problem = str(first["ctx"]["error"])  # a rule across fields (core.trials)
    elif "input" in first and first["type"] != "missing":
        problem = f"{first['input']!r}: {problem[0].lower()}{problem[1:]}"
    return UserError(field_path(tuple(first["loc"])) or "profile", problem)


# --- the plan ----------------------------------------------------------------------------------


class ConcernInfo(_Value):
    id: Concern
    name: str
    means: str
    zones: list[ZoneId]


class _ConcernsFile(_Value):
    version: int
    concerns: list[ConcernInfo]


@cache
def load_concerns() -> dict[str, ConcernInfo]:
    """Give each concern a person can name, by id: its name, what it means, the zones it is about
    (core/data/concerns.yaml)."""
    loaded = load_data_file("concerns.yaml", _ConcernsFile)
    return {c.id: c for c in loaded.concerns}


# Weeks of each phase per experience level; the rest of the program up to week MIN_WEEKS (8) is
# "build", after which the routine is maintained. When progress can first be judged is counted from
# the first baseline day, not from here (core.baseline.first_verdict_on, EVIDENCE.md §6).
_FOUNDATION_WEEKS: dict[str, int] = {"new": 3, "some": 2, "practised": 1}
_PHASE_GOALS: dict[str, str] = {
    "foundation": "Learn the gentle strokes and make the routine a habit.",
    "build": "Add the firmer techniques your experience allows, one at a time.",
    "maintain": "Keep the routine that suits you.",
}
# Share of a session for the warm-up and for the finishing strokes, and the shortest steps.
_WARM_UP_SHARE = 0.12
_FINISH_SHARE = 0.12
_SHORTEST_FRAME_S = 20
_SHORTEST_MAIN_STEP_S = 40
_TYPICAL_MAIN_STEP_S = 90
_MOST_MAIN_STEPS = 8
_ROUND_TO_S = 5
_WARM_UP_ZONE = "cheeks"


@dataclass(frozen=True)
class _Limits:
    """What screening allows on one date."""

    avoid_zones: frozenset[str]
    exclude_techniques: frozenset[str]
    max_pressure: int


def build_plan(profile: Profile, decision: Decision, library: Library | None = None) -> Program:
    """Give a dated, progressive program for ``profile`` within what ``decision`` allows.

    Same input, same output: nothing here depends on the clock or on chance.
    """
    library = library or load_library()
    if decision.decision == "refer":
        reasons = " ".join(decision.reasons)
        return Program(
            profile=profile,
            decision=decision,
            refused="No plan: please see a clinician first. " + reasons,
            notes=["Screen again once a clinician has said facial massage is fine for you."],
        )
    start = profile.start_date
    notes: list[str] = []
    if decision.decision == "defer" and decision.resume_on and decision.resume_on > start:
        notes.append(
            f"Your first session is on {decision.resume_on.isoformat()}, not before: "
            + " ".join(decision.reasons)
        )
        start = decision.resume_on
    baseline = baseline_dates(start) if profile.baseline_week else []
    if baseline:
        start = baseline[-1] + dt.timedelta(days=1)
    phases = _phase_spans(start, profile.weeks, profile.experience)
    sessions: list[Session] = []
    for index, day in enumerate(_session_days(start, profile.weeks, profile.days_per_week)):
        phase = next(p for p in phases if p.start <= day <= p.end)
        limits = _limits_on(day, decision)
        steps = _session_steps(profile, phase.name, limits, index, library)
        if steps:
            sessions.append(Session(date=day, phase=phase.name, steps=steps))
    spans = trials.off_spans(start, profile.weeks) if profile.schedule == "on_off" else []
    sessions = [s for s in sessions if not trials.is_off(s.date, spans)]
    earlier_before = None
    pause_on = profile.baseline_pause_on
    if pause_on is not None and sessions and pause_on > sessions[0].date:
        # A pause week: no sessions on its days; the old sessions stay as planned before it.
        baseline = baseline_dates(pause_on)
        sessions = [s for s in sessions if not pause_on <= s.date <= baseline[-1]]
        earlier_before = pause_on
    notes.extend(_general_notes(profile, decision, library))
    return Program(
        profile=profile,
        decision=decision,
        phases=phases,
        sessions=sessions,
        daily=_daily_items(profile, library),
        notes=notes,
        baseline_days=baseline,
        earlier_history_before=earlier_before,
        off_spans=spans,
    )


def _phase_spans(start: dt.date, weeks: int, experience: str) -> list[PhaseSpan]:
    foundation = min(_FOUNDATION_WEEKS[experience], max(1, weeks // 3))
    build_until = max(foundation + 1, min(MIN_WEEKS, weeks - 1))
    bounds = [("foundation", 0, foundation), ("build", foundation, build_until)]
    bounds.append(("maintain", build_until, weeks))
    spans = []
    for name, first_week, end_week in bounds:
        if end_week > first_week:
            spans.append(
                PhaseSpan(
                    name=name,
                    start=start + dt.timedelta(weeks=first_week),
                    end=start + dt.timedelta(weeks=end_week, days=-1),
                    goal=_PHASE_GOALS[name],
                )
            )
    return spans


def _session_days(start: dt.date, weeks: int, days_per_week: int) -> list[dt.date]:
    """Give the session dates: ``days_per_week`` days spread evenly over each 7-day block."""
    offsets = sorted({(i * 7) // days_per_week for i in range(days_per_week)})
    return [start + dt.timedelta(weeks=w, days=o) for w in range(weeks) for o in offsets]


def _limits_on(day: dt.date, decision: Decision) -> _Limits:
    active = decision.restrictions_on(day)
    return _Limits(
        avoid_zones=frozenset(z for r in active for z in r.avoid_zones),
        exclude_techniques=frozenset(t for r in active for t in r.exclude_techniques),
        max_pressure=min([r.max_pressure for r in active], default=5),
    )


def _pressure(
    technique: Technique, zone: Zone, phase: str, profile: Profile, limits: _Limits
) -> int | None:
    """Give the pressure level for a technique on a zone, or None if it cannot be done gently
    enough there (its lightest pressure is above what the zone or screening allows)."""
    wanted = {
        "foundation": technique.pressure.min,
        "build": technique.pressure.default,
        "maintain": technique.pressure.default + (profile.experience == "practised"),
    }[phase]
    if profile.sensitivity == "high":
        wanted -= 1
    cap = min(technique.pressure.max, zone.max_pressure, limits.max_pressure)
    if technique.pressure.min > cap:
        return None
    return max(technique.pressure.min, min(wanted, cap))


def _allowed(technique: Technique, profile: Profile, phase: str, limits: _Limits) -> bool:
    introduced = PHASES.index(technique.introduced_in[profile.experience])
    return technique.id not in limits.exclude_techniques and introduced <= PHASES.index(phase)


def _zones_for(
    technique: Technique, profile: Profile, limits: _Limits, library: Library
) -> list[Zone]:
    zones = [library.zones[z] for z in technique.zones if z not in limits.avoid_zones]
    if profile.treated_side != "both":
        # A split-face trial touches only the treated side: midline zones would touch both.
        zones = [z for z in zones if z.sided]
    return zones


@dataclass(frozen=True, eq=False)  # compared by identity: each is one slot in a session
class _Candidate:
    technique: Technique
    zone: Zone
    pressure: int
    score: float
    concerns: list[Concern]


def _session_steps(
    profile: Profile, phase: str, limits: _Limits, index: int, library: Library
) -> list[Step]:
    total_s = profile.minutes_per_day * 60
    frame = [
        t
        for t in library.techniques.values()
        if t.role != "main" and _allowed(t, profile, phase, limits)
    ]
    warm_up = _frame_step(frame, "warm_up", profile, phase, limits, library)
    finish = _frame_step(frame, "finishing", profile, phase, limits, library)
    frame_s = {
        "warm_up": max(_SHORTEST_FRAME_S, _round(total_s * _WARM_UP_SHARE)) if warm_up else 0,
        "finishing": max(_SHORTEST_FRAME_S, _round(total_s * _FINISH_SHARE)) if finish else 0,
    }
    main_s = total_s - frame_s["warm_up"] - frame_s["finishing"]
    chosen = _choose_main(profile, phase, limits, index, library, main_s)
    if not chosen:
        return []
    durations = _share_out(main_s, [c.score for c in chosen])
    steps: list[Step] = []
    if warm_up:
        steps.append(_step(*warm_up, frame_s["warm_up"], profile, library, "Warms the skin up."))
    for cand, duration_s in zip(chosen, durations, strict=True):
        steps.append(
            _step(
                cand.technique,
                cand.zone,
                cand.pressure,
                duration_s,
                profile,
                library,
                _why_main(cand),
            )
        )
    if finish:
        steps.append(
            _step(
                *finish,
                frame_s["finishing"],
                profile,
                library,
                "Ends the session gently, stroking toward the lymph nodes.",
            )
        )
    return steps


def _frame_step(
    techniques: list[Technique],
    role: str,
    profile: Profile,
    phase: str,
    limits: _Limits,
    library: Library,
) -> tuple[Technique, Zone, int] | None:
    """Give the warm-up or finishing stroke and the zone it is done on.

    The warm-up starts where there is most skin to warm (the cheeks); the finishing strokes end
    as low as allowed, toward the lymph nodes of the neck.
    """
    for technique in (t for t in techniques if t.role == role):
        zones = _zones_for(technique, profile, limits, library)
        if role == "finishing":
            zones = sorted(zones, key=lambda z: -ZONE_IDS.index(z.id))
        else:
            zones = sorted(zones, key=lambda z: z.id != _WARM_UP_ZONE)
        for zone in zones:
            pressure = _pressure(technique, zone, phase, profile, limits)
            if pressure is not None:
                return technique, zone, pressure
    return None


def _choose_main(
    profile: Profile, phase: str, limits: _Limits, index: int, library: Library, main_s: int
) -> list[_Candidate]:
    """Give this session's main steps: the concern emphasis always, the rest in rotation."""
    concerns = load_concerns()
    candidates: list[_Candidate] = []
    for technique in library.techniques.values():
        if technique.role != "main" or not _allowed(technique, profile, phase, limits):
            continue
        for zone in _zones_for(technique, profile, limits, library):
            pressure = _pressure(technique, zone, phase, profile, limits)
            if pressure is None:
                continue
            # A concern's zone earns emphasis; more so with a technique said to address it.
            matched = [c for c in profile.concerns if zone.id in concerns[c].zones]
            fitting = [c for c in matched if c in technique.addresses]
            candidates.append(
                _Candidate(
                    technique=technique,
                    zone=zone,
                    pressure=pressure,
                    score=1.0 + len(matched) + len(fitting),
                    concerns=matched,
                )
            )
    if not candidates:
        return []
    wanted = max(1, min(_MOST_MAIN_STEPS, round(main_s / _TYPICAL_MAIN_STEP_S)))
    wanted = min(wanted, len(candidates), max(1, main_s // _SHORTEST_MAIN_STEP_S))
    # Stable order: emphasis first, then library order of techniques, then face order of zones.
    order = {t: i for i, t in enumerate(library.techniques)}
    candidates.sort(key=lambda c: (-c.score, order[c.technique.id], ZONE_IDS.index(c.zone.id)))
    emphasised = _interleave([c for c in candidates if c.score > 1], key=lambda c: c.zone.id)
    keep = _rotate(emphasised, index, (wanted + 1) // 2)
    rest = _interleave([c for c in candidates if c not in keep], key=lambda c: c.technique.id)
    keep += _rotate(rest, index, wanted - len(keep))
    # Play them top of the face to bottom, gentler techniques first within a zone.
    keep.sort(key=lambda c: (ZONE_IDS.index(c.zone.id), order[c.technique.id]))
    return keep


def _interleave(candidates: list[_Candidate], key: Callable[[_Candidate], str]) -> list[_Candidate]:
    """Give the candidates round-robin over ``key`` (a zone or a technique), keeping their
    order within each group, so that neighbours in the result differ."""
    groups: dict[str, list[_Candidate]] = {}
    for cand in candidates:
        groups.setdefault(key(cand), []).append(cand)
    queues = list(groups.values())
    longest = max((len(q) for q in queues), default=0)
    return [q[i] for i in range(longest) for q in queues if i < len(q)]


def _rotate(candidates: list[_Candidate], index: int, count: int) -> list[_Candidate]:
    """Give ``count`` candidates for session number ``index``, moving on each session."""
    if not candidates or count <= 0:
        return []
    start = (index * count) % len(candidates)
    return (candidates[start:] + candidates[:start])[:count]


def _share_out(total_s: int, weights: list[float]) -> list[int]:
    """Give durations in whole seconds, proportional to ``weights``, adding up to ``total_s``."""
    raw = [total_s * w / sum(weights) for w in weights]
    shares = [_round(r) for r in raw]
    shares[shares.index(max(shares))] += total_s - sum(shares)
    return shares


def _round(seconds: float) -> int:
    return int(_ROUND_TO_S * round(seconds / _ROUND_TO_S))


def _why_main(candidate: _Candidate) -> str:
    concerns = load_concerns()
    zone = candidate.zone.name.lower()
    if candidate.concerns:
        names = " and ".join(concerns[c].name.lower() for c in candidate.concerns)
        return f"Emphasis for {names} ({zone})."
    return f"In rotation, so every zone gets its turn ({zone})."


def _step(
    technique: Technique,
    zone: Zone,
    pressure: int,
    duration_s: int,
    profile: Profile,
    library: Library,
    why: str,
) -> Step:
    evidence = library.evidence[technique.evidence]
    return Step(
        technique=technique.id,
        zone=zone.id,
        side=profile.treated_side if zone.sided else "both",
        duration_s=duration_s,
        pressure=pressure,
        tempo_value=technique.tempo.value,
        tempo_unit=technique.tempo.unit,
        tempo_cue=technique.tempo.cue,
        why=f"{why} {evidence.claim} ({evidence.label})",
    )


# Conditions for which collagen supplements should be cleared with a clinician first.
_PEPTIDE_ASK_FIRST = {
    "pregnancy": "you are pregnant",
    "cancer_treatment": "you are in cancer treatment",
}


def _daily_items(profile: Profile, library: Library) -> list[DailyItem]:
    if not profile.wants_peptides:
        return []
    conditions = set(profile.intake.conditions) if profile.intake else set()
    if conditions & set(_PEPTIDE_ASK_FIRST):
        return []
    evidence = library.evidence["collagen_peptides"]
    return [
        DailyItem(
            name="Collagen peptides",
            dose="2.5–10 g a day, once, in a drink or food (most trials used 2.5–5 g)",
            note=evidence.caveat,
            evidence_level=evidence.level,
            evidence=f"{evidence.claim} ({evidence.label}; {evidence.citation})",
        )
    ]


def _general_notes(profile: Profile, decision: Decision, library: Library) -> list[str]:
    notes: list[str] = []
    if decision.decision == "modify":
        notes.append("Your plan respects your screening: " + " ".join(decision.reasons))
    judge = library.evidence["judge_after_8_weeks"]
    notes.append(
        "Take your baseline photos before the first session; judge progress after at least "
        f"{MIN_WEEKS} weeks. ({judge.label})"
    )
    progression = library.evidence["progression_beginners"]
    notes.append(
        "Starting gently and adding firmer techniques later follows practitioners' advice; "
        f"no study has tested an order. ({progression.label})"
    )
    if profile.treated_side != "both":
        notes.append(
            f"Split-face trial: massage only your {profile.treated_side} side; the other side is "
            "the comparison. Midline zones (between the brows, chin) are left out."
        )
    if profile.schedule == "on_off":
        notes.append(trials.ON_OFF_WORDS)
    if profile.wants_peptides and profile.intake:
        asked = [why for c, why in _PEPTIDE_ASK_FIRST.items() if c in profile.intake.conditions]
        if asked:
            notes.append(
                f"Collagen peptides are not scheduled because {' and '.join(asked)}: "
                "ask your clinician first."
            )
    return notes


def gentler(session: Session, library: Library | None = None) -> Session:
    """Give ``session`` made gentler after pain or lasting redness last time.

    Every step one pressure level lighter (never below 1); a step whose technique cannot be done
    that lightly becomes circular motions on the same zone, or is dropped with its time given to
    the steps that remain, so the session still fits the minutes planned.
    """
    library = library or load_library()
    kept: list[Step] = []
    freed_s = 0
    circles = library.techniques.get("circular_motions")
    for step in session.steps:
        lighter = max(1, step.pressure - 1)
        technique = library.techniques[step.technique]
        if technique.pressure.min <= lighter:
            kept.append(step.model_copy(update={"pressure": lighter}))
        elif circles is not None and step.zone in circles.zones:
            kept.append(
                step.model_copy(
                    update={
                        "technique": circles.id,
                        "pressure": max(circles.pressure.min, min(lighter, circles.pressure.max)),
                        "tempo_value": circles.tempo.value,
                        "tempo_unit": circles.tempo.unit,
                        "tempo_cue": circles.tempo.cue,
                        "why": "Gentler today after your comfort feedback. " + step.why,
                    }
                )
            )
        else:
            freed_s += step.duration_s
    if kept and freed_s:
        extra = _share_out(freed_s, [1.0] * len(kept))
        kept = [
            s.model_copy(update={"duration_s": s.duration_s + e})
            for s, e in zip(kept, extra, strict=True)
        ]
    return session.model_copy(update={"steps": kept})
