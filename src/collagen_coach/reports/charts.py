"""One chart per measured series, as SVG text for the HTML and the PDF alike: one point per day
(the day's mean, with a whisker from its lowest to its highest reading), the trend line, the
baseline with a shaded band of the usual day-to-day wobble (± the minimal detectable change), and
the side left alone beside the massaged one in a split-face self-trial.

What the chart shows and how it looks (words, colours, axes) is decided in ``chart_look``, which
the dashboard's charts follow too.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Sequence

import matplotlib
import numpy as np
from numpy.typing import NDArray

matplotlib.use("Agg")  # no display: charts are only ever written to files

from matplotlib.axes import Axes  # after the backend is chosen
from matplotlib.figure import Figure

from collagen_coach.reports import chart_look as look
from collagen_coach.reports.series import SeriesView

# Large enough to read on paper at the report's width (A4, 17 cm of text): 7 in wide at 12 pt.
WIDTH_IN, HEIGHT_IN = 7.0, 2.5
FONT_PT = 12
_PX_PER_PT = 96 / 72  # the page's CSS pixels per typographic point


def series_chart(section: SeriesView) -> str:
    """Give the series' chart as an ``<svg>`` element, ready to put inline in HTML, or "" when
    there is nothing to draw."""
    if not section.points:
        return ""
    scales = look.scales_of(section)
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    ax = figure.add_subplot()
    ax.tick_params(labelsize=FONT_PT - 1, colors=look.INK)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.set_axisbelow(True)
    ax.grid(axis="y", color=look.GRID, lw=0.8)

    if section.mdc is not None and section.baseline_mean is not None:
        low, high = section.baseline_mean - section.mdc, section.baseline_mean + section.mdc
        ax.axhspan(low, high, color=look.BAND, alpha=look.BAND_OPACITY, lw=0, label=look.BAND_WORDS)
    if section.baseline_mean is not None:
        ax.axhline(
            section.baseline_mean,
            color=look.BASELINE,
            lw=1.2,
            ls=(0, (5, 4)),
            label=look.BASELINE_WORDS,
        )

    days = look.daily(section.points)
    mine, other = look.point_words(section, days)
    colour, other_colour = look.point_colours(section)
    if other:
        _plot_days(ax, look.daily(section.control_points), other_colour, other, faint=True)
    _plot_days(ax, days, colour, mine, gid="points")

    trend = look.trend_of(section)
    if trend is not None:
        (start, first), (end, last) = trend
        ax.plot(_days([start, end]), [first, last], color=look.TREND, lw=2, label=look.TREND_WORDS)

    ax.set_xlim(*_days([scales.start, scales.end]))
    ax.set_xticks(_days([t[0] for t in scales.ticks]), [t[1] for t in scales.ticks])
    ax.set_ylim(scales.low, scales.high)
    ax.set_yticks(np.arange(scales.low, scales.high + scales.step / 2, scales.step))
    ax.set_ylabel("\n".join(scales.y_label), fontsize=FONT_PT - 1, color=look.INK)
    ax.set_xlabel(scales.x_label, fontsize=FONT_PT - 1, color=look.INK)
    # The day's points first, the other side's, then the trend, the baseline and the band.
    handles, labels = ax.get_legend_handles_labels()
    key_order = [mine, other, look.TREND_WORDS, look.BASELINE_WORDS, look.BAND_WORDS]
    order = sorted(range(len(labels)), key=lambda i: key_order.index(labels[i]))
    figure.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="outside lower center",
        ncols=3,
        fontsize=FONT_PT - 1,
        frameon=False,
        handlelength=1.6,
        columnspacing=1.2,
    )
    return _inline_svg(figure, title=f"Chart: {section.title}")


def _plot_days(
    ax: Axes,
    days: Sequence[look.Day],
    colour: str,
    label: str,
    *,
    faint: bool = False,
    gid: str = "other-points",
) -> None:
    """Draw one point per day (the day's mean), joined by a thin line, with a whisker over the
    days of repeated readings."""
    if not days:
        return
    alpha = 0.4 if faint else 1.0
    many = len(days) > look.MANY_POINTS
    radius_pt = (look.POINT_RADIUS_PX / 2 if many else look.POINT_RADIUS_PX) / _PX_PER_PT
    when = _days([d.date for d in days])
    repeated = [i for i, d in enumerate(days) if d.n > 1]
    if repeated:
        ax.vlines(
            when[repeated],
            [days[i].low for i in repeated],
            [days[i].high for i in repeated],
            color=colour,
            alpha=0.55 * alpha,
            lw=1.4,
        )
    means = [d.mean for d in days]
    if not many:  # over years, a line through every day would only blot the points out
        ax.plot(when, means, ls="-", lw=1.0, color=colour, alpha=0.45 * alpha)
    ax.plot(
        when,
        means,
        ls="none",
        marker="o",
        ms=2 * radius_pt,
        mew=0,
        color=colour,
        alpha=alpha,
        label=label,
        gid=gid,  # the SVG group of the day's points, named
    )


def _days(days: Sequence[dt.date]) -> NDArray[np.datetime64]:
    return np.array(days, dtype="datetime64[D]")


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
