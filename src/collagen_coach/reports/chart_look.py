"""What a progress chart shows and how it looks, the same on the dashboard (Chart.js) and in the
report (matplotlib): the words of its key, its colours, the daily points it draws and its axes.

The rules, each decided here once:

- **Points**: one per day, the day's mean; a day with repeated readings (three Cutometer
  suctions) gets a whisker from its lowest to its highest reading instead of a zig-zag.
- **Y axis**: a self-rating is drawn on its whole 0–10 scale, so a chart never magnifies a
  half-point wobble into a cliff. Any other measure spans its own points, band and trend with
  a tenth of that span as margin, out to round numbers, and never past the values its measure
  can take (no negative lightness).
- **X axis**: the whole period with a small margin on each side, so the first and last points
  are never cut; ticks on days, Mondays, months or years, whichever gives at most six, and no
  two with the same label. A single day gets a single tick.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from collagen_coach.core.measures import direction_words, measure_of
from collagen_coach.core.progress import SPLIT_SIDE
from collagen_coach.reports.series import Point, SeriesView

# The key's words, on the chart, in its caption and in its description for screen readers.
BAND_WORDS = "your usual day-to-day wobble"
BASELINE_WORDS = "your baseline"
TREND_WORDS = "trend"
RANGE_WORDS = "lowest to highest of the day"
KEY_WORDS = {"band": BAND_WORDS, "baseline": BASELINE_WORDS, "trend": TREND_WORDS}
_ROLE_WORDS = {"treated": "massaged side", "untreated": "side left alone"}

# Colours and sizes, which dashboard.js reads from the page's data (``LOOK``).
INK = "#1f2a36"
GRID = "#e3e6ea"
POINTS = "#1f5fa8"  # the measurements, and the massaged side in a split-face trial
OTHER = "#c26a1a"  # the side left alone, drawn faint behind
TREND = "#b03a2e"
BAND = "#8fb3d9"
BAND_OPACITY = 0.22
BASELINE = "#4a5560"
POINT_RADIUS_PX = 3.5
MANY_POINTS = 120  # above this many days, points shrink and the line joining them carries it
LOOK: dict[str, str | float | int] = {
    "ink": INK,
    "grid": GRID,
    "points": POINTS,
    "other": OTHER,
    "trend": TREND,
    "band": BAND,
    "band_opacity": BAND_OPACITY,
    "baseline": BASELINE,
    "point_radius": POINT_RADIUS_PX,
    "many_points": MANY_POINTS,
}

MOST_TICKS = 6
_Y_MARGIN = 0.1  # of the span of what is drawn, on each side
_X_MARGIN = 0.03  # of the period, on each side, at least one day


@dataclass(frozen=True)
class Day:
    """One day of a series as a chart draws it: the mean of the day's readings and their range."""

    date: dt.date
    mean: float
    low: float
    high: float
    n: int


def daily(points: Sequence[Point]) -> tuple[Day, ...]:
    """Give one point per day, oldest first: the mean of the day's values, with their lowest
    and highest."""
    by_day: dict[dt.date, list[float]] = {}
    for point in points:
        by_day.setdefault(point.date, []).append(point.value)
    return tuple(
        Day(day, statistics.fmean(values), min(values), max(values), len(values))
        for day, values in sorted(by_day.items())
    )


def trend_line(
    points: Sequence[Point], slope_per_week: float, start: dt.date, end: dt.date
) -> tuple[list[dt.date], list[float]]:
    """Give the trend line's two ends: the given weekly slope through the points' median
    (the Theil–Sen intercept, median of yᵢ − slope·tᵢ; Sen 1968)."""
    first = points[0].date
    intercept = statistics.median(
        p.value - slope_per_week * (p.date - first).days / 7 for p in points
    )
    ends = [start, end]
    return ends, [intercept + slope_per_week * (day - first).days / 7 for day in ends]


