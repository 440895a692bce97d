"""The background worker: runs queued tasks (photo analysis) and never loses one to a kill.

It is django-tasks-db's own worker (``db_worker``), run in batches with a recovery sweep before
each batch (on start, then at most every ``sweep_every_s`` while idle):

- a task left RUNNING by a worker that is gone goes back on the queue. A worker is gone when it
  ran on this computer and its process no longer exists (killed with -9, say, or the computer
  restarted), or, wherever it ran, when the task has been running for longer than
  ``stale_after_s`` (no photo takes minutes; a worker on another machine cannot be asked);
- a photo waiting or being analysed with no task left for it is queued again
  (``services.requeue_lost_photos``);
- a photo an earlier version of the analysis measured is queued to be measured again, behind
  new uploads (``services.queue_outdated_analyses``).

Only tasks known to be safe to run twice are put back (``REPEATABLE_TASKS``): the photo analysis
leaves a finished photo alone and redoes a half-finished one from the start.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time
from typing import Any

from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from collagen_coach.vision import ALGORITHM
from collagen_coach.web.photos import services, signals
from collagen_coach.web.photos.tasks import analyse_photo_task
from collagen_coach.web.upload_folder import process_alive, start_with_clean_upload_folder

logger = logging.getLogger(__name__)

REPEATABLE_TASKS = frozenset({analyse_photo_task.module_path})
# A task running this long is taken as abandoned whoever runs it: one photo takes seconds.
STALE_AFTER_S = 15 * 60.0
SWEEP_EVERY_S = 30.0


def run_worker(
    *,
    stop_when_idle: bool = False,
    interval_s: float = 1.0,
    stale_after_s: float = STALE_AFTER_S,
    sweep_every_s: float = SWEEP_EVERY_S,
    lost_photo_grace_s: float = 60.0,
    backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
) -> int:
    """Run queued tasks until stopped (Ctrl+C, SIGTERM); give how many tasks were run.

    ``stop_when_idle`` returns once the queue is empty instead of waiting for more. The first
    Ctrl+C or SIGTERM lets a running task finish, a second one stops it at once (its task is
    then picked up again by the next worker's sweep).
    """
    worker = Worker(
        queue_names=[queue_name],
        interval=interval_s,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id(),
        excluded_queue_names=[],
    )
    logger.info("worker %s started", worker.worker_id)
    start_with_clean_upload_folder()
    previous = _take_signals(worker)
    last_sweep = -float("inf")
    try:
        while True:
            if time.monotonic() - last_sweep >= sweep_every_s:
                recover(
                    stale_after_s=stale_after_s,
                    lost_photo_grace_s=lost_photo_grace_s,
                    backend_name=backend_name,
                )
                signals.worker_swept.send(sender=run_worker)
                last_sweep = time.monotonic()
            worker.run()  # every ready task, then back here
            if stop_when_idle or not worker.running:
                return worker._run_tasks
            time.sleep(interval_s)
    finally:
        _give_back_signals(previous)


def worker_id() -> str:
    """Give a new worker id that says where the worker runs: ``host:pid:random``."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def recover(
    *,
    stale_after_s: float = STALE_AFTER_S,
    lost_photo_grace_s: float = 60.0,
    backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
) -> tuple[list[str], list[int]]:
    """Put abandoned tasks, lost photos and photos measured by an earlier analysis back on the
    queue; give (task ids, photo ids)."""
    tasks = requeue_abandoned_tasks(stale_after_s=stale_after_s, backend_name=backend_name)
    photos = services.requeue_lost_photos(older_than_s=lost_photo_grace_s)
    if tasks or photos:
        logger.warning("queued again: tasks %s, photos %s", tasks, photos)
    outdated = services.queue_outdated_analyses()
    if outdated:
        logger.info("to be measured again by %s: photos %s", ALGORITHM, outdated)
    return tasks, photos + outdated


def requeue_abandoned_tasks(
    *, stale_after_s: float = STALE_AFTER_S, backend_name: str = DEFAULT_TASK_BACKEND_ALIAS
) -> list[str]:
    """Put RUNNING tasks whose worker is gone back to READY; give their ids."""
    now = timezone.now()
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, backend_name=backend_name, task_path__in=REPEATABLE_TASKS
    )
    requeued = []
    for result in running:
        owner = result.worker_ids[-1] if result.worker_ids else ""
        stale = result.started_at is None or now - result.started_at > dt.timedelta(
            seconds=stale_after_s
        )
        if not (stale or worker_is_gone(owner)):
            continue
        with exclusive_transaction(DBTaskResult.objects.db):
            # Only if nobody else has changed it since it was read (another sweeping worker).
            changed = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
        if changed:
            requeued.append(str(result.pk))
    return requeued


def worker_is_gone(owner: str) -> bool:
    """Give whether the worker with this id ran on this computer and its process has ended.

    A worker elsewhere, or one whose id does not say where it ran, is not known to be gone.
    """
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname()[:40] or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        # This process runs one worker at a time: a task of another worker of ours is orphaned.
        return not _is_current(owner)
    return not process_alive(pid)


_current_worker_ids: set[str] = set()


def _is_current(owner: str) -> bool:
    return owner in _current_worker_ids


def _take_signals(worker: Worker) -> dict[int, Any]:
    """Let Ctrl+C and SIGTERM stop the worker gracefully (only from the main thread)."""
    _current_worker_ids.add(worker.worker_id)
    if threading.current_thread() is not threading.main_thread():
        return {}
    taken = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGQUIT"):
        taken.append(signal.SIGQUIT)
    previous = {int(s): signal.getsignal(s) for s in taken}
    worker.configure_signals()
    return previous


def _give_back_signals(previous: dict[int, Any]) -> None:
    _current_worker_ids.clear()
    for number, handler in previous.items():
        signal.signal(number, handler)
