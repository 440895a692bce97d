"""My plan: the profile it is made for, the program phase by phase, and re-planning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from collagen_coach.core import baseline
from collagen_coach.core.adherence import week_start
from collagen_coach.core.errors import UserError
from collagen_coach.core.planning import Profile, Program, Session, baseline_dates, build_plan
from collagen_coach.core.screening import Decision, Intake
from collagen_coach.core.words import PHASE_NAMES
from collagen_coach.web.clients.access import client_of
from collagen_coach.web.clients.models import Client, IntakeRecord
from collagen_coach.web.clients.services import latest_intake_record, latest_profile
from collagen_coach.web.clients.words import decision_context
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.plans.forms import ProfileForm
from collagen_coach.web.plans.services import (
    baseline_measured,
    current_program,
    current_stored_program,
    save_program,
    trial_power_lines,
)
from collagen_coach.web.plans.words import (
    SIDE_WORDS,
    baseline_view,
    day_list,
    long_day,
    session_view,
    trial_view,
)

# The sessions a week the form starts from (the planner's own default).
DEFAULT_DAYS_PER_WEEK: int = Profile.model_fields["days_per_week"].default


def _week_shown(program: Program, today: dt.date) -> tuple[str, list[Session]]:
    """Give the title and sessions of the week to show: this one, or the first if not begun."""
    if not program.sessions:
        return "", []
    first = program.sessions[0].date
    monday = week_start(today)
    title = "This week"
    if first > monday + dt.timedelta(days=6):
        monday, title = week_start(first), "Your first week"
    sunday = monday + dt.timedelta(days=6)
    return title, [s for s in program.sessions if monday <= s.date <= sunday]


def _newest_intake(client: Client) -> tuple[IntakeRecord, Intake, Decision] | None:
    record = latest_intake_record(client)
    if record is None:
        return None
    return record, record.get_intake(), record.get_decision()


def _can_plan(decision: Decision) -> bool:
    return decision.decision in ("go", "modify")


def plan(request: HttpRequest) -> HttpResponse:
    """Give the current plan phase by phase, or say what has to come first."""
    client = client_of(request)
    today = computer_today()
    newest = _newest_intake(client)
    if newest is None:
        messages.info(request, "Before a plan can be made, please answer the safety questions.")
        return redirect("clients:intake")
    record, _, decision = newest
    stored = current_stored_program(client)
    context: dict[str, Any] = {"nav": "plan", "record": record, "today": today}
    if not _can_plan(decision):
        context.update(decision_context(decision))
        context["has_plan"] = stored is not None
        return render(request, "plans/no_plan.html", context)
    if stored is None:
        return redirect("plans:profile")
    program = stored.get_program()
    week_title, week = _week_shown(program, today)
    last_day = program.sessions[-1].date if program.sessions else None
    context.update(
        {
            "stored": stored,
            "program": program,
            "profile": program.profile,
            "phases": [
                {
                    "name": PHASE_NAMES[p.name],
                    "goal": p.goal,
                    "start": p.start,
                    "end": p.end,
                    "is_current": p.start <= today <= p.end,
                }
                for p in program.phases
            ],
            "week_title": week_title,
            "week": [session_view(s, today) for s in week],
            "sessions_count": len(program.sessions),
            "has_session_today": program.session_on(today) is not None,
            "ended": last_day is not None and last_day < today,
            "last_day": last_day,
            "newer_intake": record.created_at > stored.created_at,
            "side_words": SIDE_WORDS[program.profile.treated_side],
            "baseline": baseline_view(program, today, baseline_measured(client, program)),
            "pause_words": baseline.pause_words(program),
            "skip_cost": baseline.SKIP_COST,
            "verdict_words": baseline.verdict_sentence(program, today),
            "pause_keeps": baseline.PAUSE_KEEPS,
            "pause_days": day_list(baseline_dates(today)),
            "trial": trial_view(
                program,
                trial_power_lines(
                    client,
                    program,
                    program.profile.days_per_week,
                    split_face=program.profile.treated_side != "both",
                    on_off=program.profile.schedule == "on_off",
                    plan_weeks=program.profile.weeks,
                ),
            ),
        }
    )
    return render(request, "plans/plan.html", context)


def _trial_power(client: Client, per_week: int) -> dict[str, list[str]]:
    """Give the weeks each trial would need, in words, as the form offers them."""
    program = current_program(client)
    return {
        "split_power": trial_power_lines(client, program, per_week, split_face=True, on_off=False),
        "on_off_power": trial_power_lines(client, program, per_week, split_face=False, on_off=True),
    }


def _make_plan(
    request: HttpRequest, client: Client, profile: Profile, decision: Decision
) -> Program:
    program = build_plan(profile, decision)
    save_program(client, program)
    message = f"Your plan is ready: {len(program.sessions)} sessions over {profile.weeks} weeks."
    if program.baseline_days and program.treatment_from:
        message += (
            f" It begins with your baseline: photos and a rating on "
            f"{day_list(program.baseline_days)}; your first session is on "
            f"{long_day(program.treatment_from)}."
        )
    if program.profile.side_draw is not None:
        message += " " + program.profile.side_draw.words()
    messages.success(request, message)
    return program


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Give the questions a plan is made for; valid answers make and save a new plan."""
    client = client_of(request)
    today = computer_today()
    newest = _newest_intake(client)
    if newest is None:
        messages.info(request, "Before a plan can be made, please answer the safety questions.")
        return redirect("clients:intake")
    _, intake, decision = newest
    if not _can_plan(decision):
        return redirect("plans:plan")
    saved = latest_profile(client)
    if request.method == "POST":
        form = ProfileForm(
            request.POST, today=today, previous_draw=saved.side_draw if saved else None
        )
        if form.is_valid():
            made = form.profile(intake)
            if saved is not None and saved.baseline_pause_on is not None:
                made = made.model_copy(update={"baseline_pause_on": saved.baseline_pause_on})
            _make_plan(request, client, made, decision)
            return redirect("plans:plan")
    else:
        form = ProfileForm(initial=ProfileForm.initial_from(saved, intake.age, today), today=today)
    return render(
        request,
        "plans/profile.html",
        {
            "nav": "plan",
            "form": form,
            "has_plan": current_stored_program(client) is not None,
            **_trial_power(client, saved.days_per_week if saved else DEFAULT_DAYS_PER_WEEK),
        },
    )


