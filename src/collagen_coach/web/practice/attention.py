"""Who in a practice needs attention today, and why: the one owner of each signal's rule.

The practitioner's home and the client list both read what :func:`practice_day` gives, kept per
client (``attention_store``), so the counts on one always agree with the other. Each signal
looks at a short, fixed window of days, so the whole practice is read in eight queries whatever
the number of clients and the length of their history, and only the rows behind a signal are
read:

- **missed**: at least ``MISSED_AT_LEAST`` of the current plan's sessions in the last
  ``MISSED_DAYS`` days (today left out: it is not over) have no completed session;
- **pain**: a session of the last ``PAIN_DAYS`` days (today included) was logged with pain
  during it or redness lasting afterwards;
- **restriction**: a limit of the newest safety check lifts today or within ``ENDING_DAYS``
  days (``Decision.restrictions_on`` decides which limits hold on a day), or a pause ends then;
- **verdict**: a concern's progress verdict (firmness, glow, …) read otherwise in the last
  ``VERDICT_DAYS`` days than on the dashboard stored before (``progress.stored_page``): what
  changed, from what to what, is named;
- **note**: a session done in the clinic in the last ``NOTE_DAYS`` days has no session note.

The kept days are worked out by :func:`practice_day` for the clients whose entries changed or
whose day has passed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from collagen_coach.core.planning import Session
from collagen_coach.core.screening import Decision
from collagen_coach.core.words import VERDICT_WORDS
from collagen_coach.web.clients.models import Client, IntakeRecord
from collagen_coach.web.journal.models import SessionLog, SessionStatus
from collagen_coach.web.lib import dates
from collagen_coach.web.plans.models import PlannedSession
from collagen_coach.web.plans.services import paused_days_of
from collagen_coach.web.practice.models import Practice, SessionNote
from collagen_coach.web.progress.models import ProgressPage

MISSED_DAYS = 7
MISSED_AT_LEAST = 2
PAIN_DAYS = 7
ENDING_DAYS = 7
VERDICT_DAYS = 7
NOTE_DAYS = 14

# The signals in the order a practitioner reads them, with their names on a filter button.
SIGNALS: dict[str, str] = {
    "missed": "Missed sessions",
    "pain": "Pain or redness",
    "restriction": "Restriction ending",
    "verdict": "Progress verdicts changed",
    "note": "Note to write",
}


@dataclass(frozen=True)
class Reason:
    """One reason a client needs attention: in plain words, in a few words for a compact row,
    and the signal it belongs to."""

    signal: str
    words: str
    short: str


@dataclass
class ClientDay:
    """One client's day as the practice sees it: planned today, and why they need attention."""

    client_id: int
    planned_today: bool = False
    done_today: bool = False
    reasons: list[Reason] = field(default_factory=list)
    # The moment a signal of the day ends by itself (new verdicts are new for a week).
    holds_until: dt.datetime | None = None

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)

    @property
    def signals(self) -> set[str]:
        return {reason.signal for reason in self.reasons}

    def has(self, signal: str) -> bool:
        """Give whether the client shows ``signal`` ("attention": any of them)."""
        return self.needs_attention if signal == "attention" else signal in self.signals


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _verdicts(day: dt.date, changes: list[list[str]]) -> Reason:
    """Give the reason of verdicts that changed on ``day``: the first named, with from what to
    what, and how many more."""
    title, was, now = changes[0]
    first = f"{title.lower()} now {VERDICT_WORDS[now]} (was {VERDICT_WORDS[was]})"  # type: ignore[index]
    more = f", and {len(changes) - 1} more" if len(changes) > 1 else ""
    return Reason(
        "verdict",
        f"progress verdicts changed on {_day(day)}: {first}{more}",
        "verdicts changed",
    )


def _missed(planned: int, missed: int, latest: dt.date) -> Reason:
    return Reason(
        "missed",
        f"missed {missed} of {planned} planned sessions in the last {MISSED_DAYS} "
        f"days (the latest on {_day(latest)})",
        f"missed {missed} of {planned}",
    )


