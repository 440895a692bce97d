"""How much each measure moves between two photos that differ only as a person's photos do.

The product's own repeatability study: one real face, changed in the ways two photos taken a week
apart differ (saved again as a JPEG, nearer or further, the head tilted a little, the frame
shifted, a little more exposure), analysed again, and each measure's change over zones and sides
written as a share of its value. ``benchmarks/bench_precision.py`` turns this into
``docs/precision.md``; the vision tests hold the measures that reach a verdict to it.
"""

from __future__ import annotations

import io
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from collagen_coach.core.measures import (
    MEASURES,
    PHOTO_MEASURES,
    REPEATABLE_MEDIAN,
    REPEATABLE_P90,
)
from collagen_coach.core.noise import mdc95
from collagen_coach.vision.analysis import PhotoReport, analyse_photo

Rgb = NDArray[np.uint8]

# The quality a phone saves a photo at, more or less: what "saved again" costs.
REENCODE_QUALITY = 85
SHIFT_PX = 40
ROTATION_DEG = 3.0
EXPOSURE_GAIN = 1.08


@dataclass(frozen=True)
class Change:
    """One way a second photo differs from the first; ``light`` when it changes the exposure
    (measures that follow the light are not judged against it)."""

    name: str
    apply: Callable[[Rgb], Rgb]
    light: bool = False


def _scaled(factor: float) -> Callable[[Rgb], Rgb]:
    def apply(rgb: Rgb) -> Rgb:
        height, width = rgb.shape[:2]
        size = (round(width * factor), round(height * factor))
        interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
        return np.asarray(cv2.resize(rgb, size, interpolation=interpolation), dtype=np.uint8)

    return apply


def _rotated(degrees: float) -> Callable[[Rgb], Rgb]:
    def apply(rgb: Rgb) -> Rgb:
        height, width = rgb.shape[:2]
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
        turned = cv2.warpAffine(
            rgb, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT
        )
        return np.asarray(turned, dtype=np.uint8)

    return apply


def _shifted(dx: int, dy: int) -> Callable[[Rgb], Rgb]:
    """The frame moved by (dx, dy) pixels: the picture cut on one side, as a camera held a little
    to one side gives it (the same size, the face elsewhere in it)."""

    def apply(rgb: Rgb) -> Rgb:
        return np.ascontiguousarray(
            np.roll(np.roll(rgb, dy, axis=0), dx, axis=1)[abs(dy) :, abs(dx) :]
        )

    return apply


def _exposed(gain: float) -> Callable[[Rgb], Rgb]:
    """``gain`` × more light: linear sRGB scaled, then encoded again."""

    def apply(rgb: Rgb) -> Rgb:
        srgb = rgb.astype(np.float32) / 255.0
        linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
        linear = np.clip(linear * gain, 0.0, 1.0)
        encoded = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
        return np.asarray(np.round(encoded * 255.0), dtype=np.uint8)

    return apply


CHANGES: tuple[Change, ...] = (
    Change("saved again", lambda rgb: rgb),
    Change("20 % smaller", _scaled(0.80)),
    Change("25 % smaller", _scaled(0.75)),
    Change("20 % larger", _scaled(1.20)),
    Change("25 % larger", _scaled(1.25)),
    Change("turned 3° left", _rotated(3.0)),
    Change("turned 3° right", _rotated(-3.0)),
    Change("shifted 40 px", _shifted(SHIFT_PX, SHIFT_PX)),
    Change("8 % brighter", _exposed(EXPOSURE_GAIN), light=True),
)


def jpeg(rgb: Rgb, quality: int = REENCODE_QUALITY) -> bytes:
    """Give ``rgb`` saved as a JPEG, as a camera or a phone's gallery would."""
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def decoded(data: bytes) -> Rgb:
    """Give a photo's pixels, RGB."""
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"), dtype=np.uint8)


def values(report: PhotoReport) -> Iterator[tuple[str, str, str, float]]:
    """Give (measure, zone, side, value) for every value measured, each zone whole and by side."""
    for zone, measured in report.metrics.items():
        for metric, value in measured.items():
            if value is not None:
                yield metric, zone, "both", value
    for zone, sides in report.metrics_by_side.items():
        for side, measured in sides.items():
            for metric, value in measured.items():
                if value is not None:
                    yield metric, zone, side, value


@dataclass(frozen=True)
class Moved:
    """One measure's value in one zone and side before and after one change."""

    measure: str
    zone: str
    side: str
    change: str
    before: float
    after: float

    @property
    def relative(self) -> float:
        """Give the change as a share of the value before (inf where that was 0 and it moved)."""
        if self.before == 0:
            return 0.0 if self.after == 0 else math.inf
        return abs(self.after - self.before) / abs(self.before)


