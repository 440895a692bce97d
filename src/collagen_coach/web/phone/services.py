"""Sessions played on a phone without the network, recorded when the phone sends them later.

The phone keeps what the player would have saved (each step's seconds, the comfort answers) with
a key it made (a UUID) and how long ago the session started and ended, counted on its own clock
at the moment it sends. The session is dated by when it was done, on this app's clock, not by
when it arrived; the same key sent again records nothing more and gives the same answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from collagen_coach.core.cues import GENTLER_ADVICE
from collagen_coach.core.errors import UserError
from collagen_coach.core.words import day_in_words
from collagen_coach.web.clients.changes import records_changed
from collagen_coach.web.clients.models import Client
from collagen_coach.web.guide.services import todays_session
from collagen_coach.web.journal import checks
from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import SessionLog, SessionStatus
from collagen_coach.web.lib import dates
from collagen_coach.web.phone.models import SentLater

# A session kept on a phone longer than this is not taken: its day would be a guess.
KEPT_AT_MOST_DAYS = 30
KEY_EXAMPLE = "a UUID made by the phone, e.g. 3f2b8c1e-9d4a-4e6b-8f0a-2c5d7e9b1a34"


class KeyOfAnotherPerson(UserError):
    """The key was first sent by someone else: nothing is recorded for this person."""


@dataclass(frozen=True)
class Played:
    """What the phone says about one session it played without the network."""

    key: uuid.UUID
    page_day: dt.date  # the day the session's page was for
    log_id: int | None  # the log saved when the session started online, if it did
    started_ago_s: int
    finished_ago_s: int
    steps: list[dict[str, Any]]  # {step, done_s, skipped}, in the order played
    pain: bool | None
    redness: bool | None
    note: str
    stopped: bool


def read_played(body: dict[str, Any]) -> Played:
    """Give the played session ``body`` describes, or a UserError naming what is wrong."""
    key = parse_key(body.get("key"))
    page_day = dates.parse_day("date", str(body.get("date", "")))
    log_id = body.get("log")
    if log_id is not None and (isinstance(log_id, bool) or not isinstance(log_id, int)):
        raise UserError("log", f"{log_id!r} is not a session number", "a whole number or null")
    most = KEPT_AT_MOST_DAYS * 86400
    started = _seconds(body, "started_ago_s", most)
    finished = _seconds(body, "finished_ago_s", most)
    if finished > started:
        raise UserError(
            "finished_ago_s", "is before the session started", f"at most {started} (started_ago_s)"
        )
    steps = body.get("steps")
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise UserError("steps", "is not a list of steps", 'e.g. [{"step": 0, "done_s": 60}]')
    note = body.get("note", "")
    if not isinstance(note, str):
        raise UserError("note", "is not text", "text")
    return Played(
        key=key,
        page_day=page_day,
        log_id=log_id,
        started_ago_s=started,
        finished_ago_s=finished,
        steps=steps,
        pain=checks.yes_no(body, "pain"),
        redness=checks.yes_no(body, "redness"),
        note=note,
        stopped=_flag(body, "stopped"),
    )


def parse_key(value: object) -> uuid.UUID:
    """Give the phone's key for one session: a UUID written as text."""
    if not isinstance(value, str):
        raise UserError("key", "is missing" if value is None else "is not text", KEY_EXAMPLE)
    try:
        return uuid.UUID(value)
    except ValueError:
        raise UserError("key", f"{value[:60]!r} is not a UUID", KEY_EXAMPLE) from None


def check_person(person: object, signed_in_pk: int) -> None:
    """Refuse a session recorded on the phone while someone other than who sends it now was
    signed in (``person``: the account number the page it was played on was for)."""
    if isinstance(person, bool) or not isinstance(person, int):
        raise UserError("person", "is missing", "the number of the account it was recorded for")
    if person != signed_in_pk:
        raise KeyOfAnotherPerson(
            "person",
            "this session was recorded on this phone by someone else",
            "sign in as the person who did it to send it",
        )


def record_played(client: Client, played: Played) -> tuple[SessionLog, bool]:
    """Record a session played without the network, once per key; give its log and whether it
    was recorded now (False: the key was sent before, and its log is given again)."""
    earlier = _earlier(client, played.key)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            log = _record(client, played)
            SentLater.objects.create(key=played.key, client=client, session_log=log)
    except IntegrityError:  # the same key, sent at the same moment by another page
        earlier = _earlier(client, played.key)
        if earlier is None:
            raise
        return earlier, False
    return log, True


def outcome(log: SessionLog) -> dict[str, Any]:
    """Give what the phone is told about a session it sent: the same, however often it sends."""
    day = day_in_words(log.planned_date)
    if log.status == SessionStatus.COMPLETED:
        message = f"Sent: the session of {day} is in your journal. Well done."
    else:
        message = (
            f"Sent: the session of {day} is in your journal as stopped early "
            "(it counts as a partial session)."
        )
    gentler_next = bool(log.pain or log.redness)
    if gentler_next:
        message += " " + GENTLER_ADVICE
    return {
        "log": log.pk,
        "date": log.planned_date.isoformat(),
        "status": log.status,
        "done_s": log.done_s,
        "planned_s": log.planned_s,
        "steps_done": log.steps_done,
        "steps_skipped": log.steps_skipped,
        "gentler_next": gentler_next,
        "message": message,
    }


def _earlier(client: Client, key: uuid.UUID) -> SessionLog | None:
    sent = SentLater.objects.select_related("session_log").filter(key=key).first()
    if sent is None:
        return None
    if sent.client_id != client.pk:
        raise KeyOfAnotherPerson(
            "key", "was already used for another person's session", "a new key for each session"
        )
    return sent.session_log


def _record(client: Client, played: Played) -> SessionLog:
    now = dates.now()
    started_at = now - dt.timedelta(seconds=played.started_ago_s)
    finished_at = now - dt.timedelta(seconds=played.finished_ago_s)
    if played.log_id is not None:
        log = SessionLog.objects.filter(client=client, pk=played.log_id).first()
        if log is None:
            raise UserError("log", f"{played.log_id} is not one of your sessions")
        if log.status != SessionStatus.IN_PROGRESS:
            return log  # its end was saved after all, before the answer was lost
    else:
        day_done = timezone.localtime(finished_at).date()
        session, _, _ = todays_session(client, played.page_day)
        if session is None:
            raise UserError("date", f"no session is planned on {played.page_day}")
        log = journal.start_session_log(client, day_done, session=session)
        log.started_at = started_at
        log.save(update_fields=["started_at"])
    for row in played.steps:
        index = row.get("step")
        reached = isinstance(index, int) and 0 <= index < len(log.steps)
        if reached and log.steps[index]["done_s"] is not None:
            continue  # saved while the network was there
        journal.record_step(log, index, row.get("done_s"), _flag(row, "skipped"))  # type: ignore[arg-type]
    reached_all = all(row["done_s"] is not None for row in log.steps)
    done = journal.close_session_log(
        log,
        played_to_end=not played.stopped and reached_all,
        pain=played.pain,
        redness=played.redness,
        note=played.note,
    )
    if done:
        SessionLog.objects.filter(pk=log.pk).update(finished_at=finished_at)
        records_changed(log.client_id)
        log.refresh_from_db()
    return log


def _seconds(body: dict[str, Any], name: str, most: int) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(name, f"{value!r} is not whole seconds", f"0–{most}")
    if not 0 <= value <= most:
        raise UserError(name, f"{value} is out of range", f"0–{most} ({KEPT_AT_MOST_DAYS} days)")
    return value


def _flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise UserError(name, f"{value!r} is not true or false", "true or false")
    return value