def trend_of(view: SeriesView) -> tuple[tuple[dt.date, float], tuple[dt.date, float]] | None:
    """Give the trend line's two ends, from the first to the last day measured, or None: no
    trend is drawn without a verdict (too few measurements to trust its direction)."""
    if view.verdict == "not_enough_data" or view.slope_per_week is None:
        return None
    if len(view.points) < 2 or view.points[0].date == view.points[-1].date:
        return None
    days, values = trend_line(
        view.points, view.slope_per_week[1], view.points[0].date, view.points[-1].date
    )
    return (days[0], values[0]), (days[1], values[1])


@dataclass(frozen=True)
class Scales:
    """A chart's axes: the days it spans with their labelled ticks, and its values' range."""

    start: dt.date
    end: dt.date
    ticks: tuple[tuple[dt.date, str], ...]
    low: float
    high: float
    step: float
    x_label: str
    y_label: tuple[str, ...]


def scales_of(view: SeriesView) -> Scales:
    """Give the axes of ``view``'s chart (it has at least one point), by the module's rules."""
    first, last = view.points[0].date, view.points[-1].date
    start, end = x_range(first, last)
    ticks = ((first, day_label(first, "day", first, last)),) if first == last else None
    low, high, step = y_range(view)
    return Scales(
        start=start,
        end=end,
        ticks=ticks or date_ticks(start, end),
        low=low,
        high=high,
        step=step,
        x_label=_x_label(first, last),
        y_label=_y_label(view),
    )


def fixed_scale(view: SeriesView) -> tuple[float, float] | None:
    """Give the whole scale a series is drawn on, when it has one: a self-rating's 0 to 10."""
    measure = measure_of(view.metric)
    if measure is None or measure.kind != "self_rating" or view.side == SPLIT_SIDE:
        return None
    return measure.plausible


def y_range(view: SeriesView) -> tuple[float, float, float]:
    """Give the lowest and highest value a chart shows, and the step between its ticks."""
    fixed = fixed_scale(view)
    if fixed is not None:
        return fixed[0], fixed[1], nice_step(fixed[1] - fixed[0])
    drawn = [v for d in daily(view.points) for v in (d.low, d.high)]
    drawn += [p.value for p in view.control_points]
    if view.baseline_mean is not None:
        drawn.append(view.baseline_mean)
        if view.mdc is not None:
            drawn += [view.baseline_mean - view.mdc, view.baseline_mean + view.mdc]
    trend = trend_of(view)
    if trend is not None:
        drawn += [trend[0][1], trend[1][1]]
    low, high = min(drawn), max(drawn)
    span = high - low
    if span <= 1e-9 * max(abs(low), abs(high)):
        # One value alone: a tenth of it each side (or 1 around zero), the point mid-chart.
        margin = abs(high) * 0.1 or 1.0
    else:
        margin = span * _Y_MARGIN
    low, high = low - margin, high + margin
    step = nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    measure = measure_of(view.metric)
    if measure is not None and view.side != SPLIT_SIDE:
        # Never below or above what the measure can take (a difference between sides can).
        low, high = max(low, measure.plausible[0]), min(high, measure.plausible[1])
    return _clean(low), _clean(high), step


def nice_step(span: float) -> float:
    """Give a round step (1, 2, 2.5 or 5 × a power of ten) that cuts ``span`` into 4 or 5."""
    if span <= 0:
        return 1.0
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    return _clean(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))


def _clean(value: float) -> float:
    """Give ``value`` without floating-point dust (0.30000000000000004 → 0.3)."""
    return float(f"{value:.10g}")


def x_range(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """Give the days a chart spans: the measured period and a margin on each side."""
    margin = dt.timedelta(days=max(1, round((last - first).days * _X_MARGIN)))
    return first - margin, last + margin


# Tick steps, finest first: (unit, how many of it).
_STEPS: tuple[tuple[str, int], ...] = (
    ("day", 1),
    ("day", 2),
    ("week", 1),
    ("week", 2),
    ("month", 1),
    ("month", 2),
    ("month", 3),
    ("month", 6),
    ("year", 1),
    ("year", 2),
    ("year", 5),
    ("year", 10),
    ("year", 25),
)
_LONGEST_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}


