"""One client's record as their practitioner works on it: the timeline, the safety check on the
client's behalf, the plan and its editing, and notes on sessions given in the clinic.

Every view starts from ``access.practice_client_or_404`` (anyone but a member of the client's
practice gets 404) and writes what it shows or changes to the practice's audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from collagen_coach.core.errors import UserError
from collagen_coach.core.plan_checks import (
    allowed_techniques,
    check_decision,
    move_step,
    order_problem,
)
from collagen_coach.core.planning import Program, Session, Step, build_plan
from collagen_coach.core.screening import Decision, screen
from collagen_coach.core.techniques import PHASES, Library, load_library
from collagen_coach.core.words import PHASE_NAMES, day_in_words
from collagen_coach.web.clients import access
from collagen_coach.web.clients.forms import (
    CONDITION_GROUPS,
    intake_answers,
    procedure_formset,
    procedure_rows,
)
from collagen_coach.web.clients.models import Client, IntakeRecord
from collagen_coach.web.clients.services import latest_intake_record, latest_profile, save_intake
from collagen_coach.web.clients.words import answers_in_words, decision_context
from collagen_coach.web.clinic import services
from collagen_coach.web.clinic.forms import (
    BaseStepFormSet,
    ClinicIntakeForm,
    ClinicProfileForm,
    NoteForm,
    clinic_consent_text,
    step_formset,
)
from collagen_coach.web.lib.dates import now
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.lib.voice import CLIENT
from collagen_coach.web.photos import services as photo_services
from collagen_coach.web.photos.models import Photo
from collagen_coach.web.plans.services import current_stored_program, save_program
from collagen_coach.web.plans.words import session_view
from collagen_coach.web.practice.models import SessionNote
from collagen_coach.web.progress.pages import dashboard_context, report_response
from collagen_coach.web.progress.services import SERIES_KEY_SLOT, progress_dashboard

PRIVATE = "private, no-store"
PERIODS = {1: "the last month", 3: "the last 3 months", 12: "the last year", 24: "the last 2 years"}
DEFAULT_MONTHS = 3
UPCOMING_SHOWN = 10


def _context(client: Client, tab: str, **more: Any) -> dict[str, Any]:
    return {"nav": "practice", "client": client, "tab": tab, **more}


def _newest_decision(client: Client) -> tuple[IntakeRecord, Decision] | None:
    record = latest_intake_record(client)
    return None if record is None else (record, record.get_decision())


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE
    return response


# ---------------------------------------------------------------------------------------------
# Timeline


def _period(request: HttpRequest, today: dt.date) -> tuple[int, dt.date]:
    try:
        months = int(request.GET.get("months", DEFAULT_MONTHS))
    except ValueError:
        months = DEFAULT_MONTHS
    if months not in PERIODS:
        months = DEFAULT_MONTHS
    try:
        until = dt.date.fromisoformat(request.GET.get("until", ""))
    except ValueError:
        until = today
    return months, min(until, today)


@require_GET
def timeline(request: HttpRequest, client_id: int) -> HttpResponse:
    """Give everything in the client's record over a period, newest first."""
    client = access.practice_client_or_404(request, client_id)
    today = computer_today()
    months, until = _period(request, today)
    start = until - dt.timedelta(days=round(months * 30.44)) + dt.timedelta(days=1)
    entries = services.timeline(client, start, until)
    access.record_access(request, client, "view", f"timeline {start} to {until}")
    days: list[dict[str, Any]] = []
    for entry in entries:
        if not days or days[-1]["date"] != entry.date:
            days.append({"date": entry.date, "entries": []})
        days[-1]["entries"].append(entry)
    context = _context(
        client,
        "timeline",
        days=days,
        start=start,
        until=until,
        months=months,
        periods=PERIODS,
        earlier=start - dt.timedelta(days=1),
        later=None
        if until >= today
        else min(today, until + (until - start) + dt.timedelta(days=1)),
        count=len(entries),
    )
    return _private(render(request, "clinic/timeline.html", context))


