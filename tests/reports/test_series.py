"""The verdicts counted and said in one sentence: the dashboard, the report's cover and the
practice's client list read them from one place."""

from __future__ import annotations

import pytest

from collagen_coach.core.words import Verdict
from collagen_coach.reports.series import (
    count_verdicts,
    verdict_counts_in_words,
    verdicts_summary,
)


def test_verdicts_are_counted_in_the_vocabularys_order_with_every_verdict_present() -> None:
    counts = count_verdicts(["no_change_detected", "improving", "improving"])
    assert list(counts) == [
        "improving",
        "worsening",
        "not_judged",
        "no_change_detected",
        "not_enough_data",
        "exploratory",
    ]
    assert counts["improving"] == 2
    assert counts["no_change_detected"] == 1
    assert counts["worsening"] == 0


@pytest.mark.parametrize(
    ("verdicts", "sentence"),
    [
        ([], "There are no measurements yet, so nothing can be said about change."),
        (["not_enough_data"], "Of 1 measure: 1 not enough data yet."),
        (
            ["improving", "not_judged", "improving", "no_change_detected"],
            "Of 4 measures: 2 improving, 1 changed, not judged, 1 no change detected.",
        ),
    ],
    ids=["none", "one", "several"],
)
def test_the_summary_says_how_many_measures_got_each_verdict(
    verdicts: list[Verdict], sentence: str
) -> None:
    assert verdicts_summary(count_verdicts(verdicts)) == sentence


def test_a_verdict_no_series_got_is_left_out_of_the_words() -> None:
    counts = count_verdicts(["worsening"])
    assert verdict_counts_in_words(counts) == ["1 worsening"]