def repeat_changes(
    original: bytes, changes: tuple[Change, ...] = CHANGES
) -> tuple[PhotoReport, list[Moved]]:
    """Give the report on the original photo and every value's move under each change.

    The original need not pass the quality gate (its verdict is not what is measured here), but
    a face must be found in it. The original is analysed as it is; each changed copy is saved as
    a JPEG at ``REENCODE_QUALITY`` first, as a second photo would be.
    """
    first = analyse_photo(original, name="original")
    if not first.metrics:
        found = [problem.id for problem in first.problems]
        raise ValueError(f"no face measured in the original photo: {found}")
    before = {(m, z, s): v for m, z, s, v in values(first)}
    rgb = decoded(original)
    moved: list[Moved] = []
    for change in changes:
        second = analyse_photo(jpeg(change.apply(rgb)), name=change.name)
        for measure, zone, side, value in values(second):
            if (measure, zone, side) in before:
                moved.append(
                    Moved(measure, zone, side, change.name, before[(measure, zone, side)], value)
                )
    return first, moved


@dataclass(frozen=True)
class Spread:
    """One measure's moves under one change, over zones and sides, as shares of the value, and
    whether they meet the requirement a measure must meet to reach a verdict
    (``core.measures.REPEATABLE_MEDIAN``, ``REPEATABLE_P90``)."""

    measure: str
    change: str
    places: int
    median: float
    p90: float
    judged: bool  # False for a measure that follows the light, under the exposure change

    @property
    def passes(self) -> bool:
        """Whether the median and the 90th percentile are within the requirement."""
        return self.median <= REPEATABLE_MEDIAN and self.p90 <= REPEATABLE_P90


def judged_under(measure: str, change: Change) -> bool:
    """Whether ``measure`` is held to the requirement under ``change``: a measure that follows
    the light is not held to an exposure change (it is meant to move with it)."""
    return not (change.light and MEASURES[measure].follows_light)


def spreads(moved: Sequence[Moved], changes: Sequence[Change] = CHANGES) -> list[Spread]:
    """Give each measure's median and 90th-percentile move under each change."""
    by: dict[tuple[str, str], list[float]] = defaultdict(list)
    for one in moved:
        by[(one.measure, one.change)].append(one.relative)
    found = []
    for measure in PHOTO_MEASURES:
        for change in changes:
            moves = by.get((measure, change.name))
            if not moves:
                continue
            found.append(
                Spread(
                    measure,
                    change.name,
                    len(moves),
                    float(np.median(moves)),
                    float(np.percentile(moves, 90)),
                    judged_under(measure, change),
                )
            )
    return found


def failures(found: Sequence[Spread]) -> dict[str, list[Spread]]:
    """Give, per measure, the changes under which it misses the requirement."""
    missed: dict[str, list[Spread]] = defaultdict(list)
    for spread in found:
        if spread.judged and not spread.passes:
            missed[spread.measure].append(spread)
    return dict(missed)


@dataclass(frozen=True)
class RepeatNoise:
    """One measure's typical error over the repeat captures, in its own unit."""

    measure: str
    sem: float
    typical_value: float

    @property
    def mdc(self) -> float:
        """Give MDC95 = 1.96·√2·SEM (Weir 2005), in the measure's unit."""
        return mdc95(self.sem)


def repeat_noise(moved: Sequence[Moved], changes: Sequence[Change] = CHANGES) -> list[RepeatNoise]:
    """Give each measure's SEM: the pooled within-place SD of the original and its changed
    copies (each zone and side one group of repeats; Hopkins 2000), over the changes it is held
    to."""
    held = {c.name: c for c in changes}
    groups: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    firsts: dict[tuple[str, str, str], float] = {}
    for one in moved:
        if not judged_under(one.measure, held[one.change]):
            continue
        key = (one.measure, one.zone, one.side)
        firsts[key] = one.before
        groups[key].append(one.after)
    squares: dict[str, float] = defaultdict(float)
    df: dict[str, int] = defaultdict(int)
    levels: dict[str, list[float]] = defaultdict(list)
    for key, after in groups.items():
        values = [firsts[key], *after]
        centre = math.fsum(values) / len(values)
        squares[key[0]] += math.fsum((v - centre) ** 2 for v in values)
        df[key[0]] += len(values) - 1
        levels[key[0]].append(abs(firsts[key]))
    return [
        RepeatNoise(m, math.sqrt(squares[m] / df[m]), statistics.median(levels[m]))
        for m in PHOTO_MEASURES
        if df.get(m)
    ]