@require_POST
def replan(request: HttpRequest) -> HttpResponse:
    """Make the plan again from the saved profile and the newest safety answers."""
    client = client_of(request)
    today = computer_today()
    newest = _newest_intake(client)
    if newest is None:
        messages.info(request, "Before a plan can be made, please answer the safety questions.")
        return redirect("clients:intake")
    _, intake, decision = newest
    if not _can_plan(decision):
        return redirect("plans:plan")
    saved = latest_profile(client)
    if saved is None:
        return redirect("plans:profile")
    start = saved.start_date
    if start + dt.timedelta(weeks=saved.weeks) <= today:
        # The old plan has run its course: the new one starts today.
        start = today
    _make_plan(
        request,
        client,
        saved.model_copy(update={"intake": intake, "age": intake.age, "start_date": start}),
        decision,
    )
    return redirect("plans:plan")


def _replan_current(
    request: HttpRequest, change: Callable[[Program, dt.date], Profile], done: str
) -> HttpResponse:
    """Make the plan again with the current program's profile changed by ``change``."""
    client = client_of(request)
    today = computer_today()
    newest = _newest_intake(client)
    stored = current_stored_program(client)
    if newest is None or stored is None or not _can_plan(newest[2]):
        return redirect("plans:plan")
    _, intake, decision = newest
    try:
        profile = change(stored.get_program(), today)
    except UserError as exc:
        messages.error(request, exc.message)
        return redirect("plans:plan")
    program = build_plan(profile.model_copy(update={"intake": intake, "age": intake.age}), decision)
    save_program(client, program)
    messages.success(request, done)
    return redirect("guide:today")


@require_POST
def skip_baseline(request: HttpRequest) -> HttpResponse:
    """Re-plan with the first session today and no baseline week (after the person confirmed)."""
    return _replan_current(
        request,
        lambda program, today: baseline.skip_baseline(
            program.profile, today, program, baseline_measured(client_of(request), program)
        ),
        "Your plan now starts today, without a baseline week. " + baseline.SKIP_COST,
    )


@require_POST
def pause_for_baseline(request: HttpRequest) -> HttpResponse:
    """Re-plan with a pause week from today to take the baseline again."""
    return _replan_current(
        request,
        baseline.pause_for_baseline,
        "Your pause week starts today: no sessions until your baseline is taken again. "
        + baseline.PAUSE_KEEPS,
    )
