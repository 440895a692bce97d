"""A stored problem as a person reads it: its title and the measurement against its limit."""

from __future__ import annotations

import pytest

from collagen_coach.vision.quality import MAX_FACE_OUTSIDE_SHARE
from collagen_coach.web.photos.reading import problems_in_words


@pytest.mark.parametrize(
    ("problem", "title", "measured"),
    [
        (
            {
                "id": "face_cut_off",
                "hint": "Step back.",
                "value": 0.107,
                "threshold": MAX_FACE_OUTSIDE_SHARE,
            },
            "Face cut off by the frame",
            "10.7 % of your face is outside the photo; at most 0.5 % may be",
        ),
        (
            {"id": "multiple_faces", "hint": "Alone.", "value": 3.0, "threshold": 1.0},
            "More than one face",
            "3 faces found; only one may be in the photo",
        ),
    ],
    ids=["face cut off", "several faces"],
)
def test_a_problem_is_said_with_its_title_and_measurement(
    problem: dict[str, object], title: str, measured: str
) -> None:
    (words,) = problems_in_words([problem])

    assert (words.title, words.measured) == (title, measured)
