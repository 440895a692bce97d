"""The guided session in the browser: today's overview, the player, and the player's saves.

The player (static/js/session.js) keeps time itself, on absolute deadlines; the server stores the
session log as it goes: a log when the session starts, each step as it ends, then the comfort
feedback. Those saves are small JSON endpoints that answer 400 with a JSON body naming the field
and what is allowed, 401 when signed out and 404 for anyone else's log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collagen_coach.core.cues import CONTINUING_CUE, ENDED_CUE, GENTLER_ADVICE
from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import parse_json
from collagen_coach.core.words import day_in_words, whole_minutes
from collagen_coach.web.clients.access import client_of, get_own_or_404
from collagen_coach.web.clients.models import Client
from collagen_coach.web.guide import coach
from collagen_coach.web.guide.cards import session_cards
from collagen_coach.web.guide.services import (
    areas_to_leave_alone,
    resumed_cards,
    session_ending,
    todays_session,
)
from collagen_coach.web.journal import checks
from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import SessionLog, SessionStatus
from collagen_coach.web.lib import kept
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.lib.offline import kept_offline
from collagen_coach.web.plans.services import current_stored_program, planned_sessions

SPEED_MIN, SPEED_MAX = 1, 600
LOOK_AHEAD_DAYS = 400

JsonView = Callable[..., HttpResponse]


# --- pages ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def today(request: HttpRequest) -> HttpResponse:
    """Give today as a coach: the week at a glance, what is next (a baseline day's photo and
    rating, today's session or the next one's date), the peptide tick, the habit so far, what
    changed since last week and when progress can first be judged. A POST ticks today's
    peptides (``product``, ``grams``)."""
    client = client_of(request)
    day = computer_today()
    if request.method == "POST":
        return _tick_peptides(request, client, day)
    # Kept until her records change (her stamp, read with her) or the day does.
    parts = (request.user.pk, client.pk, client.changed, day)
    page = kept.page(request, "coach-today", parts, lambda: _today_page(request, client, day))
    return kept_offline(page)


def _tick_peptides(request: HttpRequest, client: Client, day: dt.date) -> HttpResponse:
    """Save today's peptides ticked on Today (with a plan to follow), then show Today again."""
    if current_stored_program(client) is not None:
        try:
            dose = journal.log_peptides(
                client, day, request.POST.get("grams", ""), request.POST.get("product", "")
            )
        except UserError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Saved: today's peptides, {coach.dose_words(dose)}.")
    return redirect("guide:today")


def _today_page(request: HttpRequest, client: Client, day: dt.date) -> HttpResponse:
    """Make the coach's Today of ``client`` on ``day`` (see :func:`today`)."""
    context: dict[str, Any] = {"nav": "session", "today": day, **kept.MARKED}
    stored = current_stored_program(client)
    if stored is None:
        return render(request, "guide/today.html", {**context, "no_plan": True})
    program = stored.get_program()
    session, is_gentler, left_out = todays_session(client, day, stored)
    context["left_out"] = left_out
    days = coach.session_days(client, program)  # read once: the strip, the habit, the week
    context.update(
        coach.essentials(program, client, day, days),
        habit=coach.habit(program, client, day, days),
        since_last_week=coach.since_last_week(client, day, days.done),
    )
    peptides = coach.peptide_item(program)
    if peptides:
        last = journal.last_dose(client)
        context.update(
            peptides=peptides,
            peptides_today=coach.peptides_taken(client, day),
            last_dose=last,
            last_dose_words=coach.dose_words(last) if last else "",
        )
    if session is None:
        upcoming = planned_sessions(client, day, day + dt.timedelta(days=LOOK_AHEAD_DAYS))
        context["next_date"] = next((s.date for s in upcoming if s.date > day), None)
    else:
        cards = session_cards(session)
        context.update(
            session=session,
            cards=cards,
            minutes=whole_minutes(session.duration_s),
            gentler=is_gentler,
        )
    unfinished = journal.unfinished_session_logs(client)
    context["unfinished"] = [
        {"log": log, "reached": sum(1 for s in log.steps if s["done_s"] is not None)}
        for log in unfinished
    ]
    context["done_today"] = day in days.done
    return render(request, "guide/today.html", context)