def date_ticks(
    start: dt.date, end: dt.date, *, most: int = MOST_TICKS
) -> tuple[tuple[dt.date, str], ...]:
    """Give the ticks of a date axis from ``start`` to ``end``: the finest step (days, Mondays,
    first days of months, new years) that needs at most ``most`` ticks, each labelled once."""
    span = (end - start).days
    for unit, every in _STEPS:
        if span // (_LONGEST_DAYS[unit] * every) > most:
            continue  # more ticks than allowed, whichever day they fall on
        days = list(_tick_days(start, end, unit, every))
        if 0 < len(days) <= most:
            return tuple((day, day_label(day, unit, start, end)) for day in days)
    return ((start, day_label(start, "year", start, end)),)


def _tick_days(start: dt.date, end: dt.date, unit: str, every: int) -> Iterable[dt.date]:
    if unit in ("day", "week"):
        length = 1 if unit == "day" else 7
        # Counted from a Monday (day 1 of the proleptic calendar), so weeks start on Mondays.
        day = start + dt.timedelta(days=(-(start.toordinal() - 1)) % (length * every))
        while day <= end:
            yield day
            day += dt.timedelta(days=length * every)
        return
    if unit == "month":
        year, month = start.year, start.month
        if start.day > 1:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        while dt.date(year, month, 1) <= end:
            if (month - 1) % every == 0:
                yield dt.date(year, month, 1)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return
    year = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    while dt.date(year, 1, 1) <= end:
        if year % every == 0:
            yield dt.date(year, 1, 1)
        year += 1


def day_label(day: dt.date, unit: str, start: dt.date, end: dt.date) -> str:
    """Give a tick's label: "4 Dec" for days and weeks, "Dec" or "Dec 2026" for months (with
    the year when the axis spans more than one), "2026" for years."""
    if unit in ("day", "week"):
        return f"{day.day} {day:%b}"
    if unit == "month":
        return f"{day:%b}" if start.year == end.year else f"{day:%b %Y}"
    return f"{day.year}"


def _x_label(first: dt.date, last: dt.date) -> str:
    if first.year == last.year:
        return f"date ({first.year})"
    return f"date ({first.year}–{last.year})"


def _y_label(view: SeriesView) -> tuple[str, ...]:
    unit = view.unit or "value"
    if view.higher_is_better is None:
        return (unit,)
    return (unit, f"({direction_words(view.higher_is_better)})")


def point_words(view: SeriesView, days: Sequence[Day]) -> tuple[str, str]:
    """Give the key's words for the series' own points and for the other side's (or "")."""
    if view.role is not None:
        other = "untreated" if view.role == "treated" else "treated"
        return _ROLE_WORDS[view.role], _ROLE_WORDS[other] if view.control_points else ""
    if view.side == SPLIT_SIDE:
        return "difference, per day", ""
    if any(d.n > 1 for d in days):
        return "mean of the day", ""
    return "measurements", ""


def point_colours(view: SeriesView) -> tuple[str, str]:
    """Give the colours of the series' own points and of the other side's: in a split-face
    trial each side keeps its colour on every chart."""
    if view.role == "untreated":
        return OTHER, POINTS
    return POINTS, OTHER


def chart_key(view: SeriesView) -> str:
    """Give the chart's key in words, as its caption says it: what its band and its dashed line
    are, for those it draws."""
    drawn = []
    if view.baseline_mean is not None and view.mdc is not None:
        drawn.append(f"Shaded: {BAND_WORDS}.")
    if view.baseline_mean is not None:
        drawn.append(f"Dashed line: {BASELINE_WORDS}.")
    return " ".join(drawn)


def chart_description(view: SeriesView, period: str) -> str:
    """Give what a chart shows, for a screen reader: its name, its period and its key."""
    key = chart_key(view)
    return f"Chart of {view.title}: {period}. {key} The numbers are in the table below the chart."
