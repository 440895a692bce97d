"""The progress report's content, gathered as plain data: who and when, adherence, one section per
measured series with its verdict and caveats, the split-face result, two aligned photos, and the
evidence behind the claims. Nothing here formats HTML; ``render.py`` does.

The statistics come from ``collagen_coach.core.progress.analyse_progress``: the same analysis
``collagen-coach progress`` shows, so the report never says more than that does.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from collagen_coach.core.adherence import Adherence
from collagen_coach.core.baseline import first_verdict_on, weeks_to_wait
from collagen_coach.core.measures import MIN_WEEKS, weeks_measured
from collagen_coach.core.progress import (
    AbabResult,
    AdherenceResponse,
    ConcernResult,
    Observation,
    ProgressResult,
    counts,
)
from collagen_coach.core.techniques import Evidence, load_library
from collagen_coach.core.words import VERDICT_WORDS, Verdict
from collagen_coach.core.words import decimals_for as decimals_for  # the numbers' rule, re-exported
from collagen_coach.core.words import number as number
from collagen_coach.core.words import signed as signed
from collagen_coach.reports.chart_look import BAND_WORDS
from collagen_coach.reports.series import (
    Interval,
    SeriesView,
    count_verdicts,
    metric_title,
    metric_unit,
    verdicts_summary,
)

NO_CHANGE_MEANS = (
    f"“No change detected” means that any change stayed within {BAND_WORDS} in that "
    "measurement, or was too uncertain to tell apart from it. It does not mean that the routine "
    "failed, and it does not mean that it worked."
)

# The evidence entries behind what the report is about: whether massage (and peptides) change
# the look of the skin, and when to judge.
REPORT_EVIDENCE_IDS: tuple[str, ...] = (
    "self_massage_appearance",
    "device_massage_wrinkles",
    "mechanostimulation_fibroblasts",
    "collagen_peptides",
    "massage_with_peptides",
    "judge_after_8_weeks",
)


@dataclass(frozen=True)
class SeriesSection(SeriesView):
    """One measured series as the report shows it: the shared view (``reports.series``) with
    the report's decimals and headline."""

    @property
    def decimals(self) -> int:
        """Decimals that show this series' numbers to about a tenth of its noise."""
        scale = self.mdc or _spread([p.value for p in self.points])
        return decimals_for(scale)

    def headline(self) -> str:
        """Give the series' verdict as one plain sentence, no stronger than the statistics."""
        unit = f" {self.unit}" if self.unit else ""
        if self.verdict in ("improving", "worsening") and self.change is not None:
            lo, est, hi = self.change
            d = self.decimals
            return (
                f"{self.title}: {self.verdict_words}, a change of {signed(est, d)}{unit} "
                f"(likely between {signed(lo, d)} and {signed(hi, d)}), beyond {BAND_WORDS} "
                f"of ±{number(self.mdc, d)}{unit}."
            )
        if self.verdict == "no_change_detected":
            noise = f" of ±{number(self.mdc, self.decimals)}{unit}" if self.mdc is not None else ""
            return f"{self.title}: no change detected; any change was within {BAND_WORDS}{noise}."
        # The first thing missing is enough for the cover; the section says the rest.
        first = self.reason.split("; ")[0]
        reason = f" ({first})" if first else ""
        return f"{self.title}: {self.verdict_words}{reason}."


@dataclass(frozen=True)
class OnOffSection:
    """An A-B-A-B comparison of self-ratings: mean in weeks with massage minus weeks without."""

    title: str
    unit: str
    blocks: str
    mdc: float | None
    difference: Interval | None
    verdict: Verdict
    reason: str

    @property
    def verdict_words(self) -> str:
        return VERDICT_WORDS[self.verdict]

    @property
    def decimals(self) -> int:
        return decimals_for(self.mdc or (abs(self.difference[1]) if self.difference else 0.0))


@dataclass(frozen=True)
class PhotoPair:
    """Before and after: the aligned faces as JPEG, or the reasons they may not be compared."""

    before_name: str
    after_name: str
    comparable: bool
    reasons: tuple[str, ...]
    before_jpeg: bytes | None
    after_jpeg: bytes | None
    alignment_error_ipd: float | None


