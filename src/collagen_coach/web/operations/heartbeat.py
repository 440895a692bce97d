"""A photo-analysis worker's heartbeat: a row of its own (``WorkerHeartbeat``), brought up to
date every ``BEAT_EVERY_S`` seconds by a thread beside the worker, so that the health answer
(``operations.health``) can tell whether any worker is alive, on any host of the database.

The beat says that the worker's process runs and reaches the database; whether it keeps up with
the photos is the queue's age, which the health answer reports beside it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.db import Error, connections

from collagen_coach.web.operations.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# One small write per worker every 30 s: rare next to the writes of one analysed photo, and well
# inside the health answer's limit (operations.health.HEARTBEAT_LIMIT_S, three beats).
BEAT_EVERY_S = 30
# The row of a worker silent this long is removed by the next beat of a worker still running:
# the table holds the recent workers only, and a worker that stopped within the hour can still
# be named as last heard from.
FORGET_AFTER_S = 60 * 60


def this_host() -> str:
    """Give the name of this computer as the heartbeats keep it."""
    return socket.gethostname()[:100]


def beat(*, starting: bool = False) -> WorkerHeartbeat:
    """Note that this process's worker is alive, forget long-silent workers; give the row."""
    row = WorkerHeartbeat.beat(this_host(), os.getpid(), starting=starting)
    WorkerHeartbeat.forget_silent(FORGET_AFTER_S)
    return row


class Heartbeat:
    """Beats for this process from :meth:`start` (at once, then every ``every_s`` seconds in a
    thread of its own) until :meth:`stop`."""

    def __init__(self, every_s: float = BEAT_EVERY_S) -> None:
        self.every_s = every_s
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._keep, name="worker-heartbeat", daemon=True)

    def start(self) -> None:
        """Beat now (a worker that cannot reach the database says so at once), then keep on."""
        beat(starting=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop beating; the row stays, saying when this worker was last alive."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.every_s)

    def __enter__(self) -> Heartbeat:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _keep(self) -> None:
        while not self._stopping.wait(self.every_s):
            try:
                beat()
            except Error:
                # The database is away for a moment: the beat is missed, the worker goes on,
                # and the health answer shows the gap if it lasts.
                logger.warning("worker heartbeat: the database could not be reached")
            finally:
                # This thread's own connection: closed, so none is held between beats.
                connections.close_all()
