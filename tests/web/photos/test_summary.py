"""One photo's summary in words: retake or passed, and what moved beyond the usual variation
since the baseline (or why nothing can be compared yet)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from collagen_coach.core.progress.observation import Observation, Phase
from collagen_coach.vision.words import zone_names
from collagen_coach.web.photos.summary import SIDES, PhotoSummary, pair_summary, photo_summary

ALGORITHM = "collagen-vision@1"
START = dt.date(2026, 9, 1)
# A person's photo on one day: zone → side → metric → value.
STEADY: dict[str, dict[str, dict[str, float]]] = {
    "crows_feet": {
        "left": {"wrinkle_index": 5.0, "texture_roughness": 3.0, "radiance": 65.0},
        "right": {"wrinkle_index": 5.2, "texture_roughness": 3.1, "radiance": 64.0},
    },
    "forehead": {
        "left": {"wrinkle_index": 2.0, "texture_roughness": 1.2, "radiance": 72.0},
        "right": {"wrinkle_index": 2.1, "texture_roughness": 1.3, "radiance": 71.0},
    },
}
# Day-to-day wobble of the baseline photos: a few hundredths to tenths of each value.
WOBBLE = (-0.1, 0.0, 0.1)


def observations_of(
    day: dt.date, by_side: dict[str, Any], phase: Phase | None, *, ok: bool = True
) -> list[Observation]:
    return [
        Observation(
            day,
            metric,
            value,
            zone=zone,
            side=side,
            phase=phase,
            algorithm=ALGORITHM,
            quality_ok=ok,
        )
        for zone, sides in by_side.items()
        for side, values in sides.items()
        for metric, value in values.items()
    ]


def shifted(by_side: dict[str, Any], by: float) -> dict[str, Any]:
    return {
        zone: {side: {m: v + by for m, v in values.items()} for side, values in sides.items()}
        for zone, sides in by_side.items()
    }


def baseline() -> list[Observation]:
    return [
        obs
        for day, wobble in enumerate(WOBBLE)
        for obs in observations_of(
            START + dt.timedelta(days=day), shifted(STEADY, wobble), "baseline"
        )
    ]


def summary_of(
    day: dt.date, by_side: dict[str, Any], history: list[Observation], ok: bool = True
) -> PhotoSummary:
    observations = history + observations_of(day, by_side, "treatment", ok=ok)
    return photo_summary(
        ok=ok, day=day, algorithm=ALGORITHM, metrics_by_side=by_side, observations=observations
    )


def test_lines_lower_beyond_the_usual_variation_are_said_in_words_and_the_rest_is_steady() -> None:
    later = START + dt.timedelta(weeks=6)
    today = {
        zone: {side: dict(values) for side, values in sides.items()}
        for zone, sides in STEADY.items()
    }
    for side in ("left", "right"):
        today["crows_feet"][side]["wrinkle_index"] -= 2.0  # far beyond a wobble of 0.1

    summary = summary_of(later, today, baseline())

    assert summary.passed
    assert summary.compared
    assert summary.comparison == (
        "Compared with your 3 baseline photo days (1 September to 3 September 2026):"
    )
    assert [group.name for group in summary.groups] == ["Lines"]
    assert summary.groups[0].moved == [
        "Wrinkles read lower than your usual variation (the better direction): outer eye corners"
    ]
    assert summary.steady == (
        "Texture and glow: nothing moved beyond your usual day-to-day variation."
    )


def test_a_change_within_the_usual_variation_moves_nothing() -> None:
    summary = summary_of(START + dt.timedelta(weeks=6), shifted(STEADY, 0.05), baseline())

    assert summary.compared
    assert summary.groups == []
    assert summary.steady == "Nothing moved beyond your usual day-to-day variation."


def test_a_brighter_day_is_glow_that_the_light_moves_too_said_once_for_every_zone() -> None:
    today = shifted(STEADY, 0.0)
    for side in ("left", "right"):
        today["forehead"][side]["radiance"] += 5.0
    today["crows_feet"]["left"]["radiance"] += 5.0  # one side only

    summary = summary_of(START + dt.timedelta(weeks=6), today, baseline())

    assert [group.name for group in summary.groups] == ["Glow"]
    assert summary.groups[0].moved == [
        "Radiance read higher than your usual variation (the better direction; the light moves "
        "it too): forehead, outer eye corners (your left)"
    ]


def test_before_a_baseline_exists_the_photo_is_a_baseline_photo() -> None:
    first = observations_of(START, STEADY, None)

    summary = photo_summary(
        ok=True,
        day=START + dt.timedelta(days=2),
        algorithm=ALGORITHM,
        metrics_by_side=STEADY,
        observations=first + observations_of(START + dt.timedelta(days=2), STEADY, None),
    )

    assert not summary.compared
    assert summary.comparison.startswith(
        "This is baseline photo 2 of 3: there is nothing to compare with yet."
    )
    assert summary.groups == []


def test_one_baseline_day_is_not_enough_to_know_the_usual_variation() -> None:
    one_day = observations_of(START, STEADY, "baseline")

    summary = summary_of(START + dt.timedelta(weeks=3), shifted(STEADY, 3.0), one_day)

    assert not summary.compared
    assert summary.comparison == (
        "Your baseline has 1 photo day that passed; at least 2 are needed to know your usual "
        "day-to-day variation, so there is nothing to compare with yet."
    )


def test_a_photo_that_failed_the_quality_check_is_not_compared() -> None:
    summary = summary_of(START + dt.timedelta(weeks=6), shifted(STEADY, 3.0), baseline(), ok=False)

    assert not summary.passed
    assert not summary.compared
    assert summary.comparison == (
        "Because this photo did not pass the quality check, it is not compared with your other "
        "photos."
    )
    assert summary.groups == []


def test_photos_by_another_algorithm_or_that_failed_are_not_a_baseline() -> None:
    other = [
        Observation(o.date, o.metric, o.value, o.zone, o.side, o.phase, algorithm="old@0")
        for o in baseline()
    ]
    failed = [
        Observation(
            o.date,
            o.metric,
            o.value,
            o.zone,
            o.side,
            o.phase,
            algorithm=ALGORITHM,
            quality_ok=False,
        )
        for o in baseline()
    ]

    summary = summary_of(START + dt.timedelta(weeks=6), STEADY, other + failed)

    assert not summary.compared
    assert "Your baseline has 0 photo days that passed" in summary.comparison


def share_of_people_told_lines_moved(
    shift_in_sds: float, *, baseline_days: int, people: int, seed: int
) -> float:
    """Simulate people whose wrinkle index in 11 zones × 2 sides is pure day-to-day noise (SD
    0.2) on their baseline days and on one later photo, the later photo shifted by
    ``shift_in_sds`` SDs everywhere; give the share told their lines moved."""
    rng = random.Random(seed)
    zones = list(zone_names())
    told = 0
    for _ in range(people):
        days = [
            {z: {s: {"wrinkle_index": 5 + rng.gauss(0, 0.2)} for s in SIDES} for z in zones}
            for _ in range(baseline_days)
        ]
        history = [
            obs
            for day, by_side in enumerate(days)
            for obs in observations_of(START + dt.timedelta(days=day), by_side, "baseline")
        ]
        later = {
            z: {s: {"wrinkle_index": 5 + 0.2 * shift_in_sds + rng.gauss(0, 0.2)} for s in SIDES}
            for z in zones
        }
        told += bool(summary_of(START + dt.timedelta(weeks=8), later, history).groups)
    return told / people


def test_noise_alone_rarely_says_lines_moved_and_a_real_change_is_found() -> None:
    # 22 series in one group: unadjusted, noise alone would say "moved" to most people.
    false_alarms = share_of_people_told_lines_moved(0.0, baseline_days=3, people=400, seed=1)
    found = share_of_people_told_lines_moved(-5.0, baseline_days=5, people=100, seed=2)

    assert false_alarms <= 0.065  # ≤ 5 % by design; 400 people measure it to about ±1.1 %
    assert found >= 0.9


def pair_of(before: dict[str, Any], after: dict[str, Any], history: list[Observation]) -> Any:
    first, second = START + dt.timedelta(weeks=4), START + dt.timedelta(weeks=8)
    observations = (
        history
        + observations_of(first, before, "treatment")
        + observations_of(second, after, "treatment")
    )
    return pair_summary(
        before=first,
        after=second,
        algorithm=ALGORITHM,
        before_by_side=before,
        after_by_side=after,
        observations=observations,
    )


def test_two_photos_differ_only_beyond_the_variation_between_two_photos() -> None:
    between = observations_of(START + dt.timedelta(weeks=6), STEADY, "treatment")
    same = pair_of(STEADY, shifted(STEADY, 0.1), baseline() + between)
    assert same.compared
    assert same.comparison.startswith("The photo of 27 October 2026 against that of 29 September")
    assert same.groups == []
    assert same.steady == "Nothing moved beyond your usual day-to-day variation."
    after = {
        zone: {side: {**values, "wrinkle_index": values["wrinkle_index"] - 2.0}}
        for zone, sides in STEADY.items()
        for side, values in sides.items()
        if side == "left"
    }
    moved = pair_of({z: {"left": s["left"]} for z, s in STEADY.items()}, after, baseline())
    assert [g.name for g in moved.groups] == ["Lines"]
    (words,) = moved.groups[0].moved
    assert words.startswith("Wrinkles read lower than your usual variation (the better direction)")
    assert "(your left)" in words
    assert moved.steady == "Texture and glow: nothing moved beyond your usual day-to-day variation."


def test_two_photos_without_a_baseline_say_they_cannot_be_told_apart_yet() -> None:
    said = pair_of(STEADY, shifted(STEADY, 3.0), baseline()[: len(baseline()) // 3])
    assert not said.compared
    assert said.comparison.startswith("Your baseline has 1 photo day that passed; at least")
