"""The background worker runs photo analyses from the database queue, and a job whose worker
was killed mid-analysis is picked up again and finished, never lost."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from collagen_coach.vision import ALGORITHM
from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.photos import services
from collagen_coach.web.photos.models import PhotoStatus
from collagen_coach.web.photos.tasks import PAUSE_VARIABLE, analyse_photo_task
from collagen_coach.web.photos.worker import recover, requeue_abandoned_tasks, run_worker

from ..processes import embedded_env, run_python
from .conftest import FACES, face_photo

TODAY = dt.date.today()
HOST = socket.gethostname()[:40]


def running_task(worker: str, started_s_ago: float = 1.0) -> DBTaskResult[Any, Any]:
    """Give a photo analysis task marked RUNNING by ``worker``, started a while ago."""
    result = analyse_photo_task.enqueue(12345)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=started_s_ago)
    )
    return row


def ended_process_id() -> int:
    """Give the id of a process that has run and ended (and been reaped)."""
    done = subprocess.run(["true"], check=True)
    assert done.returncode == 0
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# --- in this process, on the test database ------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_analyses_queued_photos_and_stops_when_the_queue_is_empty(
    make_person: Any,
) -> None:
    _, client = make_person("ann")
    photos = [
        services.store_photo(client, face_photo("JPEG", face=name), name, TODAY)
        for name in ("biden2.jpg", "obama.jpg")
    ]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2

    ran = run_worker(stop_when_idle=True, interval_s=0.05)

    assert ran == 2
    for photo in photos:
        photo.refresh_from_db()
        assert photo.status == PhotoStatus.DONE
        assert photo.measurement is not None
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_photo_whose_queueing_was_lost_is_queued_again_by_the_worker(make_person: Any) -> None:
    _, client = make_person("ann")
    photo = services.store_photo(client, face_photo("JPEG", face="obama.jpg"), "o.jpg", TODAY)
    DBTaskResult.objects.all().delete()  # as if the process stopped between saving and queueing

    run_worker(stop_when_idle=True, interval_s=0.05, lost_photo_grace_s=0)

    photo.refresh_from_db()
    assert photo.status == PhotoStatus.DONE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_photo_an_earlier_analysis_measured_is_measured_again_behind_new_uploads(
    make_person: Any,
) -> None:
    _, client = make_person("ann")
    earlier = services.store_photo(client, face_photo("JPEG", face="obama.jpg"), "o.jpg", TODAY)
    run_worker(stop_when_idle=True, interval_s=0.05)
    earlier.refresh_from_db()
    old_measurement = earlier.measurement_id
    PhotoMeasurement.objects.filter(pk=old_measurement).update(
        algorithm="collagen-coach-vision@2.0"
    )
    upload = services.store_photo(client, face_photo("JPEG"), "b.jpg", TODAY)

    _, photos = recover(lost_photo_grace_s=60.0)

    assert photos == [earlier.pk]
    earlier.refresh_from_db()
    assert earlier.status == PhotoStatus.QUEUED
    assert earlier.measurement_id == old_measurement  # kept until the new one replaces it
    queued = [row.args_kwargs["args"][0] for row in DBTaskResult.objects.ready()]
    assert queued == [upload.pk, earlier.pk]
    assert recover(lost_photo_grace_s=60.0) == ([], [])  # queued once

    run_worker(stop_when_idle=True, interval_s=0.05)

    earlier.refresh_from_db()
    upload.refresh_from_db()
    assert earlier.status == upload.status == PhotoStatus.DONE
    assert earlier.measurement is not None
    assert upload.measurement is not None
    assert earlier.measurement.algorithm == upload.measurement.algorithm == ALGORITHM
    assert not PhotoMeasurement.objects.filter(pk=old_measurement).exists()
    assert upload.analysed_at is not None
    assert earlier.analysed_at is not None
    assert upload.analysed_at <= earlier.analysed_at
    assert recover(lost_photo_grace_s=60.0) == ([], [])


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("owner", "started_s_ago", "queued_again"),
    [
        pytest.param(lambda: f"{HOST}:{ended_process_id()}:abc", 1.0, True, id="ended-here"),
        pytest.param(lambda: f"{HOST}:{os.getppid()}:abc", 1.0, False, id="alive-here"),
        pytest.param(lambda: "elsewhere:4242:abc", 1.0, False, id="elsewhere-recent"),
        pytest.param(lambda: "elsewhere:4242:abc", 3600.0, True, id="elsewhere-stale"),
        pytest.param(lambda: "Kx8f3", 1.0, False, id="unknown-id-recent"),
        pytest.param(lambda: "Kx8f3", 3600.0, True, id="unknown-id-stale"),
    ],
)
def test_a_running_task_is_queued_again_only_when_its_worker_is_gone(
    owner: Any, started_s_ago: float, queued_again: bool
) -> None:
    row = running_task(owner(), started_s_ago)

    requeued = requeue_abandoned_tasks(stale_after_s=600)

    row.refresh_from_db()
    assert (requeued == [str(row.pk)]) is queued_again
    expected = TaskResultStatus.READY if queued_again else TaskResultStatus.RUNNING
    assert row.status == expected


# --- separate processes, as on a computer: kill -9 a worker in the middle of a job -------------

STORE = """
import datetime as dt, sys
from pathlib import Path
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.clients.services import local_client
from collagen_coach.web.photos.services import store_photo
photo = store_photo(local_client(), Path(sys.argv[1]).read_bytes(), "biden2.jpg", dt.date.today())
print(photo.pk)
"""

WORK = """
import json, time
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.photos.worker import run_worker
started = time.perf_counter()
ran = run_worker(stop_when_idle=True, interval_s=0.05)
print(json.dumps({"ran": ran, "seconds": time.perf_counter() - started}))
"""

LOOK = """
import json, sys
from collagen_coach.web.store import open_store
open_store()
from django_tasks_db.models import DBTaskResult
from collagen_coach.web.photos.models import Photo
photo = Photo.objects.get(pk=int(sys.argv[1]))
tasks = list(DBTaskResult.objects.values("status", "worker_ids"))
print(json.dumps({
    "status": photo.status, "attempts": photo.attempts, "error": photo.error,
    "measured": photo.measurement is not None, "overlay": bool(photo.overlay),
    "tasks": tasks,
}))
"""


def state(database: Path) -> tuple[str, str]:
    """Give (photo status, task status) as read straight from the SQLite file."""
    with sqlite3.connect(database) as db:
        (photo,) = db.execute("SELECT status FROM photos_photo").fetchone()
        (task,) = db.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchone()
    return photo, task


@pytest.mark.slow
def test_a_job_whose_worker_is_killed_mid_analysis_is_finished_by_the_next_worker(
    tmp_path: Path,
) -> None:
    env = embedded_env(tmp_path / "home")
    stored = run_python(STORE, env, str(FACES / "biden2.jpg"))
    assert stored.returncode == 0, stored.stderr
    photo_id = stored.stdout.strip()
    database = tmp_path / "home" / "collagen-coach.sqlite3"
    assert state(database) == ("queued", TaskResultStatus.READY)

    # The first worker holds the job (the test hook pauses it mid-analysis) and is killed.
    first = subprocess.Popen(
        [sys.executable, "-c", WORK.replace("stop_when_idle=True", "stop_when_idle=False")],
        env=env | {PAUSE_VARIABLE: "120"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while state(database) != ("analysing", TaskResultStatus.RUNNING):
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            assert time.monotonic() < deadline, "the first worker never started the job"
            time.sleep(0.2)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        if first.stderr:
            first.stderr.close()
    assert first.returncode == -signal.SIGKILL
    assert state(database) == ("analysing", TaskResultStatus.RUNNING)  # stranded

    second = run_python(WORK, env)

    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["ran"] == 1
    looked = run_python(LOOK, env, photo_id)
    assert looked.returncode == 0, looked.stderr
    seen = json.loads(looked.stdout)
    assert (seen["status"], seen["error"], seen["measured"], seen["overlay"]) == (
        "done",
        "",
        True,
        True,
    )
    assert seen["attempts"] == 2
    (task,) = seen["tasks"]
    assert task["status"] == TaskResultStatus.SUCCESSFUL
    assert len(task["worker_ids"]) == 2  # the killed worker, then the one that finished it
    assert len(set(task["worker_ids"])) == 2
