"""Honest progress: is a person's measurement changing by more than its own noise?

One module per concept, each with its method and sources:

- :mod:`.observation`: one measurement, and which ones count (the quality gate, values and days
  the measure can have, one algorithm version per series);
- :mod:`.series`: one series' baseline, noise (SEM and MDC95 = 1.96·√2·SEM; Hopkins 2000,
  Weir 2005), Theil–Sen trend (Sen 1968), change since the baseline (Welch 1947) and verdict,
  judged only after ``MIN_WEEKS`` weeks;
- :mod:`.split_face`: one side massaged, the other the control;
- :mod:`.on_off`: A-B-A-B blocks with and without massage;
- :mod:`.response`: sessions per week against that week's change (Spearman, Fisher z);
- :mod:`.power`: the weeks a given noise needs to show a given change;
- :mod:`.concerns`: one verdict per concern (firmness, elasticity, fine lines, sagging, glow,
  evenness), its measures combined into one series judged once;
- :mod:`.analysis`: all of them over a person's measurements, with the notes that go with them.

A verdict's words are the product's vocabulary (``core.words``).
"""

from collagen_coach.core.measures import MIN_BASELINE
from collagen_coach.core.progress.analysis import (
    CAUSATION_NOTE,
    SELF_RATING_NOTE,
    ProgressResult,
    analyse_progress,
)
from collagen_coach.core.progress.concerns import (
    CONCERNS,
    SIMULATED,
    Concern,
    ConcernResult,
    analyse_concerns,
    how_we_judge,
)
from collagen_coach.core.progress.observation import (
    DEFAULT_HIGHER_IS_BETTER,
    SELF_RATINGS,
    SIDES,
    Observation,
    Phase,
    SeriesKey,
    counts,
    impossible_note,
    in_bounds,
    newest_algorithm,
)
from collagen_coach.core.progress.on_off import AbabResult, analyse_abab
from collagen_coach.core.progress.power import POWER, power_in_words, power_weeks
from collagen_coach.core.progress.response import (
    ADHERENCE_CAVEAT,
    MIN_ADHERENCE_WEEKS,
    AdherenceResponse,
    adherence_response,
)
from collagen_coach.core.progress.series import (
    BASELINE_DAYS,
    LAST_WINDOW_DAYS,
    MAX_SERIAL_CORRELATION,
    MIN_BASELINE_DAYS,
    MIN_DAYS,
    MIN_FOLLOW_UP_DAYS,
    SeriesResult,
    analyse_series,
    baseline_flags,
    baseline_mean,
    explain,
    judge,
    last_window,
    serial_correlation,
    theil_sen_per_week,
    trend,
    welch_interval,
)
from collagen_coach.core.progress.split_face import (
    SPLIT_FACE_NOTE,
    SPLIT_SIDE,
    analyse_split_face,
    treated_minus_untreated,
)
from collagen_coach.core.trials import MIN_ABAB_BLOCKS

__all__ = [
    "ADHERENCE_CAVEAT",
    "BASELINE_DAYS",
    "CAUSATION_NOTE",
    "CONCERNS",
    "DEFAULT_HIGHER_IS_BETTER",
    "LAST_WINDOW_DAYS",
    "MAX_SERIAL_CORRELATION",
    "MIN_ABAB_BLOCKS",
    "MIN_ADHERENCE_WEEKS",
    "MIN_BASELINE",
    "MIN_BASELINE_DAYS",
    "MIN_DAYS",
    "MIN_FOLLOW_UP_DAYS",
    "POWER",
    "SELF_RATINGS",
    "SELF_RATING_NOTE",
    "SIDES",
    "SIMULATED",
    "SPLIT_FACE_NOTE",
    "SPLIT_SIDE",
    "AbabResult",
    "AdherenceResponse",
    "Concern",
    "ConcernResult",
    "Observation",
    "Phase",
    "ProgressResult",
    "SeriesKey",
    "SeriesResult",
    "adherence_response",
    "analyse_abab",
    "analyse_concerns",
    "analyse_progress",
    "analyse_series",
    "analyse_split_face",
    "baseline_flags",
    "baseline_mean",
    "counts",
    "explain",
    "how_we_judge",
    "impossible_note",
    "in_bounds",
    "judge",
    "last_window",
    "newest_algorithm",
    "power_in_words",
    "power_weeks",
    "serial_correlation",
    "theil_sen_per_week",
    "treated_minus_untreated",
    "trend",
    "welch_interval",
]
