"""One measured series as the dashboard shows it: its card's words and the data its chart is drawn
from (the shared view of ``reports.series`` with the chart rules of ``reports.chart_look``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from collagen_coach.core.measures import weeks_measured
from collagen_coach.core.progress.series import basis, weeks_missing
from collagen_coach.core.words import EXPLORATORY_WORDS
from collagen_coach.reports.build import (
    decimals_for,
    number,
    signed,
)
from collagen_coach.reports.chart_look import (
    BAND_WORDS,
    Day,
    chart_description,
    chart_key,
    daily,
    point_colours,
    point_words,
    scales_of,
    trend_of,
)
from collagen_coach.reports.render import short_unit
from collagen_coach.reports.series import (
    FOLLOWS_LIGHT_CAVEAT,
    VERDICT_CAVEATS,
    Point,
    SeriesView,
)


@dataclass(frozen=True)
class SeriesChart(SeriesView):
    """One measured series as the dashboard charts it: the shared view (``reports.series``) with
    the band of the usual day-to-day wobble around its baseline (baseline ± MDC) and the card's
    words."""

    @property
    def decimals(self) -> int:
        """Decimals that show this series to about a tenth of its noise."""
        if self.mdc:
            return decimals_for(self.mdc)
        values = [p.value for p in self.points]
        return decimals_for(max(values) - min(values) if len(values) > 1 else None)

    @property
    def better(self) -> str:
        return {True: "higher is better", False: "lower is better", None: ""}[self.higher_is_better]

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def band(self) -> tuple[float, float] | None:
        """Give the noise band around the baseline: (baseline − MDC, baseline + MDC)."""
        if self.baseline_mean is None or self.mdc is None:
            return None
        return (self.baseline_mean - self.mdc, self.baseline_mean + self.mdc)

    @property
    def short_unit(self) -> str:
        return short_unit(self.unit)

    def _number(self, value: float | None) -> str:
        text = number(value, self.decimals)
        return f"{text} {self.short_unit}".rstrip() if value is not None else text

    @property
    def baseline_words(self) -> str:
        return self._number(self.baseline_mean)

    @property
    def band_words(self) -> str:
        """Give the band of the usual day-to-day wobble around the baseline: "5.3 to 6.7
        points"."""
        if self.band is None:
            return "not known yet: it needs at least three baseline measurements"
        lo, hi = (number(v, self.decimals) for v in self.band)
        return f"{lo} to {hi} {self.short_unit}".rstrip()

    @property
    def latest_words(self) -> str:
        if self.latest is None:
            return "—"
        return f"{self._number(self.latest.value)} on {day_words(self.latest.date)}"

    @property
    def change_words(self) -> str:
        """Give the change since the baseline with its 95 % interval, or a dash before a verdict
        (with too few measurements the numbers mean little)."""
        if self.change is None or self.verdict == "not_enough_data":
            return "—"
        lo, est, hi = (signed(v, self.decimals) for v in self.change)
        return f"{est} {self.short_unit} (95 % interval {lo} to {hi})".replace("  ", " ")

    @property
    def reason_words(self) -> str:
        """Give why the verdict is what it is, in plain words: what is still missing, or how far
        it moved against the usual day-to-day wobble and what decided the verdict
        (``core.progress.series.basis``, the rule of ``judge``)."""
        if self.verdict == "not_enough_data":
            return f"Not enough data yet: {'; '.join(self._missing_parts)}."
        if self.verdict == "exploratory":
            moved = ""
            if self.change is not None:
                change = f"{signed(self.change[1], self.decimals)} {self.short_unit}".rstrip()
                moved = f"It changed by {change}. "
            return f"{moved}Shown, not judged: {EXPLORATORY_WORDS}."
        if self.change is None or self.slope_per_week is None or self.mdc is None:
            return self.technical_reason
        moved = f"{signed(self.change[1], self.decimals)} {self.short_unit}".rstrip()
        wobble = f"your usual wobble of ±{self._number(self.mdc)}"
        said = f"It changed by {moved}"
        found = basis(self.change, self.slope_per_week, self.mdc)
        if found == "within_noise":
            return f"{said}, within {wobble}: no change beyond it so far."
        more = f"{said}, more than {wobble}"
        if found == "uncertain":
            return f"{more}, but the measurements vary too much to be sure it is real."
        if found == "trend_disagrees":
            return f"{more}, but the measurements over time do not move steadily that way yet."
        steady = f"{more}, and the measurements over time move steadily that way."
        if self.verdict == "not_judged":
            return f"{steady} Neither direction is known to be better for this measure."
        return steady

    @property
    def _missing_parts(self) -> list[str]:
        """Give what the series lacks for a verdict, the weeks said as every page says them
        (``weeks_more``, from the latest measurement) in place of the whole weeks covered."""
        parts = self.reason.split("; ")
        if not self.weeks_more or not self.points:
            return parts
        covered = weeks_missing(weeks_measured(self.points[0].date, self.points[-1].date))
        weeks = f"{self.weeks_more} more week{'' if self.weeks_more == 1 else 's'}"
        return [f"about {weeks} of measurements needed" if p == covered else p for p in parts]

    @property
    def technical_reason(self) -> str:
        """Give the verdict's reason as the analysis states it, with its statistics (a dash
        before a verdict: the plain reason says all there is)."""
        if self.verdict == "not_enough_data":
            return "—"
        return self.reason[:1].upper() + self.reason[1:] + "."

    @property
    def period_words(self) -> str:
        if not self.points:
            return "no measurements"
        first, last = self.points[0].date, self.points[-1].date
        count = f"{self.n} measurement{'' if self.n == 1 else 's'}"
        if first == last:
            return f"{count} on {day_words(first)}"
        return f"{count} from {day_words(first)} to {day_words(last)}"

    @property
    def band_name(self) -> str:
        """Give the noise band's name as a table's row says it: "Your usual day-to-day wobble"."""
        return BAND_WORDS[:1].upper() + BAND_WORDS[1:]

    @property
    def chart_key(self) -> str:
        """Give the chart's key in words, as its caption says it."""
        return chart_key(self)

    @property
    def chart_description(self) -> str:
        """Give what the chart shows, for a screen reader."""
        return chart_description(self, self.period_words)

    def words(self) -> dict[str, str]:
        """Give what the series' card says, for dashboard.js to show another series in it."""
        return {
            "title": self.title,
            "verdict": self.verdict,
            "verdict_words": self.verdict_words,
            "better": self.better,
            "reason": self.reason_words,
            "technical_reason": self.technical_reason,
            "period": self.period_words,
            "description": self.chart_description,
            "key": self.chart_key,
            "baseline": self.baseline_words,
            "band": self.band_words,
            "latest": self.latest_words,
            "change": self.change_words,
            "caveat": VERDICT_CAVEATS[self.verdict],
            "light": FOLLOWS_LIGHT_CAVEAT if FOLLOWS_LIGHT_CAVEAT in self.caveats else "",
        }

    def chart_data(self, origin: dt.date, *, with_words: bool = False) -> dict[str, Any]:
        """Give what dashboard.js draws, as ``reports.chart_look`` decides it for the report's
        charts too: one point per day (the day's mean, with the lowest and highest of the days
        of repeated readings), the baseline, band and trend, the other side's points in a
        split-face trial, and the axes; days are counted from ``origin`` (and the card's words
        come too, ``with_words``)."""
        data: dict[str, Any] = {"words": self.words()} if with_words else {}
        days = daily(self.points)
        mine, other = point_words(self, days)
        colour, other_colour = point_colours(self)
        data |= {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "decimals": self.decimals,
            "verdict": self.verdict,
            "label": mine,
            "colour": colour,
            **_days_data(days, origin),
            "baseline": None if self.baseline_mean is None else _rounded(self.baseline_mean),
            "band": None if self.band is None else [_rounded(v) for v in self.band],
            "trend": None,
            "other": None,
        }
        trend = trend_of(self)
        if trend is not None:
            data["trend"] = [[(day - origin).days, _rounded(value)] for day, value in trend]
        if other:
            data["other"] = {
                "label": other,
                "colour": other_colour,
                **_days_data(daily(self.control_points), origin),
            }
        if self.points:
            scales = scales_of(self)
            data |= {
                "x": [(scales.start - origin).days, (scales.end - origin).days],
                "ticks": [[(day - origin).days, label] for day, label in scales.ticks],
                "y": [scales.low, scales.high, scales.step],
                "x_label": scales.x_label,
                "y_label": list(scales.y_label),
            }
        return data


def _days_data(days: tuple[Day, ...], origin: dt.date) -> dict[str, Any]:
    """Give days as dashboard.js draws them: days after ``origin``, the days' means, and
    ``[index, lowest, highest]`` for each day of repeated readings."""
    return {
        "days": [(d.date - origin).days for d in days],
        "values": [_rounded(d.mean) for d in days],
        "ranges": [[i, _rounded(d.low), _rounded(d.high)] for i, d in enumerate(days) if d.n > 1],
    }


def day_words(day: dt.date) -> str:
    """Give a day as a person writes it: "7 Sep 2026"."""
    return f"{day.day} {day:%b %Y}"


def _rounded(value: float) -> float:
    """Give ``value`` to 5 significant digits: far finer than any noise, and a smaller page."""
    return float(f"{value:.5g}")
