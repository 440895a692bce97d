"""What a series' card says in words: plain words first (no statistics terms), each count once,
and the analysis' own reason one step away in the card's numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from collagen_coach.core.progress import Observation, analyse_series
from collagen_coach.core.progress.series import judge
from collagen_coach.core.words import EXPLORATORY_WORDS
from collagen_coach.web.progress.series_chart import SeriesChart

START = dt.date(2026, 1, 5)  # a Monday
STATISTICS_WORDS = ("MDC", "95 %", "interval", "SEM", "noise", "baseline ±")


def firmness(days: tuple[int, ...]) -> SeriesChart:
    """A firmness self-rating on ``days`` after START, the first week its baseline."""
    observations = [
        Observation(
            START + dt.timedelta(days=offset),
            "firmness",
            5.0 + (offset % 3) * 0.5,
            phase="baseline" if offset < 7 else "treatment",
        )
        for offset in days
    ]
    return SeriesChart.of(analyse_series(observations, True))


def test_not_enough_data_says_each_count_once() -> None:
    card = firmness((0, 2, 4, 7, 11, 14))
    assert card.verdict == "not_enough_data"
    assert card.reason == "2 of the 8 weeks of measurements so far, 6 more needed"
    # The weeks as every page counts them, from the latest measurement, and only once.
    assert card.weeks_more == 6
    assert card.reason_words == "Not enough data yet: about 6 more weeks of measurements needed."
    assert card.technical_reason == "—"


@pytest.mark.parametrize(
    ("change", "slope", "verdict", "words"),
    [
        pytest.param(
            (-1.0, -0.3, 0.4),
            (-0.1, 0.0, 0.1),
            "no_change_detected",
            "It changed by −0.30 points, within your usual wobble of ±0.50 points: no change "
            "beyond it so far.",
            id="within-the-wobble",
        ),
        pytest.param(
            (-1.6, -0.7, 0.2),
            (-0.2, -0.1, 0.0),
            "no_change_detected",
            "It changed by −0.70 points, more than your usual wobble of ±0.50 points, but the "
            "measurements vary too much to be sure it is real.",
            id="unsure",
        ),
        pytest.param(
            (-1.2, -0.7, -0.2),
            (-0.1, 0.02, 0.1),
            "no_change_detected",
            "It changed by −0.70 points, more than your usual wobble of ±0.50 points, but the "
            "measurements over time do not move steadily that way yet.",
            id="trend-disagrees",
        ),
        pytest.param(
            (0.2, 0.7, 1.2),
            (0.02, 0.06, 0.1),
            "improving",
            "It changed by +0.70 points, more than your usual wobble of ±0.50 points, and the "
            "measurements over time move steadily that way.",
            id="improving",
        ),
    ],
)
def test_a_verdict_reads_in_plain_words_with_the_statistics_behind_it(
    change: tuple[float, float, float], slope: tuple[float, float, float], verdict: str, words: str
) -> None:
    got, reason = judge(change, slope, 0.5, True, "points")
    assert got == verdict
    card = replace(
        firmness((0, 2, 4, 7, 9, 11)),
        change=change,
        slope_per_week=slope,
        mdc=0.5,
        verdict=got,
        reason=reason,
    )
    assert card.reason_words == words
    assert not any(term in card.reason_words for term in STATISTICS_WORDS)
    assert card.technical_reason == reason[:1].upper() + reason[1:] + "."
    assert "95 % interval" in card.technical_reason
    assert card.words()["technical_reason"] == card.technical_reason


def test_the_band_reads_as_the_usual_wobble_without_statistics() -> None:
    card = replace(firmness((0, 2, 4, 7, 9, 11)), mdc=0.5)
    assert card.band_name == "Your usual day-to-day wobble"
    assert card.band_words == "5.00 to 6.00 points"
    assert not any(term in card.band_words for term in STATISTICS_WORDS)


def test_the_weeks_a_card_waits_for_are_those_today_names() -> None:
    # Four days of baseline: no whole week covered, about 7 weeks to the first verdict.
    card = firmness((0, 2, 4))
    assert "0 of the 8 weeks of measurements so far, 8 more needed" in card.reason
    assert card.weeks_more == 7
    assert card.reason_words.startswith("Not enough data yet: ")
    assert "about 7 more weeks of measurements needed" in card.reason_words
    assert "8 more needed" not in card.reason_words


def test_an_exploratory_measure_shows_its_change_and_says_it_is_not_judged() -> None:
    observations = [
        Observation(
            START + dt.timedelta(days=offset),
            "line_length_cm_per_cm2",
            2.0 + offset / 20 + 0.01 * (-1) ** index,
            zone="cheeks",
            side="left",
            phase="baseline" if offset < 7 else "treatment",
        )
        for index, offset in enumerate((0, 2, 4, *range(7, 91, 7)))
    ]
    card = SeriesChart.of(analyse_series(observations, False))
    assert card.verdict_words == EXPLORATORY_WORDS
    assert card.reason_words == (
        f"It changed by +3.75 cm per cm². Shown, not judged: {EXPLORATORY_WORDS}."
    )
    assert not any(word in card.reason_words for word in STATISTICS_WORDS)
