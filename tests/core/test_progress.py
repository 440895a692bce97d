"""Progress statistics: noise, trend, change, verdicts, split-face, A-B-A-B, adherence–response.

The simulation tests create people with a known truth (seeded numpy Generators) and run each one
through the same public functions the app uses. Rates measured with the seeds below:

- no true effect, independent errors SD 1.0, 2,000 people: 0.45 % improving or worsening;
- no true effect, AR(1) errors with ρ = 0.3 between measurements, 2,000 people: 1.4 %
  (2.7 % before the intervals were widened for serial correlation);
- no true effect, AR(1) errors with ρ = 0.5, 1,000 people: 4.0 % (8.0 % before);
- a true effect of 2 × MDC over 12 weeks, 2,000 people: 90.55 % improving (93.3 % before);
- the same effect with AR(1) errors, ρ = 0.5, 1,000 people: 78.6 % improving (96.5 % before,
  when 8 % of people with no effect were told they changed too);
- split-face, no true effect, shared daily noise SD 1.0 and side noise SD 0.5, 1,000 people: 0.6 %;
- split-face, 2 × the difference's MDC over 12 weeks under a season drifting the other way,
  1,000 people: 87.7 % improving, 91.6 % before (and 99.5 % of untreated sides alone read
  "worsening");
- A-B-A-B self-ratings, no true effect, 1,000 people: 0.0 %;
- power_weeks(1.0, 0.3 a week, 1 photo a week) = 15 weeks; detected at 15 weeks in 77.2 %
  (82.3 % before the widening; the power estimate assumes independent errors).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import numpy as np
import pytest
from scipy import stats

from collagen_coach.core.measures import MIN_WEEKS, weeks_measured
from collagen_coach.core.noise import MDC_FACTOR, WHOLE_NUMBER_SEM_FLOOR, mdc95, typical_error
from collagen_coach.core.progress import (
    SPLIT_SIDE,
    Observation,
    analyse_abab,
    analyse_progress,
    analyse_series,
    baseline_flags,
    judge,
    newest_algorithm,
    power_in_words,
    power_weeks,
    serial_correlation,
    theil_sen_per_week,
    welch_interval,
)
from collagen_coach.core.progress.series import mean_inflation, trend_inflation

START = dt.date(2026, 1, 5)  # a Monday
# Three baseline photos on different days of the first week, then one a week for 12 weeks.
BASELINE_DAYS = (0, 2, 4)
WEEKLY_DAYS = tuple(7 * week for week in range(1, 13))
DAYS = BASELINE_DAYS + WEEKLY_DAYS
TRUE_MDC = MDC_FACTOR * 1.0  # of a noise SD of 1.0
ISSUE_KEYS = {"metric", "zone", "side", "n", "mdc", "slope_per_week", "change", "verdict", "reason"}


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


def series(
    values: list[float] | np.ndarray,
    days: tuple[int, ...] = DAYS,
    *,
    metric: str = "wrinkle_index",
    zone: str | None = "cheeks",
    side: str | None = "left",
    algorithm: str | None = None,
) -> list[Observation]:
    """One person's series on ``days``: the first week is the baseline, the rest treatment."""
    return [
        Observation(
            day(offset),
            metric,
            float(value),
            zone=zone,
            side=side,
            phase="baseline" if offset < 7 else "treatment",
            algorithm=algorithm,
        )
        for offset, value in zip(days, values, strict=True)
    ]


def ramp(total: float, days: tuple[int, ...] = DAYS) -> np.ndarray:
    """A true change growing linearly from the end of the baseline to ``total`` at week 12."""
    end = days[-1]
    start = BASELINE_DAYS[-1]
    return np.array([total * max(d - start, 0) / (end - start) for d in days])


def ar1_noise(rng: np.random.Generator, people: int, rho: float) -> np.ndarray:
    """Errors of SD 1.0 correlated ρ from one measurement to the next (AR(1))."""
    white = rng.standard_normal((people, len(DAYS)))
    noise = np.empty_like(white)
    noise[:, 0] = white[:, 0]
    for j in range(1, len(DAYS)):
        noise[:, j] = rho * noise[:, j - 1] + math.sqrt(1 - rho**2) * white[:, j]
    return noise


