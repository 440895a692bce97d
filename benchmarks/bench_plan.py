"""Benchmark: building a plan vs. the floor of merely materialising its output.

The floor is validating the finished program's JSON back into the same pydantic models — the
least work any planner must do to hand over a program of that size. The ratio says how much the
planning itself (choosing, rotating, capping, timing) costs on top.

Run: .venv/bin/python benchmarks/bench_plan.py
"""

from __future__ import annotations

import datetime as dt
import platform
import statistics
import time
from collections.abc import Callable

from collagen_coach.core.planning import Profile, Program, build_plan
from collagen_coach.core.screening import Intake, screen
from collagen_coach.core.techniques import load_library

REPEATS = 7


def best_of(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    """Give the fastest and the median wall time of ``fn`` in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    load_library()  # loaded once per process in real use; not part of either figure
    intake = Intake(age=62, medications=["anticoagulant"], as_of=dt.date(2026, 11, 24))
    decision = screen(intake)
    for weeks, minutes in ((12, 10), (52, 30)):
        profile = Profile(
            age=62,
            concerns=["sagging", "fine_lines"],
            experience="new",
            minutes_per_day=minutes,
            days_per_week=7,
            start_date=dt.date(2026, 11, 30),
            weeks=weeks,
            intake=intake,
        )
        program = build_plan(profile, decision)
        payload = program.model_dump(mode="json")
        steps = sum(len(s.steps) for s in program.sessions)
        plan_best, plan_median = best_of(lambda: build_plan(profile, decision))  # noqa: B023
        floor_best, floor_median = best_of(lambda: Program.model_validate(payload))  # noqa: B023
        print(
            f"{weeks:>2} weeks, {minutes:>2} min/day: {len(program.sessions)} sessions, "
            f"{steps} steps | build_plan {plan_best * 1000:.1f} ms (median "
            f"{plan_median * 1000:.1f}) | floor {floor_best * 1000:.1f} ms (median "
            f"{floor_median * 1000:.1f}) | ratio {plan_best / floor_best:.1f}×"
        )
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, best of {REPEATS}"
    )


if __name__ == "__main__":
    main()