@require_GET
def play(request: HttpRequest) -> HttpResponse:
    """Give the player page: today's session, or the unfinished session named by ``?log=``."""
    client = client_of(request)
    day = computer_today()
    speed = _speed(request.GET.get("speed"))
    data: dict[str, Any] = {
        "speed": speed,
        "start_url": reverse("guide:start"),
        "journal_url": reverse("journal:index"),
        "today_url": reverse("guide:today"),
        "date": day.isoformat(),
        "sent_later_url": reverse("phone:send_session"),
        "ended_cue": ENDED_CUE,
        "continuing_cue": CONTINUING_CUE,
    }
    context: dict[str, Any] = {"nav": "session", "speed": speed}
    log_id = request.GET.get("log")
    if log_id is not None:
        if not log_id.isdigit():
            raise Http404("no such session")
        log = get_own_or_404(request, SessionLog, pk=int(log_id))
        if log.status != SessionStatus.IN_PROGRESS:
            messages.info(
                request, f"The session of {day_in_words(log.planned_date)} is already closed."
            )
            return redirect("guide:today")
        cards = resumed_cards(log, client, day)
        data.update(log=_log_urls(log), steps=cards, gentler=False)
        context.update(
            resuming=log,
            cards=cards,
            left_out=[card for card in cards if card["left_out"]],
            avoid_zones=areas_to_leave_alone(client, day, log.program),
        )
    else:
        if current_stored_program(client) is None:
            return redirect("guide:today")
        session, is_gentler, _ = todays_session(client, day)
        if session is None:
            return redirect("guide:today")
        if journal.unfinished_session_logs(client):
            messages.info(request, "You have a session not finished yet: continue it or close it.")
            return redirect("guide:today")
        cards = session_cards(session)
        data.update(log=None, steps=cards, gentler=is_gentler)
        context.update(
            cards=cards,
            gentler=is_gentler,
            avoid_zones=areas_to_leave_alone(client, day, current_stored_program(client)),
        )
    context.update(player=data, minutes=whole_minutes(sum(c["duration_s"] for c in cards)))
    return kept_offline(render(request, "guide/play.html", context))


@require_POST
def abandon(request: HttpRequest, log_id: int) -> HttpResponse:
    """Mark an unfinished session as stopped early (it still counts as partial); back to today."""
    log = get_own_or_404(request, SessionLog, pk=log_id)
    try:
        journal.abandon_session_log(log)
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"The session of {day_in_words(log.planned_date)} is recorded as stopped early.",
        )
    return redirect("guide:today")


# --- the player's saves (JSON) ------------------------------------------------------------------