def _hurt(sessions: list[tuple[dt.date, bool, bool]]) -> Reason | None:
    """Give the reason for the sessions (day, pain, redness) logged with pain or redness."""
    if not sessions:
        return None
    pain = any(p for _, p, _ in sessions)
    redness = any(r for _, _, r in sessions)
    what = " and ".join(w for w, yes in (("pain", pain), ("lasting redness", redness)) if yes)
    latest = sessions[-1][0]
    if len(sessions) == 1:
        words = f"reported {what} at the session of {_day(latest)}"
    else:
        words = (
            f"reported {what} at {len(sessions)} sessions in the last {PAIN_DAYS} days "
            f"(the latest on {_day(latest)})"
        )
    return Reason("pain", words, f"{what} {latest.day} {latest:%b}")


def _unnoted(days: list[dt.date]) -> Reason | None:
    """Give the reason for the sessions done in the clinic (on ``days``) without a note."""
    if not days:
        return None
    latest = days[-1]
    if len(days) == 1:
        words = f"no note yet on the session in the clinic on {_day(latest)}"
    else:
        words = f"no note yet on {len(days)} sessions in the clinic (the latest on {_day(latest)})"
    return Reason("note", words, f"{len(days)} note{'s' if len(days) > 1 else ''} to write")


def _ending(stored: dict[str, Any], today: dt.date) -> list[Reason]:
    """Give the newest safety check's limits that lift from today to ``ENDING_DAYS`` ahead."""
    first, last = today.isoformat(), (today + dt.timedelta(days=ENDING_DAYS)).isoformat()
    ends = [stored.get("resume_on")] + [r.get("until") for r in stored.get("restrictions", [])]
    if not any(isinstance(end, str) and first <= end <= last for end in ends):
        return []  # nothing ends in the window: no need to read the whole decision
    decision = Decision.model_validate(stored)
    later = decision.restrictions_on(today + dt.timedelta(days=ENDING_DAYS))
    lifting = [r for r in decision.restrictions_on(today - dt.timedelta(days=1)) if r not in later]
    reasons = []
    for restriction in lifting:
        until = restriction.until or today
        verb = "lifts" if until > today else "lifted"
        what = "pause" if restriction.decision == "defer" else "limit"
        when = "today" if until == today else f"on {_day(until)}"
        reasons.append(
            Reason(
                "restriction",
                f"{what} {verb} {when}: {restriction.reason.rstrip('.')}",
                f"{what} {verb} {when}",
            )
        )
    if not reasons and decision.decision == "defer" and decision.resume_on is not None:
        # A pause set by hand holds no per-rule end: its resume day is the end.
        words = f"pause ends on {_day(decision.resume_on)}"
        reasons.append(Reason("restriction", words, words))
    return reasons


def practice_clients(practice: Practice) -> QuerySet[Client]:
    """Give the practice's clients (and nobody else's)."""
    return Client.objects.filter(practice=practice)