@require_GET
def photo_image(request: HttpRequest, client_id: int, photo_id: int) -> HttpResponse:
    """Give a small copy of one of the client's progress photos, to a member of their practice."""
    client = access.practice_client_or_404(request, client_id)
    photo = Photo.objects.filter(client=client, pk=photo_id).first()
    if photo is None:
        raise Http404("no such photo")
    try:
        data = photo_services.thumbnail_bytes(photo)
    except OSError:
        raise Http404("the photo's file is missing") from None
    access.record_access(request, client, "view", f"photo of {photo.taken_on}")
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    return _private(response)


# ---------------------------------------------------------------------------------------------
# Progress: the client's dashboard and report, as she sees them


@require_GET
def progress(request: HttpRequest, client_id: int) -> HttpResponse:
    """Give the client's progress dashboard, with the links to her report."""
    client = access.practice_client_or_404(request, client_id)
    board = progress_dashboard(client, computer_today())
    access.record_access(request, client, "view", "progress")
    # Her page as she sees it, with its links and its charts' data kept to her record here.
    shown = dashboard_context(
        board,
        progress_of=client.display_name,
        links={"plan": reverse("clinic:plan", args=[client.pk])},
        series_url=reverse("clinic:series", args=[client.pk, SERIES_KEY_SLOT]),
    )
    context = shown | _context(
        client, "progress", report_url=reverse("clinic:report", args=[client.pk])
    )
    return _private(render(request, "clinic/progress.html", context))


@require_GET
def series(request: HttpRequest, client_id: int, key: str) -> HttpResponse:
    """Give the chart data of one of the client's measured series, as her progress page's
    chooser asks for it (``progress:series`` gives a person her own); 404 for a series she has
    not measured."""
    client = access.practice_client_or_404(request, client_id)
    data = progress_dashboard(client, computer_today()).series_data(key)
    if data is None:
        return _private(JsonResponse({"detail": "no such measured series"}, status=404))
    access.record_access(request, client, "view", f"progress chart ({key})")
    return _private(JsonResponse(data))


@require_GET
def report(request: HttpRequest, client_id: int) -> HttpResponse:
    """Give the client's progress report to download, as PDF or as one HTML page."""
    client = access.practice_client_or_404(request, client_id)
    response = report_response(request, client)
    if response.status_code == 200:
        wanted = request.GET.get("format", "pdf")
        access.record_access(request, client, "view", f"progress report ({wanted})")
    return response


# ---------------------------------------------------------------------------------------------
# Safety check on the client's behalf


@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, client_id: int) -> HttpResponse:
    """Give the safety questions for the client; valid answers with the client's consent are
    screened and saved, with who entered them, when and the consent text."""
    client = access.practice_client_or_404(request, client_id)
    today = computer_today()
    consent_text = clinic_consent_text(access.practice_member(request).practice.name)
    previous = latest_intake_record(client)
    previous_answers = previous.get_intake() if previous else None
    if request.method == "POST":
        form = ClinicIntakeForm(request.POST)
        procedures = procedure_formset(request.POST, today=today)
        if form.is_valid() and procedures.is_valid():
            answers = intake_answers(form, procedures, today)
            try:
                decision = screen(answers, today=today)
            except UserError as exc:  # the form checks what screening checks; kept as a guard
                form.add_error(None, exc.message)
            else:
                record = save_intake(
                    client,
                    answers,
                    decision,
                    consent_text=consent_text,
                    consented_at=now(),
                    recorded_by=request.user,
                )
                access.record_access(request, client, "change", f"safety check #{record.pk}")
                return redirect("clinic:decision", client_id=client.pk, intake_id=record.pk)
    else:
        form = ClinicIntakeForm(
            initial=ClinicIntakeForm.initial_from(previous_answers) if previous_answers else None
        )
        procedures = procedure_formset(intake=previous_answers, today=today)
    if previous is not None:  # shown again after a refused answer too
        access.record_access(request, client, "view", "safety check answers")
    shown, more = procedure_rows(procedures)
    return render(
        request,
        "clinic/intake.html",
        _context(
            client,
            "intake",
            form=form,
            condition_fields=[form[name] for name, *_ in CONDITION_GROUPS],
            procedures=procedures,
            procedure_rows=shown,
            more_procedure_rows=more,
            consent_text=consent_text,
            previous=previous,
        ),
    )


