"""What the guided session says and when: one planned session's cue schedule, and its end words."""

from __future__ import annotations

import datetime as dt

import pytest

from collagen_coach.core.adherence import DONE_SHARE
from collagen_coach.core.cues import (
    ENCOURAGEMENTS,
    END_CUE,
    SWITCH_SIDES_CUE,
    TEN_SECONDS_CUE,
    Cue,
    cue_schedule,
    end_words,
    speaking_s,
)
from collagen_coach.core.planning import Session, Step, build_plan, parse_profile
from collagen_coach.core.screening import Intake, screen
from collagen_coach.core.techniques import load_library

TODAY = dt.date(2026, 12, 5)


def planned_session_with_a_110_s_step() -> tuple[Session, int]:
    """Give the first planned session of a 58-year-old's plan that has a 110-second step, and
    that step's index."""
    profile = parse_profile(
        {"age": 58, "concerns": ["fine_lines", "sagging"], "start_date": "2026-12-07"},
        today=TODAY,
    )
    program = build_plan(profile, screen(Intake(age=58), today=TODAY))
    for session in program.sessions:
        for index, step in enumerate(session.steps):
            if step.duration_s == 110:
                return session, index
    raise AssertionError("the plan has no 110-second step")


def schedule_of(session: Session, index: int) -> list[Cue]:
    library = load_library()
    step = session.steps[index]
    return cue_schedule(
        step, library.techniques[step.technique], library.zones[step.zone], index=index
    )


def silences_s(cues: list[Cue], duration_s: float) -> list[float]:
    """Give the estimated silences between cues, and after the last one to the step's end."""
    ends = [cue.at_s + speaking_s(cue.text) for cue in cues]
    starts = [cue.at_s for cue in cues[1:]] + [duration_s]
    return [start - end for start, end in zip(starts, ends, strict=True)]


def test_the_110_s_step_is_announced_then_taught_then_kept_in_rhythm() -> None:
    session, index = planned_session_with_a_110_s_step()
    cues = schedule_of(session, index)
    kinds = [cue.id.split(":")[1].split("-")[0] for cue in cues]
    assert kinds[:2] == ["start", "how"]
    assert cues[0].at_s == 0
    assert kinds.count("rhythm") >= 4
    assert kinds.count("encourage") == 1
    assert [c.text for c in cues if c.id.endswith(":ten-left")] == [TEN_SECONDS_CUE]
    assert [c.at_s for c in cues if c.id.endswith(":ten-left")] == [100]


def test_a_step_on_both_sides_switches_sides_half_way_once() -> None:
    session, index = planned_session_with_a_110_s_step()
    step = session.steps[index]
    assert (step.side, step.zone) == ("both", "nasolabial")
    cues = schedule_of(session, index)
    assert [(c.at_s, c.text) for c in cues if c.id.endswith(":switch")] == [(55, SWITCH_SIDES_CUE)]
    assert "Start on your right side." in cues[1].text


def test_a_midline_step_does_not_switch_sides() -> None:
    library = load_library()
    technique = library.techniques["circular_motions"]
    step = Step(
        technique="circular_motions",
        zone="chin",
        side="both",
        duration_s=110,
        pressure=2,
        tempo_value=1.5,
        tempo_unit="s_per_circle",
        tempo_cue="slow",
        why="",
    )
    cues = cue_schedule(step, technique, library.zones["chin"], index=2)
    assert not [c for c in cues if c.id.endswith(":switch")]
    assert [c.text for c in cues if c.id.endswith(":encourage")] == [ENCOURAGEMENTS[2]]


def test_every_cue_of_a_session_has_its_own_id_and_none_overlaps_the_next() -> None:
    session, _ = planned_session_with_a_110_s_step()
    ids = []
    for index, step in enumerate(session.steps):
        cues = schedule_of(session, index)
        ids += [cue.id for cue in cues]
        assert [c.at_s for c in cues] == sorted(c.at_s for c in cues)
        gaps = silences_s(cues, step.duration_s)
        assert min(gaps[:-1]) >= 1.0, (step, gaps)  # a second's quiet between two cues
        assert max(gaps) <= 20, (step, gaps)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("done_s", "steps_done", "stopped", "words"),
    [
        (600, 6, False, END_CUE),
        (300, 3, False, END_CUE),  # half the time is a session done (DONE_SHARE)
        (
            200,
            2,
            False,
            "Session ended. You did 2 of 6 steps in full: three minutes and twenty seconds "
            "of massage.",
        ),
        (12, 0, False, "Session ended. You did none of the 6 steps in full."),
        (
            600,
            6,
            True,
            "Session ended early. You did 6 of 6 steps in full: ten minutes of massage.",
        ),
    ],
    ids=["all", "half", "skipped-most", "skipped-all", "stopped"],
)
def test_complete_is_said_only_for_a_session_that_counts_as_done(
    done_s: int, steps_done: int, stopped: bool, words: str
) -> None:
    assert DONE_SHARE == 0.5
    assert (
        end_words(
            steps_done=steps_done, step_count=6, done_s=done_s, planned_s=600, stopped=stopped
        )
        == words
    )