def verdicts(rows: np.ndarray, *, higher_is_better: bool) -> Counter[str]:
    return Counter(analyse_series(series(row), higher_is_better).verdict for row in rows)


# ---------------------------------------------------------------------------------------------
# Noise


def test_typical_error_pools_baseline_repeats_and_same_day_retakes() -> None:
    # Baseline 1, 2, 3: squares 2, df 2. Retakes 5, 7: squares 2, df 1. Pooled √(4/3).
    noise = typical_error([1.0, 2.0, 3.0], [[5.0, 7.0], [9.0]])
    assert noise is not None
    assert (noise.df, noise.baseline_repeats, noise.same_day_repeats) == (3, 3, 2)
    assert noise.sem == pytest.approx(math.sqrt(4 / 3))
    assert noise.mdc == pytest.approx(1.96 * math.sqrt(2) * math.sqrt(4 / 3))


def test_no_repeats_no_noise() -> None:
    assert typical_error([4.0], [[5.0], [6.0]]) is None


def test_identical_whole_number_scores_keep_the_rounding_noise() -> None:
    noise = typical_error([5.0, 5.0, 5.0], whole_numbers=True)
    assert noise is not None
    assert noise.floored
    assert noise.sem == pytest.approx(1 / math.sqrt(12)) == WHOLE_NUMBER_SEM_FLOOR


def test_mdc95_is_1_96_root_2_sem() -> None:
    assert mdc95(0.5) == pytest.approx(1.96 * math.sqrt(2) * 0.5)


# ---------------------------------------------------------------------------------------------
# Baseline, trend and change


@pytest.mark.parametrize(
    ("phases", "days", "expected"),
    [
        pytest.param(
            ["baseline", None, "baseline", "treatment"],
            [0, 1, 9, 10],
            [True, False, True, False],
            id="marked-baseline-wins",
        ),
        pytest.param(
            [None, None, "treatment", None],
            [0, 20, 21, 30],
            [True, True, False, False],
            id="unmarked-before-first-treatment",
        ),
        pytest.param(
            [None, None, None, None],
            [0, 6, 7, 30],
            [True, True, False, False],
            id="no-phases-first-7-days",
        ),
    ],
)
def test_baseline_rule(phases: list[str | None], days: list[int], expected: list[bool]) -> None:
    observations = [
        Observation(day(d), "glow", 5.0, phase=phase)  # type: ignore[arg-type]
        for d, phase in zip(days, phases, strict=True)
    ]
    assert baseline_flags(observations) == expected


def test_theil_sen_gives_the_slope_per_week_of_a_straight_line() -> None:
    days = [day(d) for d in (0, 7, 14, 21, 28)]
    lo, est, hi = theil_sen_per_week(days, [1.0, 1.5, 2.0, 2.5, 3.0])  # type: ignore[misc]
    assert (lo, est, hi) == pytest.approx((0.5, 0.5, 0.5))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("scores", [True, False], ids=["whole-number scores", "measurements"])
def test_theil_sen_agrees_with_scipy_exactly_with_and_without_ties(seed: int, scores: bool) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 80))
    days = [day(int(d)) for d in np.cumsum(rng.integers(1, 4, n))]
    values = rng.integers(0, 11, n).astype(float) if scores else rng.normal(0, 1, n)
    weeks = [(d - days[0]).days / 7 for d in days]
    fit = stats.theilslopes(values, weeks, alpha=0.95)
    assert theil_sen_per_week(days, list(values)) == (fit.low_slope, fit.slope, fit.high_slope)


def test_theil_sen_needs_three_days() -> None:
    assert theil_sen_per_week([day(0), day(7)], [1.0, 2.0]) is None


def test_welch_interval_matches_scipy() -> None:
    after, before = [5.1, 6.3, 5.8, 6.0], [4.0, 4.9, 4.2]
    lo, est, hi = welch_interval(after, before)
    expected = stats.ttest_ind(after, before, equal_var=False).confidence_interval(0.95)
    assert est == pytest.approx(np.mean(after) - np.mean(before))
    assert (lo, hi) == pytest.approx((expected.low, expected.high))


