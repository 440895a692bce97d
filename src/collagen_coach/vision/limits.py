"""A measured value beside the limit it was judged against, written so the comparison reads true.

A refusal that says "light differs by 6.0, allowed 6" contradicts itself: the value was above the
limit, but rounding hid it. Both numbers are written to the same precision, with more decimals
where needed until the refused value visibly passes its limit.
"""

from __future__ import annotations

import math

# The most decimals given before the value is rounded away from the limit instead.
MAX_DECIMALS = 3


def value_and_limit(value: float, limit: float, decimals: int = 1) -> tuple[str, str]:
    """Give ``value`` and ``limit`` as text with the same number of decimals.

    Starts at ``decimals`` and adds decimals (up to three) while the two would read the same
    although they differ; past that the value is rounded away from the limit, so a value above its
    limit never reads as equal to it (6.04 against 6 gives "6.04" and "6.00").
    """
    for places in range(decimals, MAX_DECIMALS + 1):
        shown, bound = f"{value:.{places}f}", f"{limit:.{places}f}"
        if shown != bound or value == limit:
            return shown, bound
    step = 10.0**-MAX_DECIMALS
    away = math.ceil(value / step) * step if value > limit else math.floor(value / step) * step
    return f"{away:.{MAX_DECIMALS}f}", f"{limit:.{MAX_DECIMALS}f}"
