"""One chart per measured series, as SVG text for the HTML and the PDF alike: the measurements
over time, the trend line, the baseline mean with a shaded band of ± the minimal detectable change
(the noise), and the untreated side beside the treated one in a split-face self-trial."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import statistics
from collections.abc import Sequence

import matplotlib
import numpy as np
from numpy.typing import NDArray

matplotlib.use("Agg")  # no display: charts are only ever written to files

from matplotlib import dates as mdates  # after the backend is chosen
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from collagen_coach.core.measures import direction_words
from collagen_coach.core.progress import SPLIT_SIDE
from collagen_coach.reports.series import Point, SeriesView

# Large enough to read on paper at the report's width (A4, 17 cm of text): 7 in wide at 12 pt.
WIDTH_IN, HEIGHT_IN = 7.0, 2.2
FONT_PT = 12
INK = "#1f2a36"
TREATED = "#1f5fa8"
UNTREATED = "#c26a1a"
TREND = "#c0392b"
BAND = "#f2c14e"


def series_chart(section: SeriesView) -> str:
    """Give the series' chart as an ``<svg>`` element, ready to put inline in HTML, or "" when
    there is nothing to draw."""
    if not section.points:
        return ""
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    ax = figure.add_subplot()
    ax.tick_params(labelsize=FONT_PT - 1, colors=INK)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)

    if section.mdc is not None and section.baseline_mean is not None:
        low, high = section.baseline_mean - section.mdc, section.baseline_mean + section.mdc
        ax.axhspan(low, high, color=BAND, alpha=0.35, lw=0, label="baseline ± MDC (noise)")
    if section.baseline_mean is not None:
        ax.axhline(section.baseline_mean, color=INK, lw=1, ls="--", label="baseline mean")

    # Each side keeps its colour on every chart; the other side is drawn faint behind.
    colour = {"treated": TREATED, "untreated": UNTREATED}
    marker = {"treated": "o", "untreated": "s"}
    if section.role is not None and section.control_points:
        other = "untreated" if section.role == "treated" else "treated"
        _plot_points(
            ax, section.control_points, colour[other], f"{other} side", marker[other], alpha=0.35
        )
    if section.role is not None:
        mine = section.role
        _plot_points(ax, section.points, colour[mine], f"{mine} side", marker[mine])
    else:
        label = "difference, per day" if section.side == SPLIT_SIDE else "measurements"
        _plot_points(ax, section.points, TREATED, label, "o")

    # No trend is drawn without a verdict: too few measurements to trust its direction.
    judged = section.verdict != "not_enough_data"
    if judged and section.slope_per_week is not None and len(section.points) >= 2:
        start, end = section.points[0].date, section.points[-1].date
        xs, ys = trend_line(section.points, section.slope_per_week[1], start, end)
        ax.plot(_days(xs), ys, color=TREND, lw=2.2, label="trend")

    ax.set_ylabel(_y_label(section), fontsize=FONT_PT, color=INK)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    ax.set_xlabel(_x_label(section.points), fontsize=FONT_PT - 1, color=INK)
    ax.grid(axis="y", color="#d5d9de", lw=0.6)
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=FONT_PT - 1,
        frameon=False,
        borderaxespad=0,
    )
    return _inline_svg(figure, title=f"Chart: {section.title}")


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


def _plot_points(
    ax: Axes,
    points: Sequence[Point],
    colour: str,
    label: str,
    marker: str,
    *,
    alpha: float = 0.85,
) -> None:
    if not points:
        return
    ax.plot(
        _days([p.date for p in points]),
        [p.value for p in points],
        ls="none",
        marker=marker,
        ms=6,
        color=colour,
        alpha=alpha,
        label=label,
    )


def _days(days: Sequence[dt.date]) -> NDArray[np.datetime64]:
    return np.array(days, dtype="datetime64[D]")


def _x_label(points: Sequence[Point]) -> str:
    first, last = points[0].date.year, points[-1].date.year
    return f"date ({first})" if first == last else f"date ({first}–{last})"


def _y_label(section: SeriesView) -> str:
    unit = section.unit or "value"
    if section.higher_is_better is None:
        return unit
    return f"{unit}\n({direction_words(section.higher_is_better)})"


_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_STYLE = re.compile(
    r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>|<style[^>]*>.*?</style>", re.DOTALL
)


def _inline_svg(figure: Figure, *, title: str) -> str:
    """Give the figure as an ``<svg>`` element that scales to the width of its container."""
    buffer = io.StringIO()
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "font.family": "DejaVu Sans", "svg.hashsalt": title}
    ):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    # matplotlib's own style sheet (``*{stroke-linejoin…}``) would apply to the whole page.
    svg = _STYLE.sub("", svg)
    # Sized by the page's CSS (width 100 %), keeping the viewBox's proportions.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{html.escape(title)}" class="chart" ', 1
    )
