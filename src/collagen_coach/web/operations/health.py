"""The service's health, as a load balancer or a monitor asks for it: the database, the photo
storage, the age of the photo-analysis queue and the workers' heartbeats.

Each check gives a :class:`Check`: ``ok`` or ``fail`` (``unknown`` when the database it needs is
away), its figures, and in words why it is not ok. Nothing in it names a person or a record.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import Error, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from collagen_coach.web.operations.heartbeat import BEAT_EVERY_S
from collagen_coach.web.operations.models import WorkerHeartbeat

# A photo is analysed in seconds and a session's upload of a few photos within a minute or two;
# a photo still waiting after ten minutes means the workers are gone, stuck or overwhelmed. The
# limit applies only while something waits: an empty queue has no age.
QUEUE_AGE_LIMIT_S = 10 * 60
# Three missed beats: one late beat (a busy machine, a slow database) is not an outage.
HEARTBEAT_LIMIT_S = 3 * BEAT_EVERY_S

OK, FAIL, UNKNOWN = "ok", "fail", "unknown"


@dataclass(frozen=True)
class Check:
    """One check's answer: its status, its figures, and why when it is not ok."""

    status: str
    figures: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            **self.figures,
            **({"reason": self.reason} if self.reason else {}),
        }


def check_database(connection: BaseDatabaseWrapper | None = None) -> Check:
    """Give whether the database answers a trivial query."""
    connection = connection or connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as exc:
        return Check(
            FAIL,
            {"engine": connection.vendor},
            f"the database cannot be reached ({type(exc).__name__})",
        )
    return Check(OK, {"engine": connection.vendor})


def check_storage(storage: Storage | None = None) -> Check:
    """Give whether photos can be stored: for the local folder, that it is a folder this process
    may write in (or, not made yet, that the nearest folder above it is one: the first photo
    makes it); for another storage, that it answers."""
    storage = storage or storages["default"]
    if not isinstance(storage, FileSystemStorage):
        try:
            storage.exists("health-check")
        except Exception as exc:  # any storage's own error: it is unreachable either way
            return Check(
                FAIL,
                {"kind": type(storage).__name__},
                f"the photo storage does not answer ({type(exc).__name__})",
            )
        return Check(OK, {"kind": type(storage).__name__})
    folder = Path(storage.location)
    figures: dict[str, Any] = {"kind": "folder", "exists": folder.is_dir()}
    if folder.exists() and not folder.is_dir():
        return Check(FAIL, figures, "the photo folder is a file, not a folder")
    nearest = folder
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    writable = nearest.is_dir() and os.access(nearest, os.W_OK | os.X_OK)
    figures["writable"] = writable
    if not writable:
        return Check(FAIL, figures, "the photo folder cannot be written to")
    return Check(OK, figures)


def check_queue(limit_s: float = QUEUE_AGE_LIMIT_S) -> Check:
    """Give how many tasks wait to run and how long the oldest has waited, against ``limit_s``."""
    now = timezone.now()
    waiting = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    oldest_s = (
        None if waiting["oldest"] is None else round((now - waiting["oldest"]).total_seconds())
    )
    figures = {"waiting": waiting["count"], "oldest_waiting_s": oldest_s, "limit_s": limit_s}
    if oldest_s is not None and oldest_s > limit_s:
        return Check(
            FAIL, figures, f"a task has waited {oldest_s} s to run, more than {limit_s:g} s"
        )
    return Check(OK, figures)


def check_workers(limit_s: float = HEARTBEAT_LIMIT_S) -> Check:
    """Give how many photo-analysis workers said they are alive within ``limit_s`` seconds and
    how long ago the latest one spoke."""
    now = timezone.now()
    since = now - dt.timedelta(seconds=limit_s)
    beats = WorkerHeartbeat.objects.aggregate(
        latest=Max("last_seen"), alive=Count("pk", filter=Q(last_seen__gte=since))
    )
    latest = beats["latest"]
    last_s = None if latest is None else max(0, round((now - latest).total_seconds()))
    figures = {"alive": beats["alive"], "last_seen_s": last_s, "limit_s": limit_s}
    if latest is None:
        return Check(
            FAIL,
            figures,
            "no photo-analysis worker has ever reported: uploaded photos wait unanalysed (start "
            "one with `collagen-coach worker`, or serve without --no-worker)",
        )
    if not beats["alive"]:
        return Check(
            FAIL,
            figures,
            f"no photo-analysis worker has reported for {last_s} s (limit {limit_s:g} s)",
        )
    return Check(OK, figures)


def check_all() -> tuple[bool, dict[str, Check]]:
    """Give whether every check is ok, and each check's answer by name. With the database away,
    the checks that read it are ``unknown``."""
    database = check_database()
    checks = {"database": database, "storage": check_storage()}
    if database.status == OK:
        try:
            checks["queue"] = check_queue()
            checks["workers"] = check_workers()
        except Error as exc:
            database = Check(
                FAIL, database.figures, f"the database failed a query ({type(exc).__name__})"
            )
            checks["database"] = database
    if database.status != OK:
        away = Check(UNKNOWN, reason="the database cannot be reached")
        checks.setdefault("queue", away)
        checks.setdefault("workers", away)
    return all(c.status == OK for c in checks.values()), checks
