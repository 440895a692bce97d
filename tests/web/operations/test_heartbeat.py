"""A photo-analysis worker's heartbeat: one row per worker process, brought up to date while it
runs, kept across restarts, and long-silent workers' rows removed."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.db.models import F

from collagen_coach.web.operations import heartbeat
from collagen_coach.web.operations.models import WorkerHeartbeat

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _age(seconds: float, **which: object) -> None:
    WorkerHeartbeat.objects.filter(**which).update(
        last_seen=F("last_seen") - dt.timedelta(seconds=seconds),
        started_at=F("started_at") - dt.timedelta(seconds=seconds),
    )


def test_a_worker_keeps_one_row_brought_up_to_date() -> None:
    first = heartbeat.beat(starting=True)
    _age(60)

    second = heartbeat.beat()

    assert WorkerHeartbeat.objects.count() == 1
    assert (second.host, second.pid) == (heartbeat.this_host(), os.getpid())
    row = WorkerHeartbeat.objects.get()
    assert row.last_seen > first.last_seen - dt.timedelta(seconds=60)
    assert row.started_at < row.last_seen  # a beat does not restart it


def test_a_new_process_with_an_old_process_id_starts_afresh() -> None:
    heartbeat.beat(starting=True)
    _age(3600 * 5)

    heartbeat.beat(starting=True)

    row = WorkerHeartbeat.objects.get()
    assert row.started_at == row.last_seen


def test_workers_on_several_hosts_each_have_their_row() -> None:
    WorkerHeartbeat.beat("host-a", 7, starting=True)
    WorkerHeartbeat.beat("host-b", 7, starting=True)
    heartbeat.beat(starting=True)

    assert WorkerHeartbeat.objects.count() == 3


def test_a_beat_removes_the_rows_of_workers_long_silent() -> None:
    WorkerHeartbeat.beat("host-a", 7, starting=True)
    WorkerHeartbeat.beat("host-b", 8, starting=True)
    _age(heartbeat.FORGET_AFTER_S + 60, host="host-a")
    _age(heartbeat.FORGET_AFTER_S - 60, host="host-b")

    heartbeat.beat()

    assert sorted(WorkerHeartbeat.objects.values_list("host", flat=True)) == sorted(
        ["host-b", heartbeat.this_host()]
    )


def test_the_heartbeat_beats_at_start_and_leaves_its_row_when_stopped() -> None:
    with heartbeat.Heartbeat(every_s=3600):
        assert WorkerHeartbeat.objects.filter(pid=os.getpid()).exists()

    assert WorkerHeartbeat.objects.filter(pid=os.getpid()).exists()