@dataclass(frozen=True)
class Report:
    """Everything the progress report says, as data."""

    who: str
    made_on: dt.date
    source: str
    period: tuple[dt.date, dt.date] | None
    adherence: Adherence | None
    concerns: tuple[ConcernResult, ...]  # one verdict per concern, first in the report
    series: tuple[SeriesSection, ...]
    split_face: tuple[SeriesSection, ...]
    treated_side: str | None
    on_off: tuple[OnOffSection, ...]
    adherence_response: AdherenceResponse | None
    photos: PhotoPair | None
    evidence: tuple[Evidence, ...]
    notes: tuple[str, ...]

    @property
    def weeks_covered(self) -> int | None:
        return None if self.period is None else weeks_measured(*self.period)

    def verdict_counts(self) -> dict[Verdict, int]:
        """Give how many series got each verdict, in the fixed order of the vocabulary."""
        return count_verdicts(s.verdict for s in self.series)

    def summary(self) -> str:
        """Give the cover's one-sentence summary of all verdicts."""
        return verdicts_summary(self.verdict_counts())

    def too_early(self) -> bool:
        """Whether the data cover less than the 8 weeks to wait before judging progress."""
        weeks = self.weeks_covered
        return weeks is None or weeks < MIN_WEEKS

    @property
    def charted(self) -> tuple[SeriesSection, ...]:
        """Give the series drawn one chart each: self-ratings and instrument readings."""
        return tuple(s for s in self.series if s.kind != "photo")

    @property
    def photo_series(self) -> tuple[SeriesSection, ...]:
        """Give the photo measures (zone by zone, side by side), shown as one table."""
        return tuple(s for s in self.series if s.kind == "photo")

    @property
    def judged(self) -> bool:
        """Whether any measure (or split-face difference) has a verdict yet."""
        return any(s.verdict != "not_enough_data" for s in (*self.series, *self.split_face))

    def missing(self) -> list[Missing]:
        """Give what each measure without a verdict still needs, the photo measures as one."""
        waiting = [s for s in self.series if s.verdict == "not_enough_data"]
        shown = [self._missing(s.title, s) for s in waiting if s.kind != "photo"]
        photos = [s for s in waiting if s.kind == "photo"]
        if photos:
            # The one that began last waits longest.
            latest = max(photos, key=lambda s: s.points[0].date if s.points else self.made_on)
            title = f"Photo measures ({len(photos)} in all zones and sides)"
            shown.append(self._missing(title, latest))
        return shown

    def _missing(self, title: str, section: SeriesSection) -> Missing:
        # The first day a verdict is possible, as the concerns count it, and the weeks to it.
        first = section.points[0].date if section.points else self.made_on
        weeks = weeks_to_wait(first, self.made_on)
        return Missing(title, weeks, first_verdict_on(first), section.reason)


@dataclass(frozen=True)
class Missing:
    """A measure without a verdict yet: about how many more weeks from the report's day to the
    first day a verdict is possible, that day, and why."""

    title: str
    weeks: int
    verdict_on: dt.date
    reason: str


def build_report(
    progress: ProgressResult,
    observations: Sequence[Observation],
    *,
    who: str,
    made_on: dt.date,
    source: str,
    treated_side: str | None = None,
    adherence: Adherence | None = None,
    photos: PhotoPair | None = None,
) -> Report:
    """Give the report's content from the analysis and the observations it was made from
    (``treated_side`` as given to ``analyse_progress`` for a split-face self-trial)."""
    usable = [o for o in observations if counts(o)]
    series, split_face = SeriesSection.all_of(progress, treated_side)
    dates = [o.date for o in usable]
    library = load_library()
    return Report(
        who=who,
        made_on=made_on,
        source=source,
        period=(min(dates), max(dates)) if dates else None,
        adherence=adherence,
        concerns=progress.concerns,
        series=series,
        split_face=split_face,
        treated_side=treated_side if split_face else None,
        on_off=tuple(_on_off_section(a) for a in progress.abab),
        adherence_response=progress.adherence_response,
        photos=photos,
        evidence=tuple(library.evidence[i] for i in REPORT_EVIDENCE_IDS if i in library.evidence),
        notes=tuple(progress.notes),
    )


def photo_pair(comparison: Any, images: Any) -> PhotoPair:
    """Give the before/after section from ``vision.compare.compare_photos``' results.

    The images are kept only when the pair is comparable: otherwise the reasons are shown instead.
    """
    keep = images is not None
    return photo_pair_of(
        comparison,
        jpeg(images.before) if keep else None,
        jpeg(images.after) if keep else None,
    )


def photo_pair_of(
    comparison: Any, before_jpeg: bytes | None, after_jpeg: bytes | None
) -> PhotoPair:
    """Give the before/after section from a comparison and its aligned faces already as JPEG
    (as the web app's photo comparison gives them); the faces are kept only when the pair is
    comparable."""
    keep = bool(comparison.comparable)
    return PhotoPair(
        before_name=str(comparison.before.file),
        after_name=str(comparison.after.file),
        comparable=bool(comparison.comparable),
        reasons=tuple(comparison.reasons),
        before_jpeg=report_jpeg(before_jpeg) if keep and before_jpeg else None,
        after_jpeg=report_jpeg(after_jpeg) if keep and after_jpeg else None,
        alignment_error_ipd=comparison.alignment_error_ipd,
    )


# The photos are printed at most 80 mm high: 720 pixels are about 230 dpi, sharp on paper, and
# a third of the pixels of an aligned face, which the PDF would otherwise carry and decode.
REPORT_PHOTO_PX = 720


def report_jpeg(data: bytes, longest_side: int = REPORT_PHOTO_PX) -> bytes:
    """Give a JPEG no longer than ``longest_side`` pixels on either side (as it is, if so)."""
    image = Image.open(io.BytesIO(data))
    if max(image.size) <= longest_side:
        return data
    image.thumbnail((longest_side, longest_side))
    return jpeg(np.asarray(image.convert("RGB")))


def jpeg(array: NDArray[np.uint8], quality: int = 88) -> bytes:
    """Give an RGB image as JPEG bytes."""
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def _on_off_section(result: AbabResult) -> OnOffSection:
    return OnOffSection(
        title=metric_title(result.metric, result.zone, result.side),
        unit=metric_unit(result.metric, result.unit),
        blocks=f"{result.blocks_treatment} blocks with massage, {result.blocks_off} without",
        mdc=result.mdc,
        difference=result.difference,
        verdict=result.verdict,
        reason=result.reason,
    )


# ---------------------------------------------------------------------------------------------
# Numbers in words


def _spread(values: Sequence[float]) -> float:
    return max(values) - min(values) if len(values) > 1 else abs(values[0]) if values else 0.0
