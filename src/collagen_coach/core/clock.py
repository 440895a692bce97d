"""The session clock: which step of a guided session is running and how long is left.

Every step boundary is an absolute deadline computed from the session start, the planned
durations, the time spent paused and the time cut by skips:

    end of step k = start + sum(durations[:k+1]) + paused time - skipped time

It is never built by adding up per-tick increments, so however late or irregularly the clock is
polled, cues do not drift; a late poll reports every boundary it missed, once each, in order.
The clock reads time only through the injected time source and never sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

TimeSource = Callable[[], float]


@dataclass(frozen=True)
class StepChange:
    """A step boundary: step ``step`` begins; ``step == step_count`` means the session is over.

    ``due_at`` is when the boundary was scheduled (the deadline, or the moment of a skip);
    ``seen_at`` is when a poll or an action noticed it.
    """

    step: int
    due_at: float
    seen_at: float


@dataclass(frozen=True)
class StepRecord:
    """What happened to one step: planned and actually spent seconds (pauses excluded).

    ``skipped`` means the step was ended before its time, by a skip or by stopping the session.
    """

    step: int
    planned_s: float
    done_s: float
    skipped: bool


@dataclass(frozen=True)
class ClockState:
    """A snapshot of the session, plus the step changes seen since the previous poll."""

    step: int  # the running step; once finished, the number of steps that ended
    step_count: int
    step_elapsed_s: float  # time spent in the running step, pauses excluded
    step_remaining_s: float
    total_remaining_s: float
    started: bool
    paused: bool
    finished: bool
    changes: tuple[StepChange, ...]


class ManualClock:
    """A time source that moves only when told to: for tests and replays."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go back")
        self.now += seconds

    def set(self, now: float) -> None:
        if now < self.now:
            raise ValueError("a monotonic clock cannot go back")
        self.now = now


class SessionClock:
    """Keep time over a list of step durations (seconds) on absolute deadlines."""

    def __init__(self, durations_s: Sequence[float], now: TimeSource = time.monotonic) -> None:
        if any(d < 0 for d in durations_s):
            raise ValueError("step durations must not be negative")
        self._durations = tuple(float(d) for d in durations_s)
        self._ends = tuple(accumulate(self._durations))  # planned end of each step from start
        self._now = now
        self._start: float | None = None
        # Paused time minus time cut by skips: added to every deadline not yet passed.
        self._offset = 0.0
        self._paused_since: float | None = None
        self._step = 0
        self._step_began = 0.0
        self._step_paused_s = 0.0  # paused time within the running step, finished pauses only
        self._stopped = False
        self._records: list[StepRecord] = []
        self._pending: list[StepChange] = []

    @property
    def step_count(self) -> int:
        return len(self._durations)

    @property
    def finished(self) -> bool:
        return self._stopped or self._step >= len(self._durations)

    def start(self) -> None:
        """Start step 0 now; reports it as the first step change."""
        if self._start is not None:
            raise RuntimeError("the session clock has already started")
        now = self._now()
        self._start = now
        self._step_began = now
        self._pending.append(StepChange(0, now, now))
        self._advance(now)

    def pause(self) -> None:
        """Stop the countdown; pausing while paused or after the end changes nothing."""
        now = self._started_now()
        self._advance(now)
        if self._paused_since is None and not self.finished:
            self._paused_since = now

    def resume(self) -> None:
        """Continue the countdown; every later deadline moves by the time spent paused."""
        now = self._started_now()
        if self._paused_since is None:
            return
        paused_s = now - self._paused_since
        self._paused_since = None
        self._offset += paused_s
        self._step_paused_s += paused_s
        self._advance(now)

    def skip(self) -> None:
        """End the running step now; later deadlines move earlier by the time it had left.

        Skipping while paused moves on to the next step and stays paused.
        """
        now = self._started_now()
        self._advance(now)
        if self.finished:
            return
        at = now if self._paused_since is None else self._paused_since
        self._offset -= self._deadline(self._step) - at
        self._end_step(at, now, skipped=True)
        self._advance(now)

    def stop(self) -> None:
        """End the session now: the running step is recorded as cut short, the rest not played."""
        now = self._started_now()
        self._advance(now)
        if self.finished:
            return
        at = now if self._paused_since is None else self._paused_since
        self._records.append(self._record(at, skipped=True))
        self._paused_since = None
        self._step += 1
        self._stopped = True

    def poll(self) -> ClockState:
        """Give the state now and every step change since the previous poll, in order."""
        now = self._now()
        self._advance(now)
        changes = tuple(self._pending)
        self._pending.clear()
        n = len(self._durations)
        if self._start is None:
            first_s = self._durations[0] if n else 0.0
            return ClockState(0, n, 0.0, first_s, sum(self._durations), False, False, False, ())
        if self.finished:
            return ClockState(self._step, n, 0.0, 0.0, 0.0, True, False, True, changes)
        at = now if self._paused_since is None else self._paused_since
        remaining_s = max(0.0, self._deadline(self._step) - at)
        elapsed_s = max(0.0, at - self._step_began - self._step_paused_s)
        later_s = sum(self._durations[self._step + 1 :])
        return ClockState(
            step=self._step,
            step_count=n,
            step_elapsed_s=elapsed_s,
            step_remaining_s=remaining_s,
            total_remaining_s=remaining_s + later_s,
            started=True,
            paused=self._paused_since is not None,
            finished=False,
            changes=changes,
        )

    def records(self) -> tuple[StepRecord, ...]:
        """Give a record for every step that has ended so far, in order."""
        if self._start is not None:
            self._advance(self._now())
        return tuple(self._records)

    def _started_now(self) -> float:
        if self._start is None:
            raise RuntimeError("the session clock has not started")
        return self._now()

    def _deadline(self, step: int) -> float:
        assert self._start is not None
        return self._start + self._ends[step] + self._offset

    def _advance(self, now: float) -> None:
        """Close every step whose deadline has passed by ``now`` (none while paused)."""
        if self._start is None or self._paused_since is not None:
            return
        while not self.finished:
            due = self._deadline(self._step)
            if due > now:
                break
            self._end_step(due, now, skipped=False)

    def _end_step(self, at: float, seen_at: float, *, skipped: bool) -> None:
        self._records.append(self._record(at, skipped=skipped))
        self._step += 1
        self._step_began = at
        self._step_paused_s = 0.0
        self._pending.append(StepChange(self._step, at, seen_at))

    def _record(self, at: float, *, skipped: bool) -> StepRecord:
        planned_s = self._durations[self._step]
        if not skipped:
            # A step that runs to its deadline spent exactly its planned time (pauses excluded).
            return StepRecord(self._step, planned_s, planned_s, False)
        done_s = at - self._step_began - self._step_paused_s
        return StepRecord(self._step, planned_s, min(planned_s, max(0.0, done_s)), True)
