"""The practice's day as kept per client (``ClientAttention``), so that the client list filters,
sorts and counts its clients by signal in the database instead of working out every client's
day on every visit.

A kept row holds for its day (``computed_on``) and, where a signal ends at a moment of the day,
until ``holds_until``. Every entry that may change a signal marks its client's row in its own
transaction (:func:`entries_changed`, called by the receivers in ``watch``); the next read works
out again, with :func:`attention.practice_day` and so by the same rules, the rows that are
marked, of an earlier day, past their moment, or missing: a fixed number of queries, however
many clients that is. The photo worker's sweep does the same for every practice at the start of
a day, so the first visit of the day seldom waits for it (:func:`refresh_all`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform

from collagen_coach.web.clients.models import Client, IntakeRecord
from collagen_coach.web.journal.models import SessionLog
from collagen_coach.web.lib import dates
from collagen_coach.web.practice.attention import (
    SIGNALS,
    ClientDay,
    Reason,
    practice_clients,
    practice_day,
)
from collagen_coach.web.practice.models import ClientAttention, Practice

BATCH_ROWS = 500  # kept rows written by one statement
# The kept fields worked out from a client's day and records (all but the version).
KEPT_FIELDS = (
    "computed_on",
    "holds_until",
    "planned_today",
    "done_today",
    *SIGNALS,
    "reason_count",
    "reasons",
    "last_session_on",
    "last_session_place",
    "last_session_status",
    "decision",
    "resume_on",
)


def entries_changed(client_ids: int | Iterable[int] | QuerySet[Any]) -> None:
    """Mark the kept days of ``client_ids`` (ids, or a query giving them) to be worked out
    again, in the transaction of the change, so that a read meanwhile cannot keep what the
    change made untrue."""
    ids = [client_ids] if isinstance(client_ids, int) else client_ids
    ClientAttention.objects.filter(client_id__in=ids).update(
        computed_on=None, version=F("version") + 1
    )


def client_added(client_id: int) -> None:
    """Give a client of a practice a kept day, to be worked out at the next read."""
    ClientAttention.objects.bulk_create(
        [ClientAttention(client_id=client_id)], ignore_conflicts=True
    )
    entries_changed(client_id)


def kept(day: ClientDay, today: dt.date) -> dict[str, Any]:
    """Give the kept fields of a client's ``day`` on ``today``."""
    signals = day.signals
    return {
        "computed_on": today,
        "holds_until": day.holds_until,
        "planned_today": day.planned_today,
        "done_today": day.done_today,
        **{signal: signal in signals for signal in SIGNALS},
        "reason_count": len(day.reasons),
        "reasons": [[r.signal, r.words, r.short] for r in day.reasons],
    }


def _newest(model: type[Any], field: str, order: tuple[str, ...]) -> Subquery:
    rows = model._default_manager.filter(client=OuterRef("pk")).order_by(*order)
    return Subquery(rows.values(field)[:1])


def latest_entries(ids: Collection[int]) -> dict[int, dict[str, Any]]:
    """Give, by client id, what a client's row shows beside the signals: the newest session's
    day, place and status, and the newest safety check's decision and day to resume. One
    query, whatever their history."""
    session_order = ("-started_at", "-id")
    intake_order = ("-created_at", "-id")
    found = (
        Client.objects.filter(pk__in=ids)
        .annotate(
            last_session_on=_newest(SessionLog, "planned_date", session_order),
            last_session_place=_newest(SessionLog, "place", session_order),
            last_session_status=_newest(SessionLog, "status", session_order),
            decision=_newest(IntakeRecord, "decision_kind", intake_order),
            resume_on_text=Subquery(
                IntakeRecord.objects.filter(client=OuterRef("pk"))
                .order_by(*intake_order)
                .annotate(resume=KeyTextTransform("resume_on", "decision"))
                .values("resume")[:1]
            ),
        )
        .values_list(
            "pk",
            "last_session_on",
            "last_session_place",
            "last_session_status",
            "decision",
            "resume_on_text",
        )
    )
    return {
        pk: {
            "last_session_on": _as_date(on),
            "last_session_place": place or "",
            "last_session_status": status or "",
            "decision": decision or "",
            "resume_on": _as_date(resume),
        }
        for pk, on, place, status, decision, resume in found
    }


def _as_date(value: Any) -> dt.date | None:
    """Give a date from what a database gives back for one (a date, or its ISO text)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def day_of(row: ClientAttention | None, client_id: int) -> ClientDay:
    """Give the client's day as kept in ``row`` (no row: nothing to show yet)."""
    if row is None:
        return ClientDay(client_id)
    return ClientDay(
        client_id,
        planned_today=row.planned_today,
        done_today=row.done_today,
        reasons=[Reason(*reason) for reason in row.reasons],
        holds_until=row.holds_until,
    )


