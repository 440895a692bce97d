"""Today as a coach: this week at a glance, what to measure on a baseline day, the habit so far,
what changed since last week and when progress can first be judged.

Every sentence here is about the day it is shown: it counts only what is recorded up to then
(sessions done as ``core.adherence`` counts them, photos and ratings saved in the journal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Exists, OuterRef

from collagen_coach.core.adherence import Adherence, measure_adherence, week_start
from collagen_coach.core.baseline import SKIP_COST, pause_words, verdict_sentence
from collagen_coach.core.measures import MIN_BASELINE
from collagen_coach.core.planning import Program
from collagen_coach.core.trials import OFF_WEEK_WORDS, is_measuring_day, off_day_words
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import (
    InstrumentReading,
    PeptideIntake,
    PhotoMeasurement,
    SelfRating,
    SessionLog,
    SessionStatus,
)
from collagen_coach.web.photos.models import Photo
from collagen_coach.web.plans.services import baseline_measured, paused_days
from collagen_coach.web.plans.words import baseline_view

DayState = Literal[
    "baseline",
    "measured",
    "planned",
    "done",
    "partly",
    "paused",
    "missed",
    "off",
    "rest",
    "before",
]
DAY_WORDS: dict[DayState, str] = {
    "baseline": "baseline day",
    "measured": "measured",
    "planned": "session",
    "done": "done",
    "partly": "partly done",
    "paused": "paused (safety check)",
    "missed": "missed",
    "off": "off week",
    "rest": "rest",
    "before": "before your plan",
}


@dataclass(frozen=True)
class StripDay:
    """One day of the week strip."""

    date: dt.date
    state: DayState
    words: str
    is_today: bool


PhotoState = Literal["none", "checking", "saved", "failed"]


@dataclass(frozen=True)
class Measured:
    """What was measured on one day. ``photo_state`` says where the day's photo stands: none
    uploaded, uploaded and being checked, saved (it passed, or a measurement was entered), or
    every upload failed the quality check (or could not be analysed)."""

    photo_state: PhotoState
    rating: bool
    readings: bool

    @property
    def photo(self) -> bool:
        """Give whether the day's photo counts as taken (saved, or uploaded and being checked)."""
        return self.photo_state in ("checking", "saved")

    @property
    def both(self) -> bool:
        """Give whether the day's photo and rating are both taken."""
        return self.photo and self.rating


@dataclass(frozen=True)
class SessionDays:
    """The days of a client's sessions: ``done`` those with a completed session, ``partly``
    those with one started but none completed (as ``journal.services.done_session_dates`` and
    ``partial_session_dates`` give them), both in order; ``paused`` the planned days her safety
    check left nothing of (``plans.services.paused_days``)."""

    done: list[dt.date]
    partly: list[dt.date]
    paused: frozenset[dt.date] = frozenset()


def session_days(client: Client, program: Program | None = None) -> SessionDays:
    """Give the days with a completed session and those only partly done, read in one query,
    and the days of ``program`` her safety check paused, in one more: a page that needs them
    (the strip, the habit, this week against the last) asks once."""
    states = (
        SessionLog.objects.filter(client=client)
        .values_list("planned_date", "status")
        .distinct()
        .order_by()
    )
    done: set[dt.date] = set()
    started: set[dt.date] = set()
    for day, status in states:
        if status == SessionStatus.COMPLETED:
            done.add(day)
        elif status in (SessionStatus.IN_PROGRESS, SessionStatus.ABANDONED):
            started.add(day)
    paused = paused_days(client.pk, program.sessions) if program is not None else frozenset()
    return SessionDays(done=sorted(done), partly=sorted(started - done), paused=paused)


def photo_state_on(client: Client, day: dt.date) -> PhotoState:
    """Give where the photo of ``day`` stands (see ``Measured``)."""
    return _measured_flags(client, day)[0]


