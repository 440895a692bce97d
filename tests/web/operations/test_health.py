"""GET /health/: the database, the photo storage, the queue's age and the workers' heartbeats,
as JSON, 200 when all are well and 503 when any is not; open to anyone and naming no one."""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path
from typing import Any

import pytest
from django.db.models import F
from django.test import override_settings

from collagen_coach.web.operations import health
from collagen_coach.web.operations.models import WorkerHeartbeat

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

URL = "/health/"


def _browser() -> Any:
    """Give a Django test client that checks CSRF tokens, as a real browser's requests are."""
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def _ask(method: str = "get") -> tuple[int, dict[str, Any]]:
    answer = getattr(_browser(), method)(URL)
    return answer.status_code, answer.json() if answer.content else {}


def _worker_seen(seconds_ago: float, host: str = "host-a", pid: int = 101) -> None:
    row = WorkerHeartbeat.beat(host, pid, starting=True)
    WorkerHeartbeat.objects.filter(pk=row.pk).update(
        last_seen=F("last_seen") - dt.timedelta(seconds=seconds_ago)
    )


def _task_waiting(seconds: float) -> None:
    from django_tasks_db.models import DBTaskResult

    from collagen_coach.web.photos.tasks import analyse_photo_task

    result = analyse_photo_task.enqueue(2**31 - 1)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=F("enqueued_at") - dt.timedelta(seconds=seconds)
    )


def test_all_well_answers_200_with_each_checks_figures() -> None:
    _worker_seen(5)

    status, body = _ask()

    assert status == 200
    assert body["status"] == "ok"
    checks = body["checks"]
    assert {name: c["status"] for name, c in checks.items()} == {
        "database": "ok",
        "storage": "ok",
        "queue": "ok",
        "workers": "ok",
    }
    assert checks["queue"] == {
        "status": "ok",
        "waiting": 0,
        "oldest_waiting_s": None,
        "limit_s": health.QUEUE_AGE_LIMIT_S,
    }
    assert checks["workers"]["alive"] == 1
    assert checks["workers"]["last_seen_s"] >= 5
    assert checks["storage"]["writable"] is True


def test_no_worker_ever_answers_503_saying_so_plainly() -> None:
    status, body = _ask()

    assert status == 503
    assert body["status"] == "fail"
    workers = body["checks"]["workers"]
    assert workers["status"] == "fail"
    assert (workers["alive"], workers["last_seen_s"]) == (0, None)
    assert "no photo-analysis worker has ever reported" in workers["reason"]
    assert "--no-worker" in workers["reason"]
    assert body["checks"]["database"]["status"] == "ok"


def test_a_worker_silent_past_the_limit_answers_503() -> None:
    _worker_seen(health.HEARTBEAT_LIMIT_S + 30)

    status, body = _ask()

    assert status == 503
    workers = body["checks"]["workers"]
    assert (workers["status"], workers["alive"]) == ("fail", 0)
    assert workers["reason"].startswith("no photo-analysis worker has reported for ")


def test_one_worker_alive_on_any_host_is_enough() -> None:
    _worker_seen(health.HEARTBEAT_LIMIT_S + 30, host="host-a")
    _worker_seen(1, host="host-b")

    status, body = _ask()

    assert status == 200
    assert body["checks"]["workers"]["alive"] == 1


@pytest.mark.parametrize(
    ("waited_s", "expected"),
    [(30, 200), (health.QUEUE_AGE_LIMIT_S + 60, 503)],
    ids=["waiting-briefly", "waiting-too-long"],
)
def test_the_queue_is_judged_by_its_oldest_waiting_task(waited_s: float, expected: int) -> None:
    _worker_seen(1)
    _task_waiting(5)
    _task_waiting(waited_s)

    status, body = _ask()

    queue = body["checks"]["queue"]
    assert status == expected
    assert queue["waiting"] == 2
    assert queue["oldest_waiting_s"] >= waited_s
    assert queue["status"] == ("ok" if expected == 200 else "fail")


def test_a_finished_task_however_old_does_not_count() -> None:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    _worker_seen(1)
    _task_waiting(health.QUEUE_AGE_LIMIT_S * 10)
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)

    status, body = _ask()

    assert status == 200
    assert body["checks"]["queue"]["waiting"] == 0


def test_a_photo_folder_that_is_a_file_answers_503(tmp_path: Path) -> None:
    _worker_seen(1)
    not_a_folder = tmp_path / "photos"
    not_a_folder.write_text("")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_folder)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    with override_settings(STORAGES=storages):
        status, body = _ask()

    assert status == 503
    assert body["checks"]["storage"] == {
        "status": "fail",
        "kind": "folder",
        "exists": False,
        "reason": "the photo folder is a file, not a folder",
    }


def test_a_photo_folder_not_made_yet_is_fine_where_it_can_be_made(tmp_path: Path) -> None:
    from django.core.files.storage import FileSystemStorage

    check = health.check_storage(FileSystemStorage(location=tmp_path / "not-yet" / "photos"))

    assert (check.status, check.figures) == (
        "ok",
        {"kind": "folder", "exists": False, "writable": True},
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="the superuser may write in any folder")
def test_a_photo_folder_that_cannot_be_written_fails(tmp_path: Path) -> None:
    from django.core.files.storage import FileSystemStorage

    folder = tmp_path / "photos"
    folder.mkdir(mode=0o500)

    check = health.check_storage(FileSystemStorage(location=folder))

    assert (check.status, check.reason) == ("fail", "the photo folder cannot be written to")


def test_an_unreachable_database_fails_its_check(tmp_path: Path) -> None:
    from django.db import connections
    from django.db.utils import load_backend

    settings = dict(connections["default"].settings_dict)
    if settings["ENGINE"].endswith("sqlite3"):
        settings["NAME"] = str(tmp_path / "no such folder" / "db.sqlite3")
    else:
        with socket.socket() as closed:  # a port nothing listens on
            closed.bind(("127.0.0.1", 0))
            settings.update(HOST="127.0.0.1", PORT=str(closed.getsockname()[1]))
    broken = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias="broken")

    check = health.check_database(broken)

    assert check.status == "fail"
    assert check.reason.startswith("the database cannot be reached")


def test_head_answers_too_and_anything_else_is_refused() -> None:
    _worker_seen(1)
    web = _browser()

    assert web.head(URL).status_code == 200
    assert web.post(URL).status_code == 405


def test_the_answer_is_never_kept_and_names_no_one(make_person: Any) -> None:
    make_person("ann")
    _worker_seen(1)

    answer = _browser().get(URL)

    assert "no-store" in answer["Cache-Control"]
    assert "ann" not in answer.content.decode().lower()
    assert "host-a" not in answer.content.decode()
