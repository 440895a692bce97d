"""Days as a person gives them: today's date and now on this computer, and a day written as text.

Every page and record that shows a person "today" or decides which day something counts for
(Today's session, the journal's days, the progress verdict's "as of", a session's start) takes it
from :func:`today` or :func:`now` here, so the day can be moved in one place.

**A clock for tests.** With ``DEBUG`` on, the environment variable ``COLLAGEN_COACH_CLOCK_FILE``
may name a file holding one date (``YYYY-MM-DD``): the app then lives on that day, at this
computer's time of day, in every process that reads these settings (the server and its photo
worker alike). A test moves the day by rewriting the file, without sleeping and without
restarting the server; a missing file means the real clock. It is a testing aid, never for a real
server: the settings refuse it when ``DEBUG`` is off (see ``settings.CLOCK_FILE``), and nothing
reachable over the web can set it. Stamps that only order or expire things (sign-in throttling,
invitation and token expiry, the worker's leases, ``auto_now`` fields) keep the real clock.
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from collagen_coach.core.errors import UserError

CLOCK_FILE_VARIABLE = "COLLAGEN_COACH_CLOCK_FILE"

# The clock file's day, kept while the file stays the same (inode, mtime, size): a test replaces
# the file to move the day, so a new inode alone tells that it changed.
_read: tuple[str, tuple[int, int, int], dt.date] | None = None


def _moved_day() -> dt.date | None:
    """Give the day the clock file holds, or None when no clock file is set or it is missing."""
    global _read
    try:
        path = getattr(settings, "CLOCK_FILE", None)
    except ImproperlyConfigured:  # no Django settings (a pure terminal command): the real clock
        return None
    if not path:
        return None
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
    if _read is not None and _read[0] == path and _read[1] == stamp:
        return _read[2]
    with open(path, encoding="utf-8") as fh:
        text = fh.read().strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(
            CLOCK_FILE_VARIABLE, f"{path} holds {text!r}, not a date", "YYYY-MM-DD"
        ) from None
    _read = (path, stamp, day)
    return day


def today() -> dt.date:
    """Give today's date on this computer (the user's own calendar day)."""
    return _moved_day() or dt.date.today()


def now() -> dt.datetime:
    """Give the present moment (aware), on :func:`today`'s day at this computer's time of day."""
    real = timezone.now()
    day = _moved_day()
    if day is None:
        return real
    local = timezone.localtime(real)
    return local + dt.timedelta(days=(day - local.date()).days)


def parse_day(field: str, text: str) -> dt.date:
    """Give the date written as ``YYYY-MM-DD`` in ``text``."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(field, f"{text!r} is not a date", "YYYY-MM-DD") from None