def practice_day(
    practice: Practice, today: dt.date | None = None, only: Collection[int] | None = None
) -> dict[int, ClientDay]:
    """Give every client of ``practice`` (or those of them in ``only``) by id with their day:
    planned today, and the reasons they need attention. Eight queries, whatever the number of
    clients and their history."""
    today = today or dates.today()
    mine = Q(client__practice=practice)
    clients = practice_clients(practice)
    current = PlannedSession.objects.filter(
        program__client__practice=practice, program__is_current=True
    )
    if only is not None:
        mine &= Q(client_id__in=only)
        clients = clients.filter(pk__in=only)
        current = current.filter(program__client_id__in=only)
    days = {pk: ClientDay(pk) for pk in clients.values_list("pk", flat=True)}

    # Only the clients a signal concerns come back, so the rows read stay few: today's
    # sessions (one a client), and the days behind the signals.
    completed = SessionLog.objects.filter(mine, status=SessionStatus.COMPLETED)
    for pk in current.filter(date=today).values_list("program__client_id", flat=True):
        if pk in days:
            days[pk].planned_today = True
    for pk in completed.filter(planned_date=today).values_list("client_id", flat=True):
        if pk in days:
            days[pk].done_today = True

    # Correlated on the client and the day alone: the (client, planned day) index answers it.
    done_that_day = SessionLog.objects.filter(
        client=OuterRef("program__client"),
        planned_date=OuterRef("date"),
        status=SessionStatus.COMPLETED,
    )
    window = current.filter(date__gte=today - dt.timedelta(days=MISSED_DAYS), date__lt=today)
    missed = list(
        window.filter(~Exists(done_that_day))
        .order_by()
        .values("program__client_id")
        .annotate(missed=Count("pk"), latest=Max("date"))
        .filter(missed__gte=MISSED_AT_LEAST)
        .values_list("program__client_id", "missed", "latest")
    )
    planned = dict(
        window.filter(program__client_id__in=[pk for pk, _, _ in missed])
        .order_by()
        .values("program__client_id")
        .annotate(planned=Count("pk"))
        .values_list("program__client_id", "planned")
    )
    # A day her safety check left nothing of was not missed (plans.services.paused_days).
    not_done: dict[int, list[Session]] = defaultdict(list)
    for pk, day, phase, steps in window.filter(
        ~Exists(done_that_day), program__client_id__in=list(planned)
    ).values_list("program__client_id", "date", "phase", "steps"):
        not_done[pk].append(Session.model_validate({"date": day, "phase": phase, "steps": steps}))
    paused = paused_days_of(not_done)
    found: dict[int, list[Reason | None]] = defaultdict(list)
    for pk, count, latest in missed:
        if paused.get(pk):
            count -= len(paused[pk])
            latest = max((s.date for s in not_done[pk] if s.date not in paused[pk]), default=None)
        if count >= MISSED_AT_LEAST:
            found[pk].append(
                _missed(planned.get(pk, count) - len(paused.get(pk, ())), count, _as_date(latest))
            )

    hurt: dict[int, list[tuple[dt.date, bool, bool]]] = defaultdict(list)
    for pk, day, pain, redness in (
        SessionLog.objects.filter(
            mine,
            Q(pain=True) | Q(redness=True),
            planned_date__range=(today - dt.timedelta(days=PAIN_DAYS), today),
        )
        .order_by("planned_date", "started_at", "pk")
        .values_list("client_id", "planned_date", "pain", "redness")
    ):
        hurt[pk].append((day, bool(pain), bool(redness)))

    unnoted: dict[int, list[dt.date]] = defaultdict(list)
    for pk, day in (
        completed.filter(
            ~Exists(SessionNote.objects.filter(session_log=OuterRef("pk"))),
            place="clinic",
            planned_date__range=(today - dt.timedelta(days=NOTE_DAYS), today),
        )
        .order_by("planned_date", "started_at", "pk")
        .values_list("client_id", "planned_date")
    ):
        unnoted[pk].append(day)

    for pk in set(hurt) | set(unnoted):
        found[pk] += [_hurt(hurt[pk]), _unnoted(unnoted[pk])]
    for pk, reasons in found.items():
        if pk in days:
            days[pk].reasons.extend(reason for reason in reasons if reason is not None)

    newest = IntakeRecord.objects.filter(client=OuterRef("client")).order_by("-created_at", "-id")
    for client_id, stored in IntakeRecord.objects.filter(
        mine,
        decision_kind__in=["modify", "defer"],
        pk=Subquery(newest.values("pk")[:1]),
    ).values_list("client_id", "decision"):
        if client_id in days:
            days[client_id].reasons.extend(_ending(stored, today))

    since = dates.now() - dt.timedelta(days=VERDICT_DAYS)
    for client_id, changed_at, changes in ProgressPage.objects.filter(
        mine, verdicts_changed_at__gte=since
    ).values_list("client_id", "verdicts_changed_at", "verdict_changes"):
        if client_id in days and changes and changed_at is not None:
            on = timezone.localtime(changed_at).date()
            days[client_id].holds_until = changed_at + dt.timedelta(days=VERDICT_DAYS)
            days[client_id].reasons.append(_verdicts(on, changes))

    order = list(SIGNALS)
    for one in days.values():
        one.reasons.sort(key=lambda r: order.index(r.signal))
    return days


def signal_counts(days: dict[int, ClientDay]) -> dict[str, int]:
    """Give how many clients show each signal, "attention" (any) and "today" (planned today)."""
    counts = dict.fromkeys(("attention", "today", *SIGNALS), 0)
    for one in days.values():
        counts["attention"] += one.needs_attention
        counts["today"] += one.planned_today
        for signal in one.signals:
            counts[signal] += 1
    return counts


def _as_date(value: Any) -> dt.date:
    """Give a date from what a database gives back for one (a date, or its ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
