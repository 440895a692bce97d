"""Who in a practice needs attention today, and why: the one owner of each signal's rule.

The practitioner's home and the client list both read :func:`practice_day`, so the counts on
one always agree with the other. Each signal looks at a short, fixed window of days, so the
whole practice is read in five queries whatever the number of clients and the length of their
history:

- **missed**: at least ``MISSED_AT_LEAST`` of the current plan's sessions in the last
  ``MISSED_DAYS`` days (today left out: it is not over) have no completed session;
- **pain**: a session of the last ``PAIN_DAYS`` days (today included) was logged with pain
  during it or redness lasting afterwards;
- **restriction**: a limit of the newest safety check lifts today or within ``ENDING_DAYS``
  days (``Decision.restrictions_on`` decides which limits hold on a day), or a pause ends then;
- **verdict**: the progress analysis was worked out again with new measurements in the last
  ``VERDICT_DAYS`` days (the stored analysis' own time), so its verdicts may read otherwise;
- **note**: a session done in the clinic in the last ``NOTE_DAYS`` days has no session note.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from collagen_coach.core.screening import Decision
from collagen_coach.web.clients.models import Client, IntakeRecord
from collagen_coach.web.journal.models import SessionLog, SessionStatus
from collagen_coach.web.lib import dates
from collagen_coach.web.plans.models import PlannedSession
from collagen_coach.web.practice.models import Practice, SessionNote
from collagen_coach.web.progress.models import ProgressPart

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
    "verdict": "New progress verdicts",
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


def _missed(planned: set[dt.date], done: set[dt.date], today: dt.date) -> Reason | None:
    window = {d for d in planned if today - dt.timedelta(days=MISSED_DAYS) <= d < today}
    missed = sorted(window - done)
    if len(missed) < MISSED_AT_LEAST:
        return None
    return Reason(
        "missed",
        f"missed {len(missed)} of {len(window)} planned sessions in the last {MISSED_DAYS} "
        f"days (the latest on {_day(missed[-1])})",
        f"missed {len(missed)} of {len(window)}",
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


def practice_day(practice: Practice, today: dt.date | None = None) -> dict[int, ClientDay]:
    """Give every client of ``practice`` by id with their day: planned today, and the reasons
    they need attention. Five queries, whatever the number of clients and their history."""
    today = today or dates.today()
    mine = Q(client__practice=practice)
    days = {pk: ClientDay(pk) for pk in practice_clients(practice).values_list("pk", flat=True)}

    planned: dict[int, set[dt.date]] = defaultdict(set)
    for client_id, day in PlannedSession.objects.filter(
        program__client__practice=practice,
        program__is_current=True,
        date__range=(today - dt.timedelta(days=MISSED_DAYS), today),
    ).values_list("program__client_id", "date"):
        planned[client_id].add(day)

    done: dict[int, set[dt.date]] = defaultdict(set)
    hurt: dict[int, list[tuple[dt.date, bool, bool]]] = defaultdict(list)
    unnoted: dict[int, list[dt.date]] = defaultdict(list)
    noted = SessionNote.objects.filter(session_log=OuterRef("pk"))
    window = max(NOTE_DAYS, MISSED_DAYS, PAIN_DAYS)
    logs = (
        SessionLog.objects.filter(
            mine, planned_date__range=(today - dt.timedelta(days=window), today)
        )
        .annotate(noted=Exists(noted))
        .order_by("planned_date", "started_at", "pk")
        .values_list("client_id", "planned_date", "status", "pain", "redness", "place", "noted")
    )
    for client_id, day, status, pain, redness, place, has_note in logs:
        one = days.get(client_id)
        if one is None:
            continue
        completed = status == SessionStatus.COMPLETED
        if completed:
            done[client_id].add(day)
        if (pain or redness) and day >= today - dt.timedelta(days=PAIN_DAYS):
            hurt[client_id].append((day, bool(pain), bool(redness)))
        if completed and place == "clinic" and not has_note:
            unnoted[client_id].append(day)

    for client_id, one in days.items():
        one.planned_today = today in planned[client_id]
        one.done_today = today in done[client_id]
        found = [
            _missed(planned[client_id], done[client_id], today),
            _hurt(hurt[client_id]),
            _unnoted(unnoted[client_id]),
        ]
        one.reasons.extend(reason for reason in found if reason is not None)

    newest = IntakeRecord.objects.filter(client=OuterRef("client")).order_by("-created_at", "-id")
    for client_id, stored in IntakeRecord.objects.filter(
        mine,
        decision_kind__in=["modify", "defer"],
        pk=Subquery(newest.values("pk")[:1]),
    ).values_list("client_id", "decision"):
        if client_id in days:
            days[client_id].reasons.extend(_ending(stored, today))

    since = dates.now() - dt.timedelta(days=VERDICT_DAYS)
    worked: dict[int, dt.datetime] = {}
    for client_id, made_at in ProgressPart.objects.filter(mine, made_at__gte=since).values_list(
        "client_id", "made_at"
    ):
        worked[client_id] = max(made_at, worked.get(client_id, made_at))
    for client_id, made_at in worked.items():
        if client_id in days:
            day = timezone.localtime(made_at).date()
            days[client_id].reasons.append(
                Reason(
                    "verdict",
                    f"progress worked out again with new measurements on {_day(day)}",
                    "new progress verdicts",
                )
            )

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