@require_GET
def decision(request: HttpRequest, client_id: int, intake_id: int) -> HttpResponse:
    """Give the decision one of the client's safety checks led to, and who recorded it."""
    client = access.practice_client_or_404(request, client_id)
    record = (
        IntakeRecord.objects.filter(client=client, pk=intake_id)
        .select_related("recorded_by")
        .first()
    )
    if record is None:
        raise Http404("no such safety check")
    access.record_access(request, client, "view", f"safety check #{record.pk}")
    newest = latest_intake_record(client)
    return render(
        request,
        "clinic/decision.html",
        _context(
            client,
            "intake",
            **decision_context(record.get_decision()),
            record=record,
            answers=answers_in_words(record.get_intake(), CLIENT),
            is_newest=newest is not None and newest.pk == record.pk,
        ),
    )


# ---------------------------------------------------------------------------------------------
# The plan


def _phases(program: Program, today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "id": p.name,
            "name": PHASE_NAMES[p.name],
            "goal": p.goal,
            "start": p.start,
            "end": p.end,
            "is_current": p.start <= today <= p.end,
            "left": len(services.future_sessions(program, today, p.name)),
        }
        for p in program.phases
    ]


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, client_id: int) -> HttpResponse:
    """Give the client's current plan with the sessions to come, and the profile to make a new
    one from; a valid profile makes and assigns a new plan as the client's home routine."""
    client = access.practice_client_or_404(request, client_id)
    today = computer_today()
    newest = _newest_decision(client)
    stored = current_stored_program(client)
    context = _context(client, "plan", stored=stored, today=today)
    if newest is None:
        access.record_access(request, client, "view", "plan")
        return render(request, "clinic/plan.html", context)
    record, decision = newest
    context.update(decision_context(decision))
    context["record"] = record
    can_plan = decision.decision in ("go", "modify")
    form = None
    if can_plan:
        if request.method == "POST":
            saved = latest_profile(client)
            draw = saved.side_draw if saved else None
            form = ClinicProfileForm(request.POST, today=today, previous_draw=draw)
            if form.is_valid():
                program = build_plan(form.profile(record.get_intake()), decision)
                new = save_program(client, program)
                access.record_access(
                    request,
                    client,
                    "change",
                    f"{services.PLAN_AUDIT_PREFIX}{new.pk}: made from a profile",
                )
                messages.success(
                    request,
                    f"The new plan is the client's home routine: {len(program.sessions)} "
                    f"sessions over {program.profile.weeks} weeks.",
                )
                return redirect("clinic:plan", client_id=client.pk)
        else:
            saved = latest_profile(client)
            age = record.get_intake().age
            form = ClinicProfileForm(
                initial=ClinicProfileForm.initial_from(saved, age, today), today=today
            )
    elif request.method == "POST":
        messages.error(request, "No plan can be made while screening says to wait or refer.")
        return redirect("clinic:plan", client_id=client.pk)
    access.record_access(request, client, "view", "plan")
    context.update({"form": form, "can_plan": can_plan})
    if stored is not None:
        program = stored.get_program()
        upcoming = services.future_sessions(program, today)[:UPCOMING_SHOWN]
        context.update(
            {
                "program": program,
                "phases": _phases(program, today),
                "upcoming": [session_view(s, today) for s in upcoming],
                "newer_intake": record.created_at > stored.created_at,
                "sessions_left": len(services.future_sessions(program, today)),
            }
        )
    return render(request, "clinic/plan.html", context)


def _edit_target(
    request: HttpRequest, program: Program, today: dt.date
) -> tuple[str, list[Session], str]:
    """Give what is edited: ("session"|"phase", the sessions changed, a title), or 404."""
    params = request.POST if request.method == "POST" else request.GET
    phase = params.get("phase", "")
    day_text = params.get("date", "")
    if phase:
        if phase not in PHASES:
            raise Http404("no such phase")
        sessions = services.future_sessions(program, today, phase)
        return "phase", sessions, f"every session of the {PHASE_NAMES[phase].lower()} phase"
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        raise Http404("no such session") from None
    session = program.session_on(day)
    if session is None or day < today:
        raise Http404("no session to edit on that day")
    return "session", [session], f"the session of {day_in_words(day, weekday=True, year=True)}"


