"""The product's words, defined once: screening decisions, durations, pressures, plan phases,
progress verdicts and measured numbers as a person reads them.

The pages, the calendar, the clinic's record and the command line take these words from here, so
that each thing is said the same way everywhere. A measure's words (name, title, unit, which way
is better) live with its definition in ``core.measures``; what the session player says aloud
(zones and durations spoken) in ``core.cues``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

Tone = Literal["good", "warn", "bad"]

# --- screening decisions ------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionWords:
    """A screening decision in words.

    ``title`` and ``summary`` head the decision page; ``short`` is the badge in a client's record;
    ``banner`` the terminal's headline; ``tone`` colours the decision wherever it is shown, but
    on a practitioner's list of clients, where ``list_tone`` flags a wait as strongly as a
    referral (no session can be given either way).
    """

    title: str
    summary: str
    short: str
    banner: str
    tone: Tone
    list_tone: Tone


# Keyed by screening's DecisionKind (all four: tests/core/test_words.py).
DECISION_WORDS: dict[str, DecisionWords] = {
    "go": DecisionWords(
        title="You can start",
        summary="Nothing in your answers stands in the way of gentle facial self-massage.",
        short="can start",
        banner="GO AHEAD",
        tone="good",
        list_tone="good",
    ),
    "modify": DecisionWords(
        title="You can start, with some changes",
        summary="Your plan will leave out or soften what your answers call for, as listed below.",
        short="can start, with changes",
        banner="GO AHEAD, WITH CHANGES",
        tone="warn",
        list_tone="warn",
    ),
    "defer": DecisionWords(
        title="Wait before you start",
        summary="Something in your answers needs time to settle first. Do the safety check "
        "again on the date below.",
        short="wait before starting",
        banner="NOT YET: WAIT",
        tone="warn",
        list_tone="bad",
    ),
    "refer": DecisionWords(
        title="Please see a clinician first",
        summary="Your answers include something a doctor or other clinician should look at "
        "before you massage your face. No plan is made until then.",
        short="see a clinician first",
        banner="SEE A CLINICIAN FIRST",
        tone="bad",
        list_tone="bad",
    ),
}

# --- durations ----------------------------------------------------------------------------------


def short_duration(seconds: int) -> str:
    """Give a duration as written in a plan or a journal: ``1 min 30 s``, ``45 s``, ``6 min``."""
    minutes, rest = divmod(int(seconds), 60)
    if minutes and rest:
        return f"{minutes} min {rest} s"
    return f"{minutes} min" if minutes else f"{rest} s"


def clock_duration(seconds: int) -> str:
    """Give a duration as a clock shows it: ``1:30``, ``0:45``, ``12:00``."""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def whole_minutes(seconds: int) -> int:
    """Give a duration in whole minutes, halves rounded up, never below one."""
    return max(1, (seconds + 30) // 60)


# --- pressures ----------------------------------------------------------------------------------

# The pressure scale every technique, zone cap and plan step uses (levels 1 to 5).
PRESSURE_WORDS: dict[int, str] = {
    1: "featherlight",
    2: "light",
    3: "moderate",
    4: "firm",
    5: "very firm",
}


def pressure_words(level: int) -> str:
    """Give a pressure level in words: 1 featherlight … 5 very firm."""
    return PRESSURE_WORDS[level]


def pressure_with_level(level: int) -> str:
    """Give a pressure level in words with its number: ``light (level 2 of 5)``."""
    return f"{pressure_words(level)} (level {level} of 5)"


def pressure_choice(level: int) -> str:
    """Give a pressure level as a choice in a list: ``2 light``."""
    return f"{level} {pressure_words(level)}"


# --- plan phases --------------------------------------------------------------------------------

PHASE_NAMES: dict[str, str] = {
    "foundation": "Foundation",
    "build": "Build",
    "maintain": "Maintain",
}


# --- verdicts -----------------------------------------------------------------------------------

Verdict = Literal[
    "improving", "worsening", "no_change_detected", "not_enough_data", "not_judged", "exploratory"
]
"""What the progress analysis concludes about one series (``core.progress``): ``improving`` or
``worsening`` only beyond the measurement noise, ``not_judged`` beyond it for a measure with no
better direction, else ``no_change_detected`` or ``not_enough_data``; ``exploratory`` for a
measure not yet repeatable enough to judge (``core.measures.Measure.exploratory``), whatever it
did."""

# What an exploratory measure says instead of a verdict, wherever it is shown.
EXPLORATORY_WORDS = "exploratory (not yet repeatable enough to judge)"

# The order in which the dashboard, the report and the practice's client list count them.
VERDICTS: tuple[Verdict, ...] = (
    "improving",
    "worsening",
    "not_judged",
    "no_change_detected",
    "not_enough_data",
    "exploratory",
)

VERDICT_WORDS: dict[Verdict, str] = {
    "improving": "improving",
    "worsening": "worsening",
    "no_change_detected": "no change detected",
    "not_enough_data": "not enough data yet",
    "not_judged": "changed, not judged",
    "exploratory": EXPLORATORY_WORDS,
}


# --- days -----------------------------------------------------------------------------------


def day_in_words(day: dt.date, *, weekday: bool = False, year: bool = False) -> str:
    """Give a day as the pages write it, the day of the month not zero-padded: "3 February",
    with ``weekday`` "Tuesday 3 February", with ``year`` "3 February 2026"."""
    words = f"{day.day} {day:%B}"
    if weekday:
        words = f"{day:%A} {words}"
    return f"{words} {day.year}" if year else words


# --- measured numbers ---------------------------------------------------------------------------


def decimals_for(scale: float | None) -> int:
    """Give how many decimals show a number to about a tenth of ``scale`` (0–4): a measure's
    noise or an interval's width, so no number claims more precision than the data hold."""
    if scale is None or not math.isfinite(scale) or scale <= 0:
        return 2
    return max(0, min(4, 1 - math.floor(math.log10(scale))))


def number(value: float | None, decimals: int) -> str:
    """Give a number with a real minus sign, or an em dash when there is none."""
    if value is None:
        return "—"
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


def signed(value: float, decimals: int) -> str:
    """Give a number with its sign: +0.03, −0.02, 0.00."""
    text = number(value, decimals)
    return text if text.startswith("−") or float(text) == 0 else f"+{text}"