def test_serial_correlation_is_estimated_from_the_residuals_and_never_below_zero() -> None:
    rng = np.random.default_rng(11)
    days = [day(d) for d in range(400)]
    independent = rng.standard_normal(400)
    correlated = np.empty(400)
    correlated[0] = independent[0]
    for i in range(1, 400):
        correlated[i] = 0.5 * correlated[i - 1] + math.sqrt(0.75) * independent[i]
    alternating = np.array([1.0, -1.0] * 200)
    baseline = [i < 8 for i in range(400)]
    assert serial_correlation(days, list(correlated), baseline, 0.0) == pytest.approx(0.5, abs=0.1)
    assert serial_correlation(days, list(independent), baseline, 0.0) < 0.1
    assert serial_correlation(days, list(alternating), baseline, 0.0) == 0.0
    assert serial_correlation(days[:5], list(correlated[:5]), baseline[:5], 0.0) == 0.0


@pytest.mark.parametrize("rho", [0.3, 0.6])
def test_correlation_widens_the_change_and_trend_intervals(rho: float) -> None:
    after, before = [5.1, 6.3, 5.8, 6.0], [4.0, 4.9, 4.2]
    plain, wide = welch_interval(after, before), welch_interval(after, before, rho=rho)
    assert wide[1] == plain[1]
    assert wide[2] - wide[0] > plain[2] - plain[0]
    # Four AR(1) values: the variance of their mean is f/4 of one value's, f = 1 + 2Σ(1 − k/4)ρᵏ,
    # and the sample variance expects (4 − f)/3 of it.
    f = 1 + 2 * sum((1 - k / 4) * rho**k for k in (1, 2, 3))
    assert mean_inflation(4, rho) == pytest.approx(f * 3 / (4 - f))
    # Both factors tend to (1 + ρ)/(1 − ρ), i.e. n_eff = n(1 − ρ)/(1 + ρ), in long series.
    assert mean_inflation(5000, rho) == pytest.approx((1 + rho) / (1 - rho), rel=0.01)
    assert trend_inflation(5000, rho) == pytest.approx((1 + rho) / (1 - rho), rel=0.01)
    days = [day(7 * w) for w in range(15)]
    values = list(np.random.default_rng(13).normal(0, 1, 15) + 0.2 * np.arange(15))
    narrow, widened = theil_sen_per_week(days, values), theil_sen_per_week(days, values, rho=rho)
    assert narrow is not None
    assert widened is not None
    assert widened[1] == narrow[1]
    assert widened[0] < narrow[0]
    assert widened[2] > narrow[2]


def test_independent_measurements_are_not_widened() -> None:
    assert mean_inflation(3, 0.0) == trend_inflation(15, 0.0) == 1.0


@pytest.mark.parametrize(
    ("change", "slope", "verdict", "words"),
    [
        pytest.param(
            (1.0, 3.0, 5.0), (0.1, 0.3, 0.5), "improving", "more than the noise", id="all"
        ),
        pytest.param((0.5, 2.0, 3.5), (0.1, 0.2, 0.3), "no_change_detected", "within", id="small"),
        pytest.param((-1.0, 3.0, 7.0), (0.1, 0.3, 0.5), "no_change_detected", "includes", id="ci"),
        pytest.param((1.0, 3.0, 5.0), (-0.1, 0.3, 0.5), "no_change_detected", "trend", id="trend"),
        pytest.param((-5.0, -3.0, -1.0), (-0.5, -0.3, -0.1), "worsening", "agrees", id="down"),
    ],
)
def test_a_verdict_needs_change_beyond_mdc_an_interval_off_zero_and_an_agreeing_trend(
    change: tuple[float, float, float], slope: tuple[float, float, float], verdict: str, words: str
) -> None:
    got, reason = judge(change, slope, mdc=2.5, higher_is_better=True, unit="points")
    assert got == verdict
    assert words in reason


