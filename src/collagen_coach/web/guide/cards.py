"""What the guided session shows and says for each step, as data for the browser's player.

The words mirror the terminal player (``collagen_coach.cli.player``): the same zone phrases, cue
sentences and pressure words, so a session sounds the same wherever it is played.
"""

from __future__ import annotations

from typing import Any

from collagen_coach.core.cues import cue_schedule, spoken_pressure, step_start_words, zone_phrase
from collagen_coach.core.planning import Session, Step
from collagen_coach.core.techniques import Library, Technique, load_library

# How the face map draws each kind of movement, chosen by the technique's tempo unit.
MOTION_BY_TEMPO_UNIT: dict[str, str] = {
    "s_per_circle": "circles",
    "taps_per_s": "dots",
    "s_per_stroke": "sweep",
    "s_per_hold": "stretch",
    "s_per_pinch": "pinch",
}
# Techniques whose movement is not what their tempo unit suggests.
MOTION_BY_TECHNIQUE: dict[str, str] = {"kneading": "knead"}


def motion_of(technique: Technique) -> str:
    """Give the movement to draw for ``technique``: circles, dots, sweep, stretch, pinch, knead."""
    return MOTION_BY_TECHNIQUE.get(
        technique.id, MOTION_BY_TEMPO_UNIT.get(technique.tempo.unit, "sweep")
    )


def direction_of(technique: Technique, zone: str) -> str:
    """Give where the strokes go on the face map: ``down`` on the neck or ``up_out``."""
    # Strokes on the neck always go down toward the collarbones (the lymph drains there); every
    # other stroke of the library works upward and outward.
    return "down" if zone == "neck" else "up_out"


def step_card(step: Step, index: int, count: int, library: Library) -> dict[str, Any]:
    """Give one planned step as the player shows it (names, words, motion, spoken cues)."""
    technique = library.techniques[step.technique]
    zone = library.zones[step.zone]
    where = zone_phrase(zone, step.side)
    cautions = ([zone.note] if zone.note else []) + list(technique.cautions)
    evidence = library.evidence_for(technique.id)
    # The planner's reason already names its evidence; repeat the technique's only if not.
    evidence_text = f"{evidence.claim.strip()} ({evidence.label})"
    return {
        "index": index,
        "technique": technique.id,
        "name": technique.name,
        "zone": zone.id,
        "zone_name": zone.name,
        "side": step.side,
        "where": where[:1].upper() + where[1:],
        "duration_s": int(step.duration_s),
        "length": length_text(step.duration_s),
        "pressure": step.pressure,
        "pressure_words": spoken_pressure(step.pressure).capitalize(),
        "tempo": step.tempo_cue[:1].upper() + step.tempo_cue[1:],
        "how_to": technique.how_to_on(zone.id),
        "cautions": cautions,
        "why": step.why,
        "evidence": "" if "evidence:" in step.why else evidence_text,
        "motion": motion_of(technique),
        "direction": direction_of(technique, zone.id),
        "cue": step_start_words(step, technique, zone, first=index == 0),
        # Every cue of the step at its second (core.cues owns the words and the timing).
        "cues": [cue.as_json() for cue in cue_schedule(step, technique, zone, index=index)],
        "last": index == count - 1,
    }


def length_text(seconds: int) -> str:
    """Give a step's length as shown in a list: "45 s", "2 min", "1 min 30 s"."""
    minutes, rest = divmod(int(seconds), 60)
    if minutes and rest:
        return f"{minutes} min {rest} s"
    return f"{minutes} min" if minutes else f"{rest} s"


def session_cards(session: Session, library: Library | None = None) -> list[dict[str, Any]]:
    """Give every step of ``session`` as the player shows it, in order."""
    library = library or load_library()
    count = len(session.steps)
    return [step_card(step, n, count, library) for n, step in enumerate(session.steps)]


def logged_steps(log_steps: list[dict[str, Any]], candidates: list[Session]) -> list[Step]:
    """Give the planned steps behind a saved session log's steps, to resume it.

    A log keeps technique, zone, side and seconds only; pressure and tempo come from the first of
    ``candidates`` (the session as planned, and made gentler) whose steps match; where none
    match, the technique's lightest pressure within the zone's cap. Either way the caller fits
    the steps to the screening that holds on the day they are played (plan_checks.fit_step).
    """
    library = load_library()
    for session in candidates:
        if len(session.steps) == len(log_steps) and all(
            (s.technique, s.zone, s.side, s.duration_s)
            == (row["technique"], row["zone"], row["side"], int(row["planned_s"]))
            for s, row in zip(session.steps, log_steps, strict=True)
        ):
            return list(session.steps)
    steps = []
    for row in log_steps:
        technique = library.techniques[row["technique"]]
        zone = library.zones[row["zone"]]
        steps.append(
            Step(
                technique=technique.id,
                zone=zone.id,
                side=row["side"],
                duration_s=int(row["planned_s"]),
                pressure=max(1, min(technique.pressure.min, zone.max_pressure)),
                tempo_value=technique.tempo.value,
                tempo_unit=technique.tempo.unit,
                tempo_cue=technique.tempo.cue,
                why="",
            )
        )
    return steps