def _move_asked(value: str) -> tuple[int, int] | None:
    """Give the (row, offset) an Up or Down button asks for ("3-up": row 2, -1), or None."""
    row, _, way = value.partition("-")
    if not row.isdigit() or way not in ("up", "down"):
        return None
    return int(row) - 1, -1 if way == "up" else 1


def _with_problem(formset: BaseStepFormSet, problem: str) -> BaseStepFormSet:
    formset._non_form_errors = formset.error_class([problem])  # type: ignore[attr-defined]
    return formset


def _moved(
    formset: BaseStepFormSet, move: tuple[int, int], offered: list[str], library: Library
) -> tuple[BaseStepFormSet, int]:
    """Give the steps formset with one step moved up or down (the changes made so far kept, not
    saved) and the page's status; a move that breaks the session's order is refused in words."""
    row, offset = move
    steps = formset.steps()
    index = formset.kept_index(row)
    if index is None:
        refused = "That step is ticked to be removed, or is not a step: untick it to move it."
        return _with_problem(formset, refused), 400
    moved, problem = move_step(steps, index, offset, library)
    if problem is not None:
        return _with_problem(formset, f"{problem} The steps stay in their order."), 400
    return step_formset(steps=moved, techniques=offered), 200


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, client_id: int) -> HttpResponse:
    """Give the steps of one session (``?date=``) or of a phase's sessions to come (``?phase=``)
    to edit; saving checks every step against the client's newest screening, and a safe set of
    steps becomes the client's new home routine (the earlier plan stays in the history)."""
    client = access.practice_client_or_404(request, client_id)
    today = computer_today()
    stored = current_stored_program(client)
    newest = _newest_decision(client)
    if stored is None or newest is None:
        messages.info(request, "Make a plan first; then its steps can be edited.")
        return redirect("clinic:plan", client_id=client.pk)
    _, decision = newest
    program = stored.get_program()
    kind, sessions, target = _edit_target(request, program, today)
    days = [s.date for s in sessions]
    blocked = check_decision(decision, today)
    library = load_library()
    offered = allowed_techniques(decision, library, days)
    refusals: list[tuple[int, Step, list[str]]] = []
    status = 200
    moved = False
    if request.method == "POST" and sessions and not blocked:
        # Bound with the steps it was shown with, so unchanged steps keep their reasons.
        formset = step_formset(request.POST, steps=sessions[0].steps, techniques=offered)
        move = _move_asked(request.POST.get("move", ""))
        if formset.is_valid() and move is not None:
            formset, status = _moved(formset, move, offered, library)
            moved = status == 200
        elif formset.is_valid():
            steps = formset.steps()
            found = services.refusals(steps, decision, days)
            refusals = [
                (n, s, why) for n, (s, why) in enumerate(zip(steps, found, strict=True), 1) if why
            ]
            problem = order_problem(steps, library)
            if not steps:
                problem = "Keep at least one step: a session needs something to do."
            if problem:
                formset = _with_problem(formset, problem)
                status = 422
            elif not refusals:
                new, _ = services.save_edited_plan(client, program, decision, days, steps)
                what = f"edited: {target}, {len(days)} session{'s' if len(days) != 1 else ''}"
                access.record_access(
                    request, client, "change", f"{services.PLAN_AUDIT_PREFIX}{new.pk}: {what}"
                )
                messages.success(
                    request,
                    f"Saved: {target} ({len(days)} session{'s' if len(days) != 1 else ''}) now "
                    "has these steps, and is the client's home routine.",
                )
                return redirect("clinic:plan", client_id=client.pk)
    else:
        formset = step_formset(steps=sessions[0].steps if sessions else [], techniques=offered)
    access.record_access(request, client, "view", f"plan steps of {target}")
    return render(
        request,
        "clinic/plan_edit.html",
        _context(
            client,
            "plan",
            **decision_context(decision),
            kind=kind,
            target=target,
            sessions=sessions,
            phase=request.POST.get("phase") or request.GET.get("phase", ""),
            date=request.POST.get("date") or request.GET.get("date", ""),
            formset=formset,
            moved=moved,
            blocked=blocked,
            refusals=[
                {"number": n, "step": services.step_words(s, library), "reasons": why}
                for n, s, why in refusals
            ],
            first_day=days[0] if days else None,
            last_day=days[-1] if days else None,
        ),
        status=422 if refusals else status,
    )


