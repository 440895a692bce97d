"""Trials a person can run on herself: a split-face trial with its side drawn at random, and an
on/off (A-B-A-B) schedule of weeks with and without massage.

The side is drawn with ``secrets`` (an unpredictable draw, not a seeded one) and the draw is kept
with the plan: which side, when, and whether it was drawn or chosen. Drawing helps because a side
picked by hand tends to be the one a person expects to improve, and self-ratings follow
expectation (EVIDENCE.md §3 "Expectation bias", §7.2); the split-face device trial of Humbert
et al. 2015 drew its side at random (EVIDENCE.md §1).

An on/off schedule alternates ``BLOCK_WEEKS``-week blocks from the first session: with massage,
then without, at least ``MIN_ABAB_BLOCKS`` of each (``core.progress.on_off`` compares them).
Measurements go on in the off blocks; they are marked with the phase ``off``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from collagen_coach.core.words import day_in_words

Schedule = Literal["steady", "on_off"]
TrialPhase = Literal["baseline", "treatment", "off"]
DrawnSide = Literal["left", "right"]

BLOCK_WEEKS = 2
MIN_ABAB_BLOCKS = 2  # blocks with and blocks without massage (A-B-A-B)
# The shortest on/off plan: MIN_ABAB_BLOCKS blocks with massage and as many without.
MIN_ON_OFF_WEEKS = 2 * MIN_ABAB_BLOCKS * BLOCK_WEEKS

DRAW_WHY = (
    "Drawing the side at random takes away the pull to massage the side you already expect "
    "to improve, so a difference between your sides says more about the massage itself."
)
OFF_WEEK_WORDS = "Off week: no massage this week, keep measuring."
MEASURING_DAYS_WORDS = "the days your sessions fall on in the weeks with massage"
ON_OFF_WORDS = (
    f"On and off: {BLOCK_WEEKS} weeks with massage, then {BLOCK_WEEKS} weeks without, in turn. "
    "Keep taking your photos and ratings in the weeks without, on your usual days: comparing the "
    "two kinds of weeks shows whether the massage itself makes a difference."
)


class SideDraw(BaseModel):
    """How the side of a split-face trial was settled: the side, when, drawn or chosen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    side: DrawnSide
    how: Literal["drawn", "chosen"]
    on: dt.datetime

    def words(self) -> str:
        """Give the record in one sentence: "The left side was drawn at random on 5 Dec 2026"."""
        day = day_in_words(self.on.date(), year=True)
        if self.how == "drawn":
            return f"The {self.side} side was drawn at random on {day}."
        return f"You chose the {self.side} side on {day}, rather than drawing it."


def draw_side(now: dt.datetime) -> SideDraw:
    """Give a side drawn at random (``secrets``), recorded as drawn at ``now``."""
    side: DrawnSide = secrets.choice(("left", "right"))
    return SideDraw(side=side, how="drawn", on=now)


def settle_side(
    answer: str, previous: SideDraw | None, now: dt.datetime
) -> tuple[str, SideDraw | None]:
    """Give the treated side and its record for ``answer`` (``both``, ``draw``, ``left`` or
    ``right``). A side drawn before is kept when the answer is ``draw`` again, and a side chosen
    before keeps its day when chosen again, so re-planning never draws anew."""
    if answer == "both":
        return "both", None
    if answer == "draw":
        draw = previous if previous is not None and previous.how == "drawn" else draw_side(now)
        return draw.side, draw
    if answer not in ("left", "right"):
        raise ValueError(f"{answer!r} is not a side: both, draw, left or right")
    if previous is not None and previous.how == "chosen" and previous.side == answer:
        return answer, previous
    return answer, SideDraw(side=answer, how="chosen", on=now)


def with_side_settled(fields: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Give a profile's fields (as JSON gives them) with a one-sided ``treated_side`` settled:
    ``draw`` drawn at random, ``left`` or ``right`` recorded as chosen, unless the fields
    already hold the record (``side_draw``)."""
    answer = fields.get("treated_side")
    if answer not in ("draw", "left", "right") or fields.get("side_draw") is not None:
        return fields
    side, draw = settle_side(str(answer), None, now)
    return {**fields, "treated_side": side, "side_draw": draw}


def side_answer(side: str, draw: SideDraw | None) -> str:
    """Give the answer that keeps a settled side as it is (the form's starting value)."""
    if draw is not None and draw.how == "drawn":
        return "draw"
    return side


def trial_problem(schedule: Schedule, weeks: int, side: str, draw: SideDraw | None) -> str | None:
    """Give why a plan's trial cannot be as asked (an on/off schedule longer than ``weeks``, a
    recorded side that is not the treated one), or None when it can."""
    if draw is not None and draw.side != side:
        return f"the side drawn or chosen ({draw.side}) is not the treated side ({side})"
    if schedule == "on_off" and weeks < MIN_ON_OFF_WEEKS:
        return (
            f"an on/off plan needs at least {MIN_ON_OFF_WEEKS} weeks: {MIN_ABAB_BLOCKS} blocks of "
            f"{BLOCK_WEEKS} weeks with massage and {MIN_ABAB_BLOCKS} without"
        )
    return None


def off_spans(first_session: dt.date, weeks: int) -> list[tuple[dt.date, dt.date]]:
    """Give the off blocks (first and last day) of an on/off plan whose first session is on
    ``first_session`` and which runs ``weeks`` weeks: every second block of ``BLOCK_WEEKS``."""
    spans = []
    for start_week in range(BLOCK_WEEKS, weeks, 2 * BLOCK_WEEKS):
        start = first_session + dt.timedelta(weeks=start_week)
        end_week = min(start_week + BLOCK_WEEKS, weeks)
        spans.append((start, first_session + dt.timedelta(weeks=end_week, days=-1)))
    return spans


def is_off(day: dt.date, spans: list[tuple[dt.date, dt.date]]) -> bool:
    """Give whether ``day`` lies in one of the off blocks ``spans``."""
    return any(first <= day <= last for first, last in spans)


def trial_phase(
    day: dt.date, first_session: dt.date | None, spans: list[tuple[dt.date, dt.date]]
) -> TrialPhase | None:
    """Give the progress phase of something measured on ``day``: the baseline before the first
    session, ``off`` within an off block, treatment otherwise; None without a first session
    (progress then takes its own baseline)."""
    if first_session is None:
        return None
    if day < first_session:
        return "baseline"
    return "off" if is_off(day, spans) else "treatment"


def is_measuring_day(day: dt.date, session_days: set[dt.date]) -> bool:
    """Give whether ``day``, in an off block, is one of the usual measuring days: the weekday a
    session fell on ``BLOCK_WEEKS`` weeks before, in the block with massage just before it
    (sessions repeat week by week)."""
    return day - dt.timedelta(weeks=BLOCK_WEEKS) in session_days


def off_day_words(
    measuring_day: bool, next_measuring: dt.date | None, massage_again: dt.date | None
) -> str:
    """Give what Today says on a day of an off week: no massage, and whether to measure today
    or when next."""
    words = ["No massage today: this is a week without massage in your on-and-off plan."]
    if measuring_day:
        words.append(
            f"Today is one of your measuring days ({MEASURING_DAYS_WORDS}): take your photo and "
            "rating as usual, so the weeks without massage can be compared with the weeks with it."
        )
    else:
        words.append("Nothing to measure today either.")
        if next_measuring is not None:
            words.append(
                f"Your next measuring day is {day_in_words(next_measuring, weekday=True)}."
            )
    if massage_again is not None:
        words.append(f"Massage starts again on {day_in_words(massage_again, weekday=True)}.")
    return " ".join(words)
