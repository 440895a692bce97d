"""The progress charts, as the report draws them (SVG) and as chart_look decides them for the
dashboard too: a single point drawn, ratings on their whole 0–10 scale, one point a day with the
day's range, date ticks each labelled once over any span, and a key in words."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from collagen_coach.core.progress import Observation, Phase, analyse_progress
from collagen_coach.reports.chart_look import (
    BAND_WORDS,
    BASELINE_WORDS,
    chart_key,
    daily,
    date_ticks,
    scales_of,
    x_range,
)
from collagen_coach.reports.charts import series_chart
from collagen_coach.reports.series import Point, SeriesView

DEC_4 = dt.date(2026, 12, 4)


def views(observations: list[Observation]) -> dict[str, SeriesView]:
    """Give the analysed series of ``observations`` by key."""
    series, _ = SeriesView.all_of(analyse_progress(observations), None)
    return {view.key: view for view in series}


def rated(days: list[int], values: list[float], metric: str = "firmness") -> SeriesView:
    """Give a self-rating's series: ``values`` on ``days`` after 4 December 2026, the first
    three the baseline."""
    made = [
        Observation(DEC_4 + dt.timedelta(days=d), metric, v, phase=_phase(i))
        for i, (d, v) in enumerate(zip(days, values, strict=True))
    ]
    return views(made)[metric]


def readings(days: list[int], per_day: list[float]) -> SeriesView:
    """Give a Cutometer series with the readings ``per_day`` (offsets from 0.70, and a little
    more each day) every day."""
    made = [
        Observation(
            DEC_4 + dt.timedelta(days=d),
            "cutometer:R2",
            0.70 + r + 0.002 * (i % 3),
            "cheeks",
            "left",
            _phase(i),
            unit="ratio",
        )
        for i, d in enumerate(days)
        for r in per_day
    ]
    return views(made)["cutometer-R2-cheeks-left"]


def _phase(index: int) -> Phase:
    return "baseline" if index < 3 else "treatment"


def drawn_points(svg: str) -> int:
    """Give how many day points the chart draws (its ``points`` group's markers)."""
    group = re.search(r'<g id="points">(.*?)</g>\s*</g>', svg, flags=re.DOTALL)
    assert group, "the chart has its group of points"
    return len(re.findall(r"<use ", group.group(1)))


def tick_labels(svg: str) -> list[str]:
    return re.findall(r'<g id="xtick_\d+">.*?<text[^>]*>([^<]*)</text>', svg, flags=re.DOTALL)


def test_a_single_rating_is_drawn_as_one_point_on_the_whole_scale() -> None:
    one = rated([0], [4])
    svg = series_chart(one)
    assert drawn_points(svg) == 1
    scales = scales_of(one)
    assert (scales.low, scales.high) == (0, 10)
    assert tick_labels(svg) == ["4 Dec"]


@pytest.mark.parametrize(
    "values",
    [[4, 4, 4, 4], [3.75, 4.2, 4, 4.1], [0, 10, 5, 5]],
    ids=["flat", "a-half-point-wobble", "both-ends"],
)
def test_ratings_always_span_0_to_10(values: list[float]) -> None:
    scales = scales_of(rated([0, 2, 4, 7], values))
    assert (scales.low, scales.high, scales.step) == (0, 10, 2)


def test_repeated_readings_are_drawn_as_the_days_mean_with_its_range() -> None:
    points = [
        Point(DEC_4, 0.70),
        Point(DEC_4, 0.74),
        Point(DEC_4, 0.72),
        Point(DEC_4 + dt.timedelta(1), 0.71),
    ]
    first, second = daily(points)
    assert (first.date, first.n, first.low, first.high) == (DEC_4, 3, 0.70, 0.74)
    assert first.mean == pytest.approx(0.72)
    assert (second.n, second.low, second.high, second.mean) == (1, 0.71, 0.71, 0.71)


def test_an_instrument_chart_draws_one_point_a_day_and_shows_every_reading() -> None:
    view = readings([0, 3, 6, 9, 12], [-0.02, 0.0, 0.03])
    assert view.n == 15
    svg = series_chart(view)
    assert drawn_points(svg) == 5
    scales = scales_of(view)
    assert scales.low <= 0.68
    assert scales.high >= 0.73
    # The whole period and a margin: the last day's point is never cut off at the edge.
    assert scales.start < DEC_4
    assert scales.end > DEC_4 + dt.timedelta(days=12)


def test_other_measures_span_their_points_and_band_with_a_margin() -> None:
    view = readings([0, 2, 4, 7, 9, 11, 14, 17], [0.0])
    scales = scales_of(view)
    band = (view.baseline_mean or 0) - (view.mdc or 0), (view.baseline_mean or 0) + (view.mdc or 0)
    values = [p.value for p in view.points]
    assert scales.low < min(*values, band[0])
    assert scales.high > max(*values, band[1])
    # A tenth each side, out to round ticks: the band never fills the whole chart.
    assert (band[1] - band[0]) < 0.9 * (scales.high - scales.low)
    assert scales.low >= 0  # a ratio cannot go below zero


@pytest.mark.parametrize(
    ("days", "unit"),
    [
        (1, "day"),
        (7, "day"),
        (70, "week"),
        (200, "month"),
        (5 * 365, "year"),
    ],
    ids=["two-days", "a-week", "ten-weeks", "months", "five-years"],
)
def test_date_ticks_are_few_and_each_labelled_once(days: int, unit: str) -> None:
    start, end = x_range(DEC_4, DEC_4 + dt.timedelta(days=days))
    ticks = date_ticks(start, end)
    labels = [label for _, label in ticks]
    assert 2 <= len(ticks) <= 6
    assert len(set(labels)) == len(labels)
    assert all(start <= day <= end for day, _ in ticks)
    if unit == "week":
        assert all(day.weekday() == 0 for day, _ in ticks)  # Mondays
    if unit == "year":
        assert all(label.isdigit() for label in labels)


def test_a_ten_week_chart_has_distinct_date_labels() -> None:
    view = rated(list(range(0, 70, 3)), [5.0] * len(range(0, 70, 3)))
    labels = tick_labels(series_chart(view))
    assert len(labels) >= 3
    assert len(set(labels)) == len(labels)


def test_the_key_says_the_band_and_the_baseline_in_words() -> None:
    view = rated([0, 2, 4, 7, 9], [5, 6, 5, 6, 5])
    svg = series_chart(view)
    assert BAND_WORDS in svg
    assert BASELINE_WORDS in svg
    assert "MDC" not in svg
    assert chart_key(view) == f"Shaded: {BAND_WORDS}. Dashed line: {BASELINE_WORDS}."


def test_a_chart_without_a_band_yet_does_not_name_one() -> None:
    one = rated([0], [4])
    assert BAND_WORDS not in series_chart(one)
    assert chart_key(one) == f"Dashed line: {BASELINE_WORDS}."
