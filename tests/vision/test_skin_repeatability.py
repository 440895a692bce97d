"""The line and texture measures on a real face photographed again nearer or further away.

The product's repeatability study (``vision.repeatability``) on ``biden2.jpg`` (IPD 190 px): the
photo 20 and 25 % smaller and larger, saved again as a JPEG. Each of the judged line and texture
measures must move by a median of at most 5 % and a 90th percentile of at most 12 % over the
zones and sides, under each change (docs/precision.md has the figures); before the measures were
taken at a common resolution, line length moved a median 18 % under 20 % smaller and texture
7.5 %.
"""

from __future__ import annotations

import collections
from pathlib import Path

import numpy as np
import pytest

from collagen_coach.vision.repeatability import CHANGES, repeat_changes

FACE = Path(__file__).resolve().parents[1] / "fixtures" / "faces" / "biden2.jpg"
# Line length is exploratory (core.measures.UNREPEATABLE): shown, never judged, held to nothing.
MEASURES = ("wrinkle_index", "line_density", "texture_roughness")
SCALE_CHANGES = ("20 % smaller", "25 % smaller", "20 % larger", "25 % larger")
MAX_MEDIAN, MAX_P90 = 0.05, 0.12


@pytest.fixture(scope="module")
def moves() -> dict[tuple[str, str], list[float]]:
    """Each (measure, change)'s relative moves over zones and sides; the study runs once."""
    changes = tuple(change for change in CHANGES if change.name in SCALE_CHANGES)
    _, moved = repeat_changes(FACE.read_bytes(), changes)
    by: dict[tuple[str, str], list[float]] = collections.defaultdict(list)
    for move in moved:
        if move.measure in MEASURES:
            by[(move.measure, move.change)].append(move.relative)
    return by


@pytest.mark.parametrize("change", SCALE_CHANGES)
@pytest.mark.parametrize("measure", MEASURES)
def test_lines_and_texture_hold_still_when_the_face_is_nearer_or_further(
    moves: dict[tuple[str, str], list[float]], measure: str, change: str
) -> None:
    relative = np.array(moves[(measure, change)])
    assert relative.size >= 20  # every zone whole and by side, not a handful
    assert float(np.median(relative)) <= MAX_MEDIAN
    assert float(np.percentile(relative, 90)) <= MAX_P90
