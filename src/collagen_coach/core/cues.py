"""What the guided session says, and when: the words of every cue and each step's cue schedule.

Shared by the terminal player and the browser player so that both say the same thing at the same
second. A step is announced as it begins (technique, where, length, pressure), then its how-to on
the zone is said, then rhythm cues follow at the technique's tempo, with one encouragement near
the middle, "switch sides" half-way where a step does both sides one after the other, and "ten
seconds left". The schedule is computed here, once, from estimated speaking times, so that no
two cues overlap and no silence inside a step is longer than a rhythm cue's period plus a cue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from collagen_coach.core.adherence import counts_as_done
from collagen_coach.core.planning import Side, Step
from collagen_coach.core.techniques import Technique, Zone
from collagen_coach.core.words import pressure_words

GENTLER_ADVICE = (
    "Thank you for saying so. Your next session will be gentler: lighter pressure and only "
    "gentle strokes. If the pain or redness persists, stop the massage and ask a doctor or your "
    "practitioner for advice."
)


_ONE_SIDE = {
    "forehead": "{side} side of the forehead",
    "temples": "{side} temple",
    "crows_feet": "{side} outer eye corner",
    "under_eye": "under the {side} eye",
    "cheeks": "{side} cheek",
    "nasolabial": "{side} smile line",
    "mouth": "{side} side of the mouth",
    "jawline": "{side} side of the jaw",
    "neck": "{side} side of the neck",
}
_BOTH_SIDES = {
    "temples": "both temples",
    "crows_feet": "both outer eye corners",
    "under_eye": "under both eyes",
    "cheeks": "both cheeks",
    "nasolabial": "both smile lines",
}


def zone_phrase(zone: Zone, side: Side) -> str:
    """Give the zone and side in plain words: "left cheek", "both cheeks", "forehead"."""
    if side == "both" or not zone.sided:
        return _BOTH_SIDES.get(zone.id, zone.name.lower())
    template = _ONE_SIDE.get(zone.id)
    return template.format(side=side) if template else f"{zone.name.lower()}, {side} side"


def spoken_pressure(level: int) -> str:
    """Give a pressure level in words: "2 of 5, light"."""
    return f"{level} of 5, {pressure_words(level)}"


_ONES = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    return str(n)


def spoken_duration(seconds: float) -> str:
    """Give a duration as said aloud: "thirty seconds", "one minute and ten seconds"."""
    minutes, secs = divmod(round(seconds), 60)
    parts = []
    if minutes:
        parts.append(f"{_number_words(minutes)} minute{'s' if minutes != 1 else ''}")
    if secs or not minutes:
        parts.append(f"{_number_words(secs)} second{'s' if secs != 1 else ''}")
    return " and ".join(parts)


# --- the cues of a step ---------------------------------------------------------------------

TEN_SECONDS_CUE = "Ten seconds left."
END_CUE = "Session complete. Well done."
CONTINUING_CUE = "Continuing."

# A rhythm cue roughly this often (seconds), on a whole number of the technique's beats.
RHYTHM_EVERY_S = 12.0
# Silence kept between two cues, so that one never runs into the next.
CUE_GAP_S = 1.0
# A step shorter than this has no "ten seconds left" (it would be most of the step).
TEN_SECONDS_MIN_STEP_S = 21
# A step shorter than this has no encouragement: the how-to and the count fill it.
ENCOURAGE_MIN_STEP_S = 40
# Speaking time estimated per word and per cue: espeak-ng at 150 words a minute speaks about
# 0.45 s a word with numbers; the browser's voices are faster. Rounded up so cues do not overlap.
SECONDS_PER_WORD = 0.5
SECONDS_PER_CUE = 0.8

# Said at the technique's tempo, by its tempo unit (how the movement goes), unless listed below.
RHYTHM_WORDS: dict[str, str] = {
    "s_per_circle": "Circle, and circle. Slow and even.",
    "taps_per_s": "Tap, tap, tap. Light and quick, like rain.",
    "s_per_stroke": "Stroke, and again. Slow and smooth.",
    "s_per_hold": "Release, and a new gentle stretch. Hold, and breathe.",
    "s_per_pinch": "Pinch and release. Pinch and release.",
}
RHYTHM_WORDS_BY_TECHNIQUE: dict[str, str] = {
    "kneading": "Lift, roll, and release. And again.",
    "lymphatic_sweep": "Sweep, featherlight. And again.",
}
# One near the middle of each step, taken in turn so that a session does not repeat itself.
ENCOURAGEMENTS = (
    "You are doing well. Keep the touch light.",
    "Nice and steady. Breathe slowly.",
    "Good. Let your shoulders relax.",
    "That is the way. Gentle and even.",
)
# Sided zones worked with both hands at once, from the middle outward: no switching sides.
BOTH_HANDS_AT_ONCE = frozenset({"forehead"})
FIRST_SIDE, SECOND_SIDE = "right", "left"
START_SIDE_WORDS = f"Start on your {FIRST_SIDE} side."
SWITCH_SIDES_CUE = f"Switch sides: now the same on your {SECOND_SIDE} side."


@dataclass(frozen=True, slots=True)
class Cue:
    """One thing said during a step: ``at_s`` seconds after the step began; ``id`` is unique
    within the session (``"2:start"``, ``"2:rhythm-3"``), so a player says each cue once."""

    at_s: float
    id: str
    text: str

    def as_json(self) -> dict[str, object]:
        return {"at_s": self.at_s, "id": self.id, "text": self.text}


def speaking_s(text: str) -> float:
    """Give the estimated seconds it takes to say ``text`` aloud (rounded up, on purpose)."""
    return SECONDS_PER_CUE + SECONDS_PER_WORD * len(text.split())


def switches_sides(step: Step, zone: Zone) -> bool:
    """Give whether ``step`` does both sides one after the other (so it says "switch sides")."""
    return step.side == "both" and zone.sided and zone.id not in BOTH_HANDS_AT_ONCE


def step_start_words(step: Step, technique: Technique, zone: Zone, *, first: bool) -> str:
    """Give what is said as a step begins: "Next: tapping, both cheeks, forty-five seconds.
    Pressure 2 of 5, light." """
    lead = "First" if first else "Next"
    return (
        f"{lead}: {technique.name.lower()}, {zone_phrase(zone, step.side)}, "
        f"{spoken_duration(step.duration_s)}. Pressure {spoken_pressure(step.pressure)}."
    )