def test_reasons_round_to_the_noise_with_a_real_minus_sign() -> None:
    verdict, reason = judge((-1.333, -0.667, 0.04), (-0.1, 0.02, 0.1), 2.5, True, "points")
    assert verdict == "no_change_detected"
    assert reason == (
        "changed by −0.7 points (95 % interval −1.3 to 0.0), within the noise (MDC 2.5 points)"
    )
    _, reason = judge((-5.0, -3.0, -1.0), (-0.52, -0.31, -0.12), 0.25, True, "")
    assert reason == (
        "changed by −3.00 (95 % interval −5.00 to −1.00), more than the noise (MDC 0.25), and "
        "the trend agrees (−0.31 a week, 95 % interval −0.52 to −0.12)"
    )


def test_every_missing_part_reads_after_not_enough_data_yet() -> None:
    result = analyse_series(series([5.0, 6.0], (0, 9)), True)
    assert result.reason == (
        "2 of the 6 measurement days so far, 4 more needed; 1 of the 3 baseline measurements so "
        "far, 2 more needed on different days, to measure the noise; 1 of the 3 measurement days "
        "after the baseline so far, 2 more needed; 1 of the 8 weeks of measurements so far, 7 more "
        "needed"
    )
    assert f"Not enough data yet: {result.reason}." in result.explanation


@pytest.mark.parametrize(
    ("metric", "step", "verdict"),
    [
        pytest.param("firmness", +1.0, "improving", id="firmness-up"),
        pytest.param("fine_lines", +1.0, "worsening", id="fine-lines-up"),
        pytest.param("sagging", -1.0, "improving", id="sagging-down"),
        pytest.param("cutometer:R2", +0.05, "improving", id="cutometer-r2-up"),
        pytest.param("cutometer:R0", +0.05, "worsening", id="cutometer-r0-up"),
        pytest.param("wrinkle_index", -1.0, "improving", id="wrinkles-down-given"),
    ],
)
def test_direction_of_better_decides_improving_or_worsening(
    metric: str, step: float, verdict: str
) -> None:
    wiggle = np.array([0.0, 0.1, -0.1] + [0.05, -0.05] * 6)
    values = abs(step) * wiggle + ramp(8 * step)  # a steady change, 8 steps by week 12
    values += abs(step) - values.min()  # values the measure can have (a rating is 0–10)
    result = analyse_progress(
        series(values, metric=metric), higher_is_better={"wrinkle_index": False}
    ).series[0]
    assert result.verdict == verdict, result.reason


@pytest.mark.parametrize(
    ("days", "reason"),
    [
        pytest.param(
            (0, 2, 4, 30, 60), "5 of the 6 measurement days so far, 1 more needed", id="five-days"
        ),
        pytest.param(
            (7, 14, 21, 28, 35, 70),
            "no baseline measurements yet, 3 needed on different days before the first session",
            id="no-baseline",
        ),
        pytest.param(
            (0, 10, 20, 30, 40, 70),
            "1 of the 3 baseline measurements so far, 2 more needed on different days, to measure "
            "the noise",
            id="one-baseline",
        ),
        pytest.param(
            (0, 3, 20, 30, 40, 70),
            "2 of the 3 baseline measurements so far, 1 more needed on different days",
            id="two-baseline",
        ),
        pytest.param(
            (0, 2, 4, 7, 14, 21, 28),
            "4 of the 8 weeks of measurements so far, 4 more needed",
            id="four-weeks",
        ),
        pytest.param(
            (0, 1, 2, 3, 4, 70),
            "1 of the 3 measurement days after the baseline so far, 2 more needed",
            id="one-follow-up",
        ),
    ],
)
def test_not_enough_data_says_what_is_missing(days: tuple[int, ...], reason: str) -> None:
    values = np.random.default_rng(7).normal(0, 1, len(days))
    result = analyse_series(series(values, days), True)
    assert result.verdict == "not_enough_data"
    assert reason in result.reason


def test_baseline_retakes_on_one_day_measure_noise_but_not_day_to_day_change() -> None:
    observations = [
        Observation(day(0), "R2", v, "cheeks", "left", "baseline") for v in (0.70, 0.72, 0.69)
    ] + [Observation(day(7 * w), "R2", 0.7, "cheeks", "left", "treatment") for w in range(1, 11)]
    result = analyse_series(observations, True)
    assert result.verdict == "not_enough_data"
    assert "baseline measurements on 1 day only, 2 days needed" in result.reason
    assert result.sem == pytest.approx(np.std([0.70, 0.72, 0.69], ddof=1))


