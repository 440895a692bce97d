"""Photo analysis as a background task (Django's tasks framework; the database is the queue).

The task is safe to run again: a photo already analysed is left as it is, and one whose earlier
run was cut short (its worker killed) is analysed afresh, replacing anything half-written. That
is what lets ``photos.worker`` put a killed worker's task back on the queue.

Test hook: when the environment variable ``COLLAGEN_COACH_TEST_ANALYSIS_PAUSE_S`` holds a number
of seconds, the task waits that long after marking the photo as being analysed and before
analysing it. The tests use it to kill a worker while a task is certainly running; nothing else
sets it.
"""

from __future__ import annotations

import os
import time

from django_tasks import task

from collagen_coach.web.photos.analysis import finish_analysis, start_analysis
from collagen_coach.web.photos.models import Photo, PhotoStatus
from collagen_coach.web.photos.signals import photo_measured

PAUSE_VARIABLE = "COLLAGEN_COACH_TEST_ANALYSIS_PAUSE_S"


@task()
def analyse_photo_task(photo_id: int) -> str:
    """Analyse one stored photo; give the status it ends with ("gone" if it was deleted)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return "gone"
    if photo.status in (PhotoStatus.DONE, PhotoStatus.FAILED):
        return str(photo.status)
    if not start_analysis(photo):  # deleted meanwhile, or out of attempts
        return str(photo.status)
    _pause_for_tests()
    finish_analysis(photo)
    if photo.status == PhotoStatus.DONE:
        # Its ~184 series' analysis is worked out here, so the next visit finds it current.
        photo_measured.send(sender=Photo, photo=photo)
    return str(photo.status)


def photo_ids_with_live_tasks() -> set[int]:
    """Give the ids of the photos whose analysis task is waiting or running in the queue."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    live = DBTaskResult.objects.filter(
        task_path=analyse_photo_task.module_path,
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
    ).values_list("args_kwargs", flat=True)
    ids: set[int] = set()
    for args_kwargs in live:
        args = args_kwargs.get("args") or []
        photo_id = args[0] if args else args_kwargs.get("kwargs", {}).get("photo_id")
        if isinstance(photo_id, int):
            ids.add(photo_id)
    return ids


def _pause_for_tests() -> None:
    pause = os.environ.get(PAUSE_VARIABLE)
    if pause:
        time.sleep(float(pause))