def how_to_words(step: Step, technique: Technique, zone: Zone) -> str:
    """Give the how-to said after the announcement: what to do on this zone (the library's lines
    for the zone alone; the general lines are on the screen), and which side to start on."""
    words = " ".join(technique.how_to_on_zone[zone.id])
    return f"{words} {START_SIDE_WORDS}" if switches_sides(step, zone) else words


def rhythm_words(technique: Technique) -> str:
    """Give the rhythm cue of ``technique``: a short spoken count of its movement."""
    return RHYTHM_WORDS_BY_TECHNIQUE.get(technique.id, RHYTHM_WORDS[technique.tempo.unit])


def beat_s(technique: Technique) -> float:
    """Give the seconds of one movement at the technique's tempo (one circle, tap, stroke …)."""
    tempo = technique.tempo
    return 1 / tempo.value if tempo.unit == "taps_per_s" else tempo.value


def rhythm_period_s(technique: Technique) -> float:
    """Give how often the rhythm cue is said: the whole number of beats nearest to
    ``RHYTHM_EVERY_S`` (a 15-second stretch is held whole)."""
    beat = beat_s(technique)
    return beat * max(1, round(RHYTHM_EVERY_S / beat))


def cue_schedule(step: Step, technique: Technique, zone: Zone, *, index: int = 0) -> list[Cue]:
    """Give every cue of step ``index`` in the order said, each at its second within the step.

    Cues are placed by importance (announcement, how-to, switch sides, ten seconds left,
    encouragement, rhythm), each at the first moment from its wished time at which it overlaps
    no cue already placed, with ``CUE_GAP_S`` between; one that cannot start within its leeway
    is left out, as is one that would run past the step's end (the encouragement and the rhythm:
    past "ten seconds left"). Rhythm cues sit on the technique's beat.
    """
    duration = float(step.duration_s)
    placed: list[tuple[float, float, Cue]] = []  # start, end, cue

    def place(cue_id: str, text: str, wish_s: float, leeway_s: float, end_by_s: float) -> None:
        at = wish_s
        length = speaking_s(text)
        while at <= wish_s + leeway_s and at + length <= end_by_s:
            clash = [
                end
                for start, end, _ in placed
                if start < at + length + CUE_GAP_S and at < end + CUE_GAP_S
            ]
            if not clash:
                placed.append((at, at + length, Cue(at, f"{index}:{cue_id}", text)))
                return
            at = math.ceil(max(clash) + CUE_GAP_S)

    start_text = step_start_words(step, technique, zone, first=index == 0)
    how_to = how_to_words(step, technique, zone)
    place("start", start_text, 0.0, 0.0, math.inf)
    place("how-to", how_to, math.ceil(speaking_s(start_text) + CUE_GAP_S), math.inf, math.inf)
    half = round(duration / 2)
    switching = switches_sides(step, zone)
    if switching:
        place("switch", SWITCH_SIDES_CUE, half, duration / 4, duration)
    fill_until = duration
    if step.duration_s >= TEN_SECONDS_MIN_STEP_S:
        place("ten-left", TEN_SECONDS_CUE, duration - 10, 0.0, duration)
        fill_until = duration - 10 - CUE_GAP_S
    if step.duration_s >= ENCOURAGE_MIN_STEP_S:
        encouragement = ENCOURAGEMENTS[index % len(ENCOURAGEMENTS)]
        wish = half + round(duration / 8) if switching else half
        place("encourage", encouragement, wish, duration / 4, fill_until)
    period = rhythm_period_s(technique)
    text = rhythm_words(technique)
    beat = 1
    while beat * period < duration:
        place(f"rhythm-{beat}", text, round(beat * period, 1), period / 2, fill_until)
        beat += 1
    return [cue for _, _, cue in sorted(placed, key=lambda row: row[0])]


def end_words(
    *, steps_done: int, step_count: int, done_s: float, planned_s: float, stopped: bool
) -> str:
    """Give what is said when a session ends: "Session complete. Well done." only for a session
    that counts as done (core.adherence.counts_as_done); otherwise what was done, truly."""
    if counts_as_done(completed=not stopped, done_s=done_s, planned_s=planned_s):
        return END_CUE
    ended = "Session ended early." if stopped else "Session ended."
    if steps_done == 0:
        return f"{ended} You did none of the {step_count} steps in full."
    return (
        f"{ended} You did {steps_done} of {step_count} steps in full: "
        f"{spoken_duration(done_s)} of massage."
    )


# Said and shown when a session's end words could not be worked out (its last save failed).
ENDED_CUE = "Session ended."


def streak_words(streak: int) -> str:
    """Give the streak as the end screen shows it: "4 planned sessions done in a row." """
    if streak <= 0:
        return ""
    if streak == 1:
        return "1 planned session done: the start of a new streak."
    return f"{streak} planned sessions done in a row."


def week_minutes_words(minutes: int) -> str:
    """Give this week's massage time as the end screen shows it."""
    unit = "minute" if minutes == 1 else "minutes"
    return f"This week so far: {minutes} {unit} of massage."