# ---------------------------------------------------------------------------------------------
# Notes and sessions in the clinic


def _note_for(client: Client, note_id: int) -> SessionNote:
    note = (
        SessionNote.objects.filter(client=client, pk=note_id)
        .select_related("session_log", "author")
        .first()
    )
    if note is None:
        raise Http404("no such note")
    return note


@require_http_methods(["GET", "POST"])
def note_new(request: access.SignedInRequest, client_id: int) -> HttpResponse:
    """Give a new SOAP note to write, optionally with the session given in the clinic now;
    saving records the session as done in the clinic and the note linked to it."""
    client = access.practice_client_or_404(request, client_id)
    today = computer_today()
    stored = current_stored_program(client)
    program = stored.get_program() if stored else None
    planned = program.session_on(today) if program else None
    newest = _newest_decision(client)
    decision = newest[1] if newest else None
    refusals: list[dict[str, Any]] = []
    if request.method == "POST":
        form = NoteForm(request.POST)
        steps_formset = step_formset(request.POST)
        ok = form.is_valid()
        steps: list[Step] = []
        choice = form.cleaned_data.get("session") if ok else None
        if ok and choice == "planned":
            if planned is None:
                form.add_error("session", "No session is planned for today: choose the steps.")
            else:
                steps = list(planned.steps)
        elif ok and choice == "chosen":
            if not steps_formset.is_valid():
                form.add_error("session", "Some of the steps below need another look.")
            else:
                steps = steps_formset.steps()
                if not steps:
                    form.add_error("session", "Choose at least one step for the session.")
        if steps and form.is_valid():
            if decision is None:
                form.add_error("session", "Do the safety check first; then sessions can be given.")
            else:
                library = load_library()
                found = services.refusals(steps, decision, [today], library)
                refusals = [
                    {"number": n, "step": services.step_words(s, library), "reasons": why}
                    for n, (s, why) in enumerate(zip(steps, found, strict=True), 1)
                    if why
                ]
                if refusals:
                    form.add_error("session", "A step is not safe for this client today.")
        if form.is_valid():
            log = services.record_clinic_session(client, steps, today, stored) if steps else None
            note = SessionNote.objects.create(
                client=client,
                session_log=log,
                author=request.user,
                shared_with_client=form.cleaned_data["shared_with_client"],
                **{name: form.cleaned_data[name].strip() for name in NoteForm.SOAP},
            )
            what = f"note #{note.pk}" + (f" and in-clinic session #{log.pk}" if log else "")
            access.record_access(request, client, "change", what)
            messages.success(
                request,
                "Note saved" + (" with the session given in the clinic." if log else "."),
            )
            return redirect("clinic:timeline", client_id=client.pk)
    else:
        form = NoteForm(initial={"session": "planned" if planned else "none"})
        steps_formset = step_formset()
    access.record_access(request, client, "view", "new note")
    return render(
        request,
        "clinic/note.html",
        _context(
            client,
            "note",
            form=form,
            steps_formset=steps_formset,
            planned=session_view(planned, today) if planned else None,
            refusals=refusals,
            note=None,
        ),
        status=422 if refusals else 200,
    )


@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, client_id: int, note_id: int) -> HttpResponse:
    """Give one of the client's notes to change: its SOAP text and whether the client sees it."""
    client = access.practice_client_or_404(request, client_id)
    note = _note_for(client, note_id)
    if request.method == "POST":
        form = NoteForm(request.POST, with_session=False)
        if form.is_valid():
            for name in NoteForm.SOAP:
                setattr(note, name, form.cleaned_data[name].strip())
            note.shared_with_client = form.cleaned_data["shared_with_client"]
            note.save()
            access.record_access(request, client, "change", f"note #{note.pk}")
            messages.success(request, "Note saved.")
            return redirect("clinic:timeline", client_id=client.pk)
    else:
        form = NoteForm(
            initial={
                **{name: getattr(note, name) for name in NoteForm.SOAP},
                "shared_with_client": note.shared_with_client,
            },
            with_session=False,
        )
    access.record_access(request, client, "view", f"note #{note.pk}")
    return render(
        request,
        "clinic/note.html",
        _context(client, "note", form=form, note=note, refusals=[], planned=None),
    )