def _measured_flags(client: Client, day: dt.date) -> tuple[PhotoState, bool, bool]:
    """Give where the photo of ``day`` stands and whether a rating and readings were saved for
    it, in one query (two when photos were uploaded that day and none measured well)."""
    on_day = {"client": OuterRef("pk"), "date": day}
    flags = (
        Client.objects.filter(pk=client.pk)
        .values_list(
            Exists(PhotoMeasurement.objects.filter(**on_day, ok=True)),
            Exists(PhotoMeasurement.objects.filter(**on_day)),
            Exists(Photo.objects.filter(client=OuterRef("pk"), taken_on=day)),
            Exists(SelfRating.objects.filter(**on_day)),
            Exists(InstrumentReading.objects.filter(**on_day)),
        )
        .get()
    )
    measured_ok, measured, uploaded, rating, readings = flags
    state: PhotoState = "none"
    if measured_ok:
        state = "saved"
    elif uploaded:
        photos = list(
            Photo.objects.filter(client=client, taken_on=day).select_related("measurement")
        )
        if any(p.pending for p in photos):
            state = "checking"
        elif any(p.passed for p in photos):
            state = "saved"
        elif photos or measured:
            state = "failed"
    elif measured:
        state = "failed"
    return state, rating, readings


def measured_on(client: Client, day: dt.date) -> Measured:
    """Give where the photo of ``day`` stands, and whether a rating and instrument readings were
    saved for it."""
    photo_state, rating, readings = _measured_flags(client, day)
    return Measured(photo_state=photo_state, rating=rating, readings=readings)


def essentials(
    program: Program, client: Client, today: dt.date, days: SessionDays | None = None
) -> dict[str, Any]:
    """Give what today holds for this person, as both Today and the home page show it: the
    week strip and its key, the baseline week as of today (a baseline day's photo and rating,
    or the day between), what is measured today, and when progress can first be judged.

    The one owner of these facts, so that the two pages cannot disagree (the partials
    guide/_week_strip.html and guide/_baseline_today.html show them). ``days``: the client's
    session days, when the page has read them already (:func:`session_days`)."""
    strip = week_strip(program, client, today, days)
    shortfall, short = baseline_short(program, client, today)
    return {
        "baseline": baseline_view(program, today, baseline_measured(client, program)),
        "strip": strip,
        "legend": legend(strip),
        "measured": measured_on(client, today),
        "shortfall": shortfall,
        "verdict_words": verdict_sentence(program, today, short),
        "pause_words": pause_words(program),
        "skip_cost": SKIP_COST,
        "off_week": OFF_WEEK_WORDS if program.is_off(today) else "",
        **off_day(program, today),
    }


def off_day(program: Program, today: dt.date) -> dict[str, Any]:
    """Give what Today says on a day of an off week (``core.trials.off_day_words``) and whether
    it is a measuring day; nothing on any other day."""
    if not program.is_off(today):
        return {}
    sessions = {s.date for s in program.sessions}
    block_end = next(last for first, last in program.off_spans if first <= today <= last)
    later = [today + dt.timedelta(days=n) for n in range(1, (block_end - today).days + 1)]
    measuring = is_measuring_day(today, sessions)
    next_measuring = next((d for d in later if is_measuring_day(d, sessions)), None)
    massage_again = min((d for d in sessions if d > today), default=None)
    return {
        "off_day": off_day_words(measuring, next_measuring, massage_again),
        "off_day_measuring": measuring,
    }


def week_strip(
    program: Program, client: Client, today: dt.date, sessions: SessionDays | None = None
) -> list[StripDay]:
    """Give Monday to Sunday of ``today``'s week, each day as planned and as done."""
    monday = week_start(today)
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    sessions = sessions or session_days(client, program)
    done, partly, paused = set(sessions.done), set(sessions.partly), sessions.paused
    measured = _measured_days(client, days[0], days[-1])
    begins = min([*program.baseline_days, *(s.date for s in program.sessions[:1])], default=None)
    strip = []
    for day in days:
        state: DayState = "rest"
        if begins is None or day < begins:
            state = "before"
        elif program.baseline_day_number(day) is not None:
            state = "measured" if day in measured else "baseline"
        elif day in done:
            state = "done"
        elif day in partly:
            state = "partly"
        elif day in paused:
            state = "paused"
        elif program.session_on(day) is not None:
            state = "missed" if day < today else "planned"
        elif program.is_off(day):
            state = "off"
        strip.append(StripDay(day, state, DAY_WORDS[state], day == today))
    return strip


