"""The words the product uses for its own concepts, defined once."""

from __future__ import annotations

from typing import Literal

# Verdicts

Verdict = Literal["improving", "worsening", "no_change_detected", "not_enough_data", "not_judged"]
"""What the progress analysis concludes about one series (``core.progress``): ``improving`` or
``worsening`` only beyond the measurement noise, ``not_judged`` beyond it for a measure with no
better direction, else ``no_change_detected`` or ``not_enough_data``."""

# The order in which the dashboard, the report and the practice's client list count them.
VERDICTS: tuple[Verdict, ...] = (
    "improving",
    "worsening",
    "not_judged",
    "no_change_detected",
    "not_enough_data",
)

VERDICT_WORDS: dict[Verdict, str] = {
    "improving": "improving",
    "worsening": "worsening",
    "no_change_detected": "no change detected",
    "not_enough_data": "not enough data yet",
    "not_judged": "changed, not judged",
}
