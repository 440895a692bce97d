"""The session clock keeps cues on absolute deadlines, whatever the polling."""

from __future__ import annotations

import random

import pytest

from collagen_coach.core.clock import ManualClock, SessionClock, StepChange, StepRecord

START = 12_345.678  # a monotonic reading far from zero, as on a machine that has been up a while


def started(durations: list[float]) -> tuple[SessionClock, ManualClock]:
    time = ManualClock(START)
    clock = SessionClock(durations, now=time)
    clock.start()
    assert clock.poll().changes[0] == StepChange(0, START, START)
    return clock, time


def test_cues_do_not_drift_over_thirty_minutes_of_irregular_polling() -> None:
    durations = [60.0] * 30
    clock, time = started(durations)
    rng = random.Random(20261124)
    seen: list[StepChange] = []
    last_poll = START
    max_lag = 0.0
    while not clock.finished:
        gap = rng.uniform(0.01, 2.5)
        time.advance(gap)
        state = clock.poll()
        for change in state.changes:
            # A change can only be seen by the poll that follows it: lag ≤ that polling interval.
            assert 0.0 <= change.seen_at - change.due_at <= time.now - last_poll
            max_lag = max(max_lag, change.seen_at - change.due_at)
        seen.extend(state.changes)
        last_poll = time.now

    assert [c.step for c in seen] == list(range(1, 31))
    for change in seen:
        ideal = START + 60.0 * change.step
        assert abs(change.due_at - ideal) <= 1e-6
    assert max_lag <= 2.5


def test_start_reports_the_first_step_at_the_start_time() -> None:
    time = ManualClock(START)
    clock = SessionClock([60.0, 30.0], now=time)
    clock.start()
    assert clock.poll().changes == (StepChange(0, START, START),)


def test_each_change_is_reported_once() -> None:
    clock, time = started([10.0, 10.0])
    time.advance(11.0)
    assert [c.step for c in clock.poll().changes] == [1]
    assert clock.poll().changes == ()


def test_remaining_and_elapsed_follow_the_deadline() -> None:
    clock, time = started([60.0, 30.0, 45.0])
    time.advance(70.5)
    state = clock.poll()
    assert state.step == 1
    assert state.step_elapsed_s == pytest.approx(10.5)
    assert state.step_remaining_s == pytest.approx(19.5)
    assert state.total_remaining_s == pytest.approx(19.5 + 45.0)


def test_pause_shifts_later_deadlines_by_exactly_the_paused_time() -> None:
    clock, time = started([60.0, 60.0, 60.0])
    time.advance(20.0)
    clock.pause()
    time.advance(37.25)
    paused = clock.poll()
    assert paused.paused
    assert paused.step_remaining_s == pytest.approx(40.0)
    clock.resume()
    time.advance(400.0)
    changes = clock.poll().changes
    assert [c.due_at for c in changes] == pytest.approx(
        [START + 60.0 + 37.25, START + 120.0 + 37.25, START + 180.0 + 37.25], abs=1e-6
    )


def test_no_deadline_passes_while_paused() -> None:
    clock, time = started([10.0, 10.0])
    time.advance(5.0)
    clock.pause()
    time.advance(3600.0)
    state = clock.poll()
    assert (state.step, state.changes, state.step_remaining_s) == (0, (), 5.0)


def test_pause_time_is_not_counted_as_massage_time() -> None:
    clock, time = started([60.0, 60.0])
    time.advance(10.0)
    clock.pause()
    time.advance(100.0)
    clock.resume()
    time.advance(20.0)
    clock.skip()
    assert clock.records() == (StepRecord(0, 60.0, 30.0, skipped=True),)


def test_pausing_twice_counts_the_pause_from_the_first() -> None:
    clock, time = started([60.0, 60.0])
    time.advance(10.0)
    clock.pause()
    time.advance(5.0)
    clock.pause()
    time.advance(5.0)
    clock.resume()
    assert clock.poll().step_remaining_s == pytest.approx(50.0)


def test_resume_without_pause_changes_nothing() -> None:
    clock, time = started([60.0, 60.0])
    time.advance(10.0)
    clock.resume()
    time.advance(50.0)
    assert [c.due_at for c in clock.poll().changes] == [START + 60.0]


def test_skip_ends_the_step_now_and_moves_later_deadlines_earlier() -> None:
    clock, time = started([60.0, 60.0, 60.0])
    time.advance(15.0)
    clock.skip()
    time.advance(200.0)
    changes = clock.poll().changes
    assert [(c.step, c.due_at) for c in changes] == [
        (1, START + 15.0),
        (2, pytest.approx(START + 75.0, abs=1e-6)),
        (3, pytest.approx(START + 135.0, abs=1e-6)),
    ]
    assert clock.records() == (
        StepRecord(0, 60.0, 15.0, skipped=True),
        StepRecord(1, 60.0, 60.0, skipped=False),
        StepRecord(2, 60.0, 60.0, skipped=False),
    )