def test_photos_the_quality_gate_rejected_do_not_count() -> None:
    observations = series(np.zeros(len(DAYS)))
    rejected = [
        Observation(day(84), metric, 50.0, "cheeks", side, quality_ok=False)
        for metric in ("wrinkle_index", "texture")
        for side in ("left", "right")
    ]
    result = analyse_progress(observations + rejected, higher_is_better={"wrinkle_index": False})
    assert result.series[0].n == len(DAYS)
    assert "Photos from 1 day were left out: the quality check rejected them." in result.notes


def test_json_has_the_issue_keys_and_the_extras() -> None:
    rng = np.random.default_rng(3)
    data = analyse_progress(series(rng.normal(0, 1, len(DAYS)))).as_json()
    one = data["series"][0]
    assert set(one) >= ISSUE_KEYS
    assert {"sem", "unit", "explanation"} <= set(one)
    assert len(one["slope_per_week"]) == 3
    assert len(one["change"]) == 3
    assert set(data) == {"concerns", "series", "split_face", "abab", "adherence_response", "notes"}


# ---------------------------------------------------------------------------------------------
# Algorithm versions


def test_a_series_is_analysed_with_its_latest_algorithm_only() -> None:
    old = series(np.zeros(8), DAYS[:8], algorithm="skin@1")
    new = series(np.ones(7) * 5, DAYS[8:], algorithm="skin@2")
    result = analyse_progress(old + new)
    assert result.series[0].n == 7
    assert any("8 measurements by skin@1 left out" in note for note in result.notes)


def test_algorithm_versions_are_never_mixed_in_a_series() -> None:
    rng = np.random.default_rng(11)
    versions = np.array(["skin@1", "skin@2", "skin@3"])
    for _ in range(200):
        picked = versions[rng.integers(0, 3, len(DAYS))]
        observations = [
            Observation(day(d), "wrinkle_index", float(v), "cheeks", side, algorithm=str(a))
            for d, v, a in zip(DAYS, 5 + rng.normal(0, 1, len(DAYS)), picked, strict=True)
            for side in ("left", "right")
        ]
        kept, _ = newest_algorithm(observations)
        assert {o.algorithm for o in kept} == {str(picked[-1])}
        result = analyse_progress(observations, treated_side="left")
        expected = 2 * int(np.sum(picked == picked[-1]))
        assert sum(s.n for s in result.series) == expected
        assert sum(s.n for s in result.split_face) == expected // 2


# ---------------------------------------------------------------------------------------------
# Simulation with known truth


def test_no_true_effect_gives_at_most_5_percent_verdicts() -> None:
    rng = np.random.default_rng(20260101)
    rows = 10.0 + rng.standard_normal((2000, len(DAYS)))
    counts = verdicts(rows, higher_is_better=True)
    rate = (counts["improving"] + counts["worsening"]) / 2000
    assert counts["not_enough_data"] == 0
    assert rate <= 0.05  # measured 0.0045


def test_no_true_effect_with_correlated_errors_gives_at_most_5_percent_verdicts() -> None:
    rng = np.random.default_rng(20260102)
    rows = 10.0 + ar1_noise(rng, 2000, rho=0.3)
    counts = verdicts(rows, higher_is_better=True)
    assert (counts["improving"] + counts["worsening"]) / 2000 <= 0.05  # measured 0.014


def test_no_true_effect_with_strongly_correlated_errors_gives_at_most_5_percent_verdicts() -> None:
    # Without the widening for serial correlation: 0.080 of these people.
    rng = np.random.default_rng(20260108)
    rows = 10.0 + ar1_noise(rng, 1000, rho=0.5)
    counts = verdicts(rows, higher_is_better=True)
    assert (counts["improving"] + counts["worsening"]) / 1000 <= 0.05  # measured 0.040


