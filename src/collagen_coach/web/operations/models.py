"""What the people who run the service need to know: which photo-analysis workers are alive."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """One photo-analysis worker process (a host and a process id) and when it last said it is
    alive. Kept in the database, so it survives restarts and every host of a shared database
    sees every worker; rows of workers long silent are removed by the workers still running."""

    host = models.CharField(max_length=100)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["host", "pid"], name="heartbeat_one_per_process")
        ]

    def __str__(self) -> str:
        return f"worker {self.host}:{self.pid}, last seen {self.last_seen:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, host: str, pid: int, *, starting: bool = False) -> WorkerHeartbeat:
        """Note that worker ``host``:``pid`` is alive now, and give its row; ``starting`` (a new
        process, perhaps with the id of an old one) also sets when it started."""
        now = timezone.now()
        fields = {"last_seen": now, **({"started_at": now} if starting else {})}
        row, _ = cls.objects.update_or_create(
            host=host, pid=pid, defaults=fields, create_defaults={"started_at": now, **fields}
        )
        return row

    @classmethod
    def forget_silent(cls, silent_for_s: float, now: dt.datetime | None = None) -> int:
        """Remove the rows of workers silent for ``silent_for_s`` seconds; give how many."""
        since = (now or timezone.now()) - dt.timedelta(seconds=silent_for_s)
        removed, _ = cls.objects.filter(last_seen__lt=since).delete()
        return removed
