"""What the progress modules share: the confidence level, the interval type, means, and numbers
and names in words."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Interval = tuple[float, float, float]  # (lower 95 % bound, estimate, upper 95 % bound)
FloatArray = NDArray[np.float64]

CONFIDENCE = 0.95


def label(metric: str, zone: str | None, side: str | None) -> str:
    """Give a series' name as the notes write it: "wrinkle index (cheeks/left)"."""
    where = "/".join(part for part in (zone, side) if part)
    name = metric.replace("_", " ")
    return f"{name} ({where})" if where else name


def sort_key(key: tuple[str | None, ...]) -> tuple[str, ...]:
    """Give a key that sorts series with None parts first."""
    return tuple(part or "" for part in key)


def monday(day: dt.date) -> dt.date:
    """Give the Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def mean(values: Sequence[float]) -> float:
    """Give the mean of ``values``, summed exactly (``math.fsum``)."""
    return math.fsum(values) / len(values)


def variance(values: Sequence[float]) -> float:
    """Give the sample variance of ``values`` (n − 1 in the denominator)."""
    centre = mean(values)
    return math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1)


def num(value: float) -> str:
    """Give a number to three significant digits (a noise or a rate in the power estimate's
    words; a measured change is written with ``core.words.number`` and ``signed``)."""
    return f"{value:.3g}"


def unit_suffix(unit: str) -> str:
    """Give " unit" to write after a number, or "" without a unit."""
    return f" {unit}" if unit else ""


def plural(count: int) -> str:
    """Give the "s" of a plural, or "" for one."""
    return "" if count == 1 else "s"