def test_skip_while_paused_moves_on_and_stays_paused() -> None:
    clock, time = started([60.0, 60.0])
    time.advance(10.0)
    clock.pause()
    time.advance(30.0)
    clock.skip()
    state = clock.poll()
    assert (state.step, state.paused, state.step_remaining_s) == (1, True, 60.0)
    assert state.changes[-1] == StepChange(1, START + 10.0, START + 40.0)
    clock.resume()
    time.advance(59.0)
    assert clock.poll().step_remaining_s == pytest.approx(1.0)


def test_a_long_gap_between_polls_yields_every_missed_cue_in_order() -> None:
    clock, time = started([60.0] * 5)
    time.advance(30.0)
    clock.poll()
    time.advance(3 * 60.0 + 5.0)  # the computer slept through three boundaries
    state = clock.poll()
    assert [(c.step, c.due_at) for c in state.changes] == [
        (1, START + 60.0),
        (2, START + 120.0),
        (3, START + 180.0),
    ]
    assert all(c.seen_at == START + 215.0 for c in state.changes)
    assert state.step == 3
    assert state.step_remaining_s == pytest.approx(25.0)


def test_polling_after_the_end_reports_the_end_once() -> None:
    clock, time = started([10.0, 10.0])
    time.advance(25.0)
    last = clock.poll()
    assert (last.finished, [c.step for c in last.changes]) == (True, [1, 2])
    time.advance(100.0)
    after = clock.poll()
    assert (after.finished, after.changes, after.step, after.total_remaining_s) == (
        True,
        (),
        2,
        0.0,
    )


def test_actions_after_the_end_change_nothing() -> None:
    clock, time = started([10.0])
    time.advance(15.0)
    clock.pause()
    clock.skip()
    clock.stop()
    clock.resume()
    state = clock.poll()
    assert (state.finished, state.paused) == (True, False)
    assert clock.records() == (StepRecord(0, 10.0, 10.0, skipped=False),)


def test_stop_records_the_cut_step_and_ends_without_a_cue() -> None:
    clock, time = started([60.0, 60.0, 60.0])
    time.advance(75.0)
    clock.poll()
    clock.stop()
    state = clock.poll()
    assert (state.finished, state.changes) == (True, ())
    assert clock.records() == (
        StepRecord(0, 60.0, 60.0, skipped=False),
        StepRecord(1, 60.0, 15.0, skipped=True),
    )


def test_stop_while_paused_counts_only_the_time_before_the_pause() -> None:
    clock, time = started([60.0])
    time.advance(12.0)
    clock.pause()
    time.advance(500.0)
    clock.stop()
    assert clock.records() == (StepRecord(0, 60.0, 12.0, skipped=True),)


def test_poll_before_start_shows_the_whole_session_ahead() -> None:
    clock = SessionClock([30.0, 45.0], now=ManualClock(START))
    state = clock.poll()
    assert (state.started, state.step, state.step_remaining_s, state.total_remaining_s) == (
        False,
        0,
        30.0,
        75.0,
    )


@pytest.mark.parametrize("action", ["pause", "resume", "skip", "stop"])
def test_actions_before_start_are_refused(action: str) -> None:
    clock = SessionClock([30.0], now=ManualClock(START))
    with pytest.raises(RuntimeError, match="not started"):
        getattr(clock, action)()


def test_starting_twice_is_refused() -> None:
    clock, _ = started([30.0])
    with pytest.raises(RuntimeError, match="already started"):
        clock.start()


def test_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        SessionClock([30.0, -1.0])


def test_zero_length_steps_pass_at_once_in_order() -> None:
    clock = SessionClock([0.0, 0.0, 10.0], now=ManualClock(START))
    clock.start()
    state = clock.poll()
    assert [(c.step, c.due_at) for c in state.changes] == [(0, START), (1, START), (2, START)]
    assert state.step == 2


def test_an_empty_session_ends_as_it_starts() -> None:
    clock = SessionClock([], now=ManualClock(START))
    clock.start()
    state = clock.poll()
    assert (state.finished, [c.step for c in state.changes]) == (True, [0])


def test_the_default_time_source_is_monotonic() -> None:
    clock = SessionClock([3600.0])
    clock.start()
    state = clock.poll()
    assert 0.0 <= state.step_elapsed_s < 60.0
    assert state.step_elapsed_s + state.step_remaining_s == pytest.approx(3600.0)


def test_a_manual_clock_cannot_go_back() -> None:
    time = ManualClock(10.0)
    with pytest.raises(ValueError, match="cannot go back"):
        time.set(9.0)
