"""Where a split-face trial stands, as the dashboard says it: before, during and after."""

from __future__ import annotations

import datetime as dt

import pytest

from collagen_coach.web.progress.services import SplitFaceTrial

START = dt.date(2026, 9, 26)


@pytest.mark.parametrize(
    ("today", "week", "in_progress", "words"),
    [
        (START - dt.timedelta(days=1), 0, False,
         "A 12-week trial, 26 Sep 2026 to 18 Dec 2026: it starts on 26 Sep 2026."),
        (START, 1, True, "Week 1 of a 12-week trial, 26 Sep 2026 to 18 Dec 2026."),
        (START + dt.timedelta(days=70), 11, True,
         "Week 11 of a 12-week trial, 26 Sep 2026 to 18 Dec 2026."),
        (dt.date(2026, 12, 18), 12, True,
         "Week 12 of a 12-week trial, 26 Sep 2026 to 18 Dec 2026."),
        (dt.date(2026, 12, 19), 13, False,
         "A 12-week trial, 26 Sep 2026 to 18 Dec 2026: it ended on 18 Dec 2026."),
    ],
)  # fmt: skip
def test_the_trial_says_its_week_of_its_planned_length(
    today: dt.date, week: int, in_progress: bool, words: str
) -> None:
    trial = SplitFaceTrial(START, 12, today)

    assert (trial.week, trial.in_progress, trial.words()) == (week, in_progress, words)