def _no_longer_holding(today: dt.date, now: dt.datetime) -> Q:
    """Give the clients whose kept day must be worked out again on ``today`` at ``now``."""
    return (
        Q(attention__isnull=True)
        | Q(attention__computed_on__isnull=True)
        | Q(attention__computed_on__lt=today)
        | Q(attention__computed_on__gt=today)  # the clock was moved back
        | Q(attention__holds_until__lt=now)
    )


def refresh(practice: Practice, today: dt.date | None = None) -> int:
    """Work out again the kept days of ``practice``'s clients that no longer hold; give how
    many. One query when all hold; otherwise a fixed number, plus one per batch of rows written.
    """
    today = today or dates.today()
    stale = dict(
        practice_clients(practice)
        .filter(_no_longer_holding(today, dates.now()))
        .values_list("pk", "attention__version")
    )
    if not stale:
        return 0
    with transaction.atomic():
        missing = [pk for pk, version in stale.items() if version is None]
        ClientAttention.objects.bulk_create(
            [ClientAttention(client_id=pk) for pk in missing], ignore_conflicts=True
        )
        days = practice_day(practice, today, only=list(stale))
        entries = latest_entries(list(stale))
        rows = [
            ClientAttention(
                client_id=pk, **kept(days.get(pk) or ClientDay(pk), today), **entries.get(pk, {})
            )
            for pk in stale
        ]
        # Written over the rows in place (their version kept): one statement a batch, and a
        # change waiting on a row is made after this write, never lost with it.
        ClientAttention.objects.bulk_create(
            rows,
            batch_size=BATCH_ROWS,
            update_conflicts=True,
            unique_fields=["client"],
            update_fields=KEPT_FIELDS,
        )
        # A change committed while the day was read may be missing from it: its version moved
        # on, and its row is left to be worked out again at the next read.
        moved = [
            pk
            for pk, version in ClientAttention.objects.filter(client_id__in=stale).values_list(
                "client_id", "version"
            )
            if version != (stale[pk] or 0)
        ]
        if moved:
            ClientAttention.objects.filter(client_id__in=moved).update(computed_on=None)
    return len(stale)


def kept_days(practice: Practice, today: dt.date | None = None) -> dict[int, ClientDay]:
    """Give every client of ``practice`` by id with their day, as kept (brought up to date
    first): what :func:`attention.practice_day` gives, read from the kept rows."""
    refresh(practice, today)
    rows = ClientAttention.objects.filter(client__practice=practice)
    days = {row.client_id: day_of(row, row.client_id) for row in rows}
    for pk in practice_clients(practice).exclude(pk__in=list(days)).values_list("pk", flat=True):
        days[pk] = ClientDay(pk)  # added since: nothing to show yet
    return days


def showing(show: str) -> Q:
    """Give the clients a filter of the list shows: "all", "attention" (any signal), "today"
    (planned today) or one signal of ``attention.SIGNALS``."""
    if show == "all":
        return Q()
    if show == "attention":
        return Q(attention__reason_count__gt=0)
    if show == "today":
        return Q(attention__planned_today=True)
    if show in SIGNALS:
        return Q(**{f"attention__{show}": True})
    raise ValueError(f"no filter {show!r}")


def counts(clients: QuerySet[Client]) -> dict[str, int]:
    """Give how many of ``clients`` show each signal, "attention" (any), "today" (planned
    today), "done_today" (planned and done today) and "all": one query."""
    wanted = {key: showing(key) for key in ("all", "attention", "today", *SIGNALS)}
    wanted["done_today"] = Q(attention__planned_today=True, attention__done_today=True)
    found = clients.order_by().aggregate(
        **{f"count_{key}": Count("pk", filter=where) for key, where in wanted.items()}
    )
    return {key: int(found[f"count_{key}"] or 0) for key in wanted}


# How long one sweep of the worker spends on the practices' new days.
NEW_DAY_BUDGET_S = 5.0


def refresh_all(sender: Any = None, *, budget_s: float = NEW_DAY_BUDGET_S, **_: Any) -> int:
    """Work out again every practice's kept days that no longer hold, until ``budget_s`` is
    spent (a receiver of ``photos.signals.worker_swept``); give how many clients."""
    started = time.monotonic()
    done = 0
    for practice in Practice.objects.order_by("pk"):
        if time.monotonic() - started >= budget_s:
            break
        done += refresh(practice)
    return done