def test_a_true_effect_of_twice_the_mdc_is_detected_in_most_people() -> None:
    rng = np.random.default_rng(20260103)
    rows = 10.0 + ramp(2 * TRUE_MDC) + rng.standard_normal((2000, len(DAYS)))
    counts = verdicts(rows, higher_is_better=True)
    assert counts["worsening"] == 0
    assert counts["improving"] / 2000 >= 0.9  # measured 0.9055 (0.933 before the widening)


def test_a_true_effect_of_twice_the_mdc_is_detected_in_most_people_despite_correlation() -> None:
    rng = np.random.default_rng(20260109)
    rows = 10.0 + ramp(2 * TRUE_MDC) + ar1_noise(rng, 1000, rho=0.5)
    counts = verdicts(rows, higher_is_better=True)
    assert counts["worsening"] == 0
    assert counts["improving"] / 1000 >= 0.7  # measured 0.786 (0.965 before, with 8 % false)


def split_face_people(
    rng: np.random.Generator, people: int, effect: float, *, season: float = 0.0
) -> list[list[Observation]]:
    """Both sides share each day's light and skin (SD 1.0) and a season's drift; each side has
    its own error (SD 0.5); the treated (left) side gains ``effect`` by week 12. Measured as
    radiance (L* about 50), a measure with room for the season's drift either way."""
    shared = 50 + rng.standard_normal((people, len(DAYS))) + ramp(season)
    left = shared + ramp(effect) + 0.5 * rng.standard_normal((people, len(DAYS)))
    right = shared + 0.5 * rng.standard_normal((people, len(DAYS)))
    return [
        series(left[i], metric="radiance", side="left")
        + series(right[i], metric="radiance", side="right")
        for i in range(people)
    ]


def test_split_face_with_no_true_effect_gives_at_most_5_percent_verdicts() -> None:
    rng = np.random.default_rng(20260104)
    people = split_face_people(rng, 1000, effect=0.0)
    counts = Counter(analyse_progress(p, treated_side="left").split_face[0].verdict for p in people)
    assert (counts["improving"] + counts["worsening"]) / 1000 <= 0.05  # measured 0.006


def test_split_face_detects_twice_its_mdc_and_cancels_a_shared_season() -> None:
    rng = np.random.default_rng(20260105)
    difference_mdc = MDC_FACTOR * 0.5 * math.sqrt(2)
    people = split_face_people(rng, 1000, effect=2 * difference_mdc, season=-4 * TRUE_MDC)
    results = [analyse_progress(p, treated_side="left") for p in people]
    split = Counter(r.split_face[0].verdict for r in results)
    untreated = Counter(r.series[1].verdict for r in results)  # radiance, right side
    assert split["improving"] / 1000 >= 0.86  # measured 0.877
    assert split["worsening"] == 0
    # The season alone makes the untreated side look worse; the difference is immune to it.
    assert untreated["worsening"] / 1000 >= 0.9
    assert results[0].split_face[0].side == SPLIT_SIDE


# ---------------------------------------------------------------------------------------------
# Power


def test_power_weeks_shrink_as_the_effect_grows_and_never_fall_below_the_minimum() -> None:
    weeks = [power_weeks(1.0, effect, 1.0) for effect in (0.15, 0.25, 0.5, 2.0)]
    assert weeks == sorted(weeks, reverse=True)  # type: ignore[type-var]
    assert weeks[-1] == MIN_WEEKS
    assert power_weeks(1.0, 0.0, 1.0) is None
    assert power_weeks(1.0, 0.001, 1.0) is None


def test_power_weeks_gives_about_80_percent_detection_in_simulation() -> None:
    effect, sem = 0.3, 1.0
    weeks = power_weeks(sem, effect, photos_per_week=1.0)
    assert weeks is not None
    rng = np.random.default_rng(20260106)
    days = BASELINE_DAYS + tuple(4 + 7 * w for w in range(1, weeks + 1))
    trend = np.array([effect * max(d - 4, 0) / 7 for d in days])
    rows = trend + sem * rng.standard_normal((600, len(days)))
    detected = sum(analyse_series(series(r, days), True).verdict == "improving" for r in rows)
    assert 0.7 <= detected / 600 <= 0.95  # measured 0.772 at 15 weeks