def _json_view(view: JsonView) -> JsonView:
    """Answer 401 JSON when signed out, 404 JSON for anyone else's log, 400 JSON on bad input."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _error(401, "", "you are signed out", "sign in again, then continue")
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _error(404, "session", "no such session")
        except UserError as exc:
            return _error(400, exc.field, exc.problem, exc.allowed)

    return login_not_required(wrapped)


@require_POST
@_json_view
def start(request: HttpRequest) -> HttpResponse:
    """Start today's session: save a new log (closing any left unfinished) and give its steps.

    Answers ``{"log": {"id", "date", "step_url", "finish_url"}, "steps": [...], "gentler"}``.
    """
    _body(request)
    client = client_of(request)
    day = computer_today()
    if current_stored_program(client) is None:
        raise UserError("plan", "there is no plan yet", "make a plan first")
    session, is_gentler, _ = todays_session(client, day)
    if session is None:
        raise UserError("date", f"no session is planned today ({day})")
    for stale in journal.unfinished_session_logs(client):
        journal.abandon_session_log(stale)  # as the terminal player does: it counts as partial
    log = journal.start_session_log(client, day, session=session)
    return JsonResponse(
        {"log": _log_urls(log), "steps": session_cards(session), "gentler": is_gentler},
        status=201,
    )


@require_POST
@_json_view
def step(request: HttpRequest, log_id: int) -> HttpResponse:
    """Save how one step went: ``{"step": 0, "done_s": 60, "skipped": false, "ending": false}``.

    Answers ``{"log", "step", "status", "steps_done", "steps_skipped", "done_s"}``; with
    ``"ending": true`` (the session's last save) also ``"ending"``: the end words, streak and
    week's minutes for the session played to its end and stopped early (services.session_ending).
    """
    body = _body(request)
    log = get_own_or_404(request, SessionLog, pk=log_id)
    for name in ("step", "done_s"):
        if name not in body:
            raise UserError(name, "is missing", "a whole number")
    skipped = body.get("skipped", False)
    if not isinstance(skipped, bool):
        raise UserError("skipped", f"{skipped!r} is not true or false", "true or false")
    ending = body.get("ending", False)
    if not isinstance(ending, bool):
        raise UserError("ending", f"{ending!r} is not true or false", "true or false")
    journal.record_step(log, body["step"], body["done_s"], skipped)
    answer: dict[str, Any] = {
        "log": log.pk,
        "step": body["step"],
        "status": log.status,
        "steps_done": log.steps_done,
        "steps_skipped": log.steps_skipped,
        "done_s": log.done_s,
    }
    if ending:
        answer["ending"] = session_ending(log, computer_today())
    return JsonResponse(answer)


@require_POST
@_json_view
def finish(request: HttpRequest, log_id: int) -> HttpResponse:
    """Close the session with comfort feedback: ``{"pain", "redness", "note", "stopped"}``.

    ``pain`` and ``redness`` are true, false or null (not said). The session is completed unless
    it was stopped early or less than half its time was massage; then it is recorded as stopped
    early. Answers ``{"log", "status", "done_s", "planned_s", "steps_done", "steps_skipped",
    "gentler_next", "message"}``.
    """
    body = _body(request)
    log = get_own_or_404(request, SessionLog, pk=log_id)
    pain = checks.yes_no(body, "pain")
    redness = checks.yes_no(body, "redness")
    note = body.get("note", "")
    if not isinstance(note, str):
        raise UserError(
            "note", "is not text", f"text of at most {checks.NOTE_MAX_CHARS} characters"
        )
    stopped = body.get("stopped", False)
    if not isinstance(stopped, bool):
        raise UserError("stopped", f"{stopped!r} is not true or false", "true or false")
    reached_all = all(row["done_s"] is not None for row in log.steps)
    if journal.close_session_log(
        log, played_to_end=not stopped and reached_all, pain=pain, redness=redness, note=note
    ):
        message = "Session saved in your journal. Well done."
    else:
        message = "Saved in your journal as stopped early (it counts as a partial session)."
    gentler_next = bool(pain or redness)
    if gentler_next:
        message += " " + GENTLER_ADVICE
    return JsonResponse(
        {
            "log": log.pk,
            "status": log.status,
            "done_s": log.done_s,
            "planned_s": log.planned_s,
            "steps_done": log.steps_done,
            "steps_skipped": log.steps_skipped,
            "gentler_next": gentler_next and journal.needs_gentler_session(client_of(request)),
            "message": message,
        }
    )


# --- helpers ------------------------------------------------------------------------------------


def _log_urls(log: SessionLog) -> dict[str, Any]:
    return {
        "id": log.pk,
        "date": log.planned_date.isoformat(),
        "step_url": reverse("guide:step", args=[log.pk]),
        "finish_url": reverse("guide:finish", args=[log.pk]),
    }


def _speed(text: str | None) -> int:
    """Give the clock's speed-up for tests and demonstrations (1–600), 1 when not given or bad."""
    if text is None or not text.isdigit():
        return 1
    return min(SPEED_MAX, max(SPEED_MIN, int(text)))


def _body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    body = parse_json(request.body, "body")
    if not isinstance(body, dict):
        raise UserError("body", "is not a JSON object", "a JSON object") from None
    return body


def _error(status: int, field: str, problem: str, allowed: str | None = None) -> JsonResponse:
    message = UserError(field, problem, allowed).message
    return JsonResponse(
        {"error": {"field": field, "problem": problem, "allowed": allowed}, "message": message},
        status=status,
    )