def legend(strip: list[StripDay]) -> list[tuple[DayState, str]]:
    """Give the states the strip shows, with their words, in a fixed order (for its key)."""
    shown = {day.state for day in strip}
    return [(state, words) for state, words in DAY_WORDS.items() if state in shown]


def _measured_days(client: Client, start: dt.date, end: dt.date) -> set[dt.date]:
    """Give the days from ``start`` to ``end`` with a photo or a rating saved (one query)."""
    photos = PhotoMeasurement.objects.filter(client=client, date__range=(start, end))
    uploads = Photo.objects.filter(client=client, taken_on__range=(start, end))
    ratings = SelfRating.objects.filter(client=client, date__range=(start, end))
    return set(
        photos.values_list("date", flat=True)
        .order_by()
        .union(
            uploads.values_list("taken_on", flat=True).order_by(),
            ratings.values_list("date", flat=True).order_by(),
        )
    )


def baseline_short(program: Program, client: Client, today: dt.date) -> tuple[str, list[str]]:
    """Give one sentence when the baseline is over with photos or ratings on fewer than
    MIN_BASELINE days, and those measures ("photos", "ratings"); ("", []) otherwise."""
    first = program.treatment_from
    if not program.baseline_days or first is None or today < first:
        return "", []
    since = program.earlier_history_before
    dated = {"date__lt": first, **({"date__gte": since} if since else {})}
    photo_days = PhotoMeasurement.objects.filter(client=client, **dated).dates("date", "day")
    rating_days = SelfRating.objects.filter(client=client, **dated).dates("date", "day")
    photos, ratings = len(photo_days), len(rating_days)
    short = [
        name for name, days in (("photos", photos), ("ratings", ratings)) if days < MIN_BASELINE
    ]
    if not short:
        return "", []
    return (
        f"Your baseline has photos on {photos} and ratings on {ratings} of the {MIN_BASELINE} "
        f"days it needs, so your {' and '.join(short)} cannot be judged against it. A pause "
        "week on your plan page takes the baseline again."
    ), short


def habit(
    program: Program, client: Client, today: dt.date, days: SessionDays | None = None
) -> Adherence:
    """Give the adherence to the plan up to ``today`` (streak and habit strength), its paused
    days left out; ``days``: her session days, when already read (:func:`session_days`)."""
    days = days or session_days(client, program)
    asked = [s.date for s in program.sessions if s.date not in days.paused]
    return measure_adherence(asked, days.done, today=today)


def since_last_week(client: Client, today: dt.date, done: list[dt.date] | None = None) -> str:
    """Give, in one sentence, sessions done this week so far against last week's."""
    monday = week_start(today)
    last_monday = monday - dt.timedelta(days=7)
    if done is None:
        done = journal.done_session_dates(client)
    this_week = sum(1 for d in done if monday <= d <= today)
    last_week = sum(1 for d in done if last_monday <= d < monday)
    if not this_week and not last_week:
        return ""
    return f"This week so far: {this_week} session{_s(this_week)} done; last week: {last_week}."


def peptide_item(program: Program) -> str | None:
    """Give the name of the plan's daily peptides item, or None when the plan lists none."""
    return next((i.name for i in program.daily if "peptide" in i.name.lower()), None)


def peptides_taken(client: Client, day: dt.date) -> PeptideIntake | None:
    """Give the dose of peptides recorded for ``day``, if any."""
    return PeptideIntake.objects.filter(client=client, date=day).order_by("-pk").first()


def dose_words(dose: PeptideIntake) -> str:
    """Give a dose as the tick says it: "Verisol, 5 g" (or "5 g" without a product)."""
    grams = f"{dose.grams.normalize():f} g"
    return f"{dose.product}, {grams}" if dose.product else grams


def _s(count: int) -> str:
    return "" if count == 1 else "s"