def test_power_in_words_names_the_weeks_and_the_split_face_noise() -> None:
    weeks = power_weeks(0.5 * math.sqrt(2), 0.1, 2.0)
    said = power_in_words(0.5, 0.1, 2.0, unit="points", split_face=True)
    assert f"needs about {weeks} weeks" in said
    assert "±0.707 points" in said  # the difference's noise, √2 × one side's
    assert "between the massaged and the untreated side" in said
    assert "too small for your own data to show" in power_in_words(1.0, 0.001, 1.0)


# ---------------------------------------------------------------------------------------------
# A-B-A-B and adherence–response


def abab_ratings(values: list[float], phases: list[str]) -> list[Observation]:
    return [
        Observation(day(i), "glow", v, phase=p)  # type: ignore[arg-type]
        for i, (v, p) in enumerate(zip(values, phases, strict=True))
    ]


def test_abab_compares_weeks_with_and_without_massage() -> None:
    phases = (["treatment"] * 5 + ["off"] * 5) * 2
    values = [7.0, 8.0, 7.0, 8.0, 7.0, 4.0, 5.0, 4.0, 5.0, 4.0] * 2
    result = analyse_abab(abab_ratings(values, phases), higher_is_better=True)
    assert (result.blocks_treatment, result.blocks_off) == (2, 2)
    assert result.difference is not None
    assert result.difference[1] == pytest.approx(7.4 - 4.4)
    assert result.verdict == "improving"


def test_abab_needs_two_blocks_of_each() -> None:
    phases = ["treatment"] * 5 + ["off"] * 5
    result = analyse_abab(abab_ratings([5.0, 6.0] * 5, phases), higher_is_better=True)
    assert result.verdict == "not_enough_data"
    assert "1 block with massage and 1 without so far, 2 of each needed" in result.reason


def test_abab_with_no_true_effect_gives_at_most_5_percent_verdicts() -> None:
    rng = np.random.default_rng(20260107)
    phases = (["treatment"] * 7 + ["off"] * 7) * 2
    rows = np.clip(np.round(5 + 1.2 * rng.standard_normal((1000, len(phases)))), 0, 10)
    counts = Counter(analyse_abab(abab_ratings(list(row), phases), True).verdict for row in rows)
    assert (counts["improving"] + counts["worsening"]) / 1000 <= 0.05  # measured 0.0


def test_adherence_response_reports_an_association_with_its_caveat() -> None:
    sessions = [1, 5, 2, 6, 0, 7, 3, 4, 5, 1, 6, 2]
    observations = [Observation(day(0), "firmness", 5.0, phase="baseline")]
    level = 5.0
    weekly: dict[dt.date, int] = {}
    for week, count in enumerate(sessions, start=1):
        level += 0.1 * count + (0.05 if week % 2 else -0.05)
        observations.append(Observation(day(7 * week + 2), "firmness", level, phase="treatment"))
        weekly[day(7 * week)] = count
    observations += [
        Observation(day(d), "firmness", 5.0 + d / 100, phase="baseline") for d in (1, 2)
    ]
    result = analyse_progress(observations, weekly_sessions=weekly)
    assert result.adherence_response is not None
    lo, rho, _ = result.adherence_response.rho
    assert rho > 0.8
    assert lo > 0
    assert "association, not proof" in result.adherence_response.caveat
    assert "more sessions went with more improvement" in result.adherence_response.in_words


def test_adherence_response_needs_six_weeks() -> None:
    observations = series(np.zeros(len(DAYS)), metric="firmness")
    weekly = {day(7): 3, day(14): 4}
    result = analyse_progress(observations, weekly_sessions=weekly)
    assert result.adherence_response is None
    assert (
        "Adherence and response: 2 of the 6 weeks with both sessions and a change from the week "
        "before so far, 4 more needed." in result.notes
    )


@pytest.mark.parametrize(("days", "weeks"), [(0, 0), (6, 0), (7, 1), (20, 2), (56, 8), (-3, 0)])
def test_weeks_measured_counts_whole_weeks_from_the_first_day_to_the_last(
    days: int, weeks: int
) -> None:
    assert weeks_measured(day(0), day(days)) == weeks
