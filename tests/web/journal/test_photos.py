"""Progress photos in the journal: only their numbers are kept, and they feed the progress."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from collagen_coach.core.errors import UserError
from collagen_coach.vision.analysis import PhotoReport, analyse_photo
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.journal.services import log_photo, progress_observations

from ..builders import FUTURE, START
from ..processes import embedded_env, run_cli

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PHOTO = Path(__file__).parents[2] / "fixtures" / "faces" / "biden2.jpg"


@pytest.fixture(scope="module")
def gated() -> PhotoReport:
    """The analysis of a real photo, which the quality gate rejects (uneven light, expression)."""
    report = analyse_photo(PHOTO)
    assert not report.ok
    assert report.problems
    return report


@pytest.fixture(scope="module")
def passed(gated: PhotoReport) -> PhotoReport:
    """The same measurements as if the photo had passed the quality gate."""
    return dataclasses.replace(gated, ok=True, problems=[])


def test_a_photo_is_stored_as_numbers_with_its_file_name_only(
    self_carer: Client, gated: PhotoReport
) -> None:
    saved = log_photo(self_carer, START, gated)
    saved.refresh_from_db()
    assert (saved.date, saved.file_name, saved.ok) == (START, "biden2.jpg", False)
    assert [p["id"] for p in saved.problems] == [p.id for p in gated.problems]
    assert all(p["hint"] for p in saved.problems)
    assert gated.pose is not None
    assert saved.pose is not None
    assert saved.pose["yaw"] == pytest.approx(gated.pose.yaw)
    assert saved.algorithm == gated.algorithm
    assert set(saved.metrics_by_side) == set(gated.metrics_by_side)
    cheeks = saved.metrics_by_side["cheeks"]["left"]
    for metric, value in gated.metrics_by_side["cheeks"]["left"].items():
        assert cheeks[metric] == (None if value is None else pytest.approx(value))
    assert set(saved.metrics) == set(gated.metrics)


def test_a_photo_dated_in_the_future_is_refused_and_nothing_is_stored(
    self_carer: Client, passed: PhotoReport
) -> None:
    with pytest.raises(UserError) as caught:
        log_photo(self_carer, FUTURE, passed)
    assert caught.value.message.startswith(f"date: {FUTURE} is in the future")
    assert PhotoMeasurement.objects.count() == 0


def test_photos_give_one_observation_per_zone_side_and_metric_marked_by_the_gate(
    self_carer: Client, gated: PhotoReport, passed: PhotoReport
) -> None:
    log_photo(self_carer, START, gated)
    log_photo(self_carer, START + dt.timedelta(days=1), passed)
    observations = progress_observations(self_carer)
    expected = sum(
        1
        for sides in gated.metrics_by_side.values()
        for side in ("left", "right")
        for value in sides.get(side, {}).values()
        if value is not None
    )
    assert expected > 0
    first = [o for o in observations if o.date == START]
    second = [o for o in observations if o.date == START + dt.timedelta(days=1)]
    assert len(first) == len(second) == expected
    assert not any(o.quality_ok for o in first)
    assert all(o.quality_ok for o in second)
    assert {o.side for o in observations} == {"left", "right"}
    assert {o.algorithm for o in observations} == {gated.algorithm}
    wrinkles = [
        o for o in second if (o.metric, o.zone, o.side) == ("wrinkle_index", "cheeks", "left")
    ]
    assert [o.value for o in wrinkles] == [
        pytest.approx(gated.metrics_by_side["cheeks"]["left"]["wrinkle_index"])
    ]


def test_log_photo_from_the_command_line_keeps_a_rejected_photo_but_says_it_will_not_count(
    tmp_path: Path,
) -> None:
    env = embedded_env(tmp_path / "home")
    done = run_cli("log", "photo", str(PHOTO), "--date", START.isoformat(), env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Saved the measurements of biden2.jpg for {START}."
    assert "will not count" in lines[1]
    assert any(line.startswith("- uneven_light: ") for line in lines[2:])
    again = run_cli("log", "photo", str(PHOTO), "--json", env=env)
    assert again.returncode == 0, again.stderr
    answer = json.loads(again.stdout)
    assert (answer["date"], answer["file"], answer["ok"]) == (
        dt.date.today().isoformat(),
        "biden2.jpg",
        False,
    )
    assert "uneven_light" in answer["problems"]
    refused = run_cli("log", "photo", str(PHOTO), "--date", FUTURE.isoformat(), env=env)
    assert refused.returncode != 0
    assert "in the future" in refused.stderr + refused.stdout
