"""The journal's pages: what was done, and forms to log peptides, rate the skin, import readings
and download the plan's calendar. Storage goes through journal.services and journal.readings."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from collagen_coach.core.calendar import planned_sessions_ics
from collagen_coach.core.errors import UserError
from collagen_coach.core.techniques import load_library
from collagen_coach.core.words import day_in_words
from collagen_coach.web.clients.access import changed, client_of, get_own_or_404, own
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.forms import (
    CalendarForm,
    PeptidesForm,
    PeriodForm,
    RatingForm,
    ReadingForm,
    ReadingsForm,
)
from collagen_coach.web.journal.models import (
    RATING_SCALES,
    InstrumentReading,
    PeptideIntake,
    SelfRating,
)
from collagen_coach.web.journal.readings import HEADER_HELP, ImportResult, import_readings
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.plans.services import current_program

MAX_LINE_ERRORS = 20
_LINE = re.compile(r" line (\d+)")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Give the journal for a period (default the last 30 days), newest first."""
    client = client_of(request)
    period = PeriodForm(request.GET if request.GET else None)
    start, end = period.period()
    if not period.is_bound:
        period = PeriodForm(initial={"start": start, "end": end})
    entries = journal.journal_entries(client, start, end)
    days: list[dict[str, Any]] = []
    for entry in entries:
        if not days or days[-1]["date"] != entry.date:
            days.append({"date": entry.date, "entries": []})
        days[-1]["entries"].append(entry)
    return render(
        request,
        "journal/index.html",
        {
            "nav": "journal",
            "period": period,
            "start": start,
            "end": end,
            "days": days,
            "rated_today": SelfRating.objects.filter(client=client, date=computer_today()).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def peptides(request: HttpRequest) -> HttpResponse:
    """Give the form to log a dose of collagen peptides, with what the evidence says."""
    client = client_of(request)
    last = journal.last_dose(client)
    initial: dict[str, Any] = {"date": computer_today()}
    if last is not None:  # most people take the same product and amount each day
        initial.update(grams=last.grams.normalize(), product=last.product)
    form = PeptidesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(form, lambda: _log_peptides(request, client, data)):
            messages.success(
                request,
                f"Saved: {data['grams']:f} g of collagen peptides on {day_in_words(data['date'])}.",
            )
            return redirect("journal:index")
    library = load_library()
    evidence = [library.evidence["collagen_peptides"], library.evidence["massage_with_peptides"]]
    context = {"nav": "journal", "form": form, "evidence": evidence, "last": last}
    return render(request, "journal/peptides.html", context)


def _log_peptides(request: HttpRequest, client: Client, data: dict[str, Any]) -> None:
    with transaction.atomic():
        journal.log_peptides(client, **data)
        changed(request, client, "peptides")


def _rate(request: HttpRequest, client: Client, data: dict[str, Any]) -> None:
    with transaction.atomic():
        journal.rate(client, **data)
        changed(request, client, "self-rating")


@require_http_methods(["GET", "POST"])
def rating(request: HttpRequest) -> HttpResponse:
    """Give the form to rate one's skin on a day; a second rating the same day replaces it."""
    client = client_of(request)
    day = computer_today()
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            existed = own(request, SelfRating).filter(date=data["date"]).exists()
            if _saved(form, lambda: _rate(request, client, data)):
                if existed:
                    messages.success(
                        request,
                        f"Updated your rating for {day_in_words(data['date'])}: "
                        "there is one rating per "
                        "day, so this one replaced the earlier one.",
                    )
                else:
                    messages.success(
                        request, f"Saved your rating for {day_in_words(data['date'])}."
                    )
                return redirect("journal:index")
        existing = None
    else:
        existing = own(request, SelfRating).filter(date=day).first()
        initial: dict[str, Any] = {"date": day}
        if existing is not None:
            initial.update(existing.scores(), note=existing.note)
        form = RatingForm(initial=initial)
    return render(
        request, "journal/rating.html", {"nav": "journal", "form": form, "existing": existing}
    )


@require_http_methods(["GET", "POST"])
def readings(request: HttpRequest) -> HttpResponse:
    """Give the form to import instrument readings from a CSV file, and what an import did."""
    client = client_of(request)
    form = ReadingsForm(request.POST or None, request.FILES or None)
    result: ImportResult | None = None
    line_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result, line_errors = import_uploaded_readings(client, upload.name, upload.read())
        if line_errors:
            form.add_error("file", "Nothing was imported: correct these lines and try again.")
    return render(
        request,
        "journal/readings.html",
        {
            "nav": "journal",
            "form": form,
            "result": result,
            "line_errors": line_errors,
            "header": HEADER_HELP,
        },
    )


@require_http_methods(["GET", "POST"])
def peptides_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the page to correct or delete one dose of peptides."""
    dose = get_own_or_404(request, PeptideIntake, pk=pk)
    initial = {"date": dose.date, "grams": dose.grams, "product": dose.product}
    return _entry(
        request,
        dose,
        PeptidesForm(request.POST or None, initial=initial),
        lambda data: journal.correct_peptides(dose, **data),
        what="this dose of peptides",
        about=f"Logged for {day_in_words(dose.date, year=True)}: {dose.grams.normalize():f} g.",
        audit="peptides",
    )


@require_http_methods(["GET", "POST"])
def rating_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the page to correct or delete one day's self-rating (the day stays)."""
    rating = get_own_or_404(request, SelfRating, pk=pk)
    form = RatingForm(request.POST or None, initial={**rating.scores(), "note": rating.note})
    del form.fields["date"]
    return _entry(
        request,
        rating,
        form,
        lambda data: journal.correct_rating(
            rating, {scale: data[scale] for scale in RATING_SCALES}, data["note"]
        ),
        what="this rating",
        about=f"Your rating for {day_in_words(rating.date, year=True)}.",
        audit="self-rating",
    )


@require_http_methods(["GET", "POST"])
def reading_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the page to correct or delete one instrument reading."""
    reading = get_own_or_404(request, InstrumentReading, pk=pk)
    initial = {"date": reading.date, "value": reading.value, "unit": reading.unit}
    return _entry(
        request,
        reading,
        ReadingForm(request.POST or None, initial=initial),
        lambda data: journal.correct_reading(reading, data["date"], data["value"], data["unit"]),
        what="this reading",
        about=(
            f"{reading.instrument} {reading.parameter}, {reading.zone} ({reading.side}), "
            f"imported from {reading.source}."
        ),
        audit="readings",
    )


def _entry(
    request: HttpRequest,
    entry: PeptideIntake | SelfRating | InstrumentReading,
    form: forms.Form,
    save: Any,
    *,
    what: str,
    about: str,
    audit: str,
) -> HttpResponse:
    """Delete the entry (a POST with ``delete``, once confirmed), save the form's correction, or
    show both; a change is noted in the practice's audit log (``clients.access.changed``)."""
    context = {"nav": "journal", "form": form, "what": what, "about": about, "entry": entry}
    if request.method == "POST" and "delete" in request.POST:
        if "confirm" not in request.POST:  # a deletion cannot be undone: ask once more
            return render(request, "journal/entry_delete.html", context)
        day = entry.date
        with transaction.atomic():
            journal.delete_entry(entry)
            changed(request, entry.client, audit)
        messages.success(request, f"Deleted {what} of {day_in_words(day, year=True)}.")
        return redirect("journal:index")
    if request.method == "POST" and form.is_valid():

        def save_and_note() -> None:
            with transaction.atomic():
                save(form.cleaned_data)
                changed(request, entry.client, audit)

        if _saved(form, save_and_note):
            messages.success(request, f"Saved the correction of {what}.")
            return redirect("journal:index")
    return render(request, "journal/entry.html", context)


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """Give the calendar form, or, with its options filled in, the plan's sessions as .ics."""
    client = client_of(request)
    program = current_program(client)
    form = CalendarForm(request.GET if request.GET else None)
    if program is not None and form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            ics = planned_sessions_ics(
                program.sessions,
                start_time=data["at"],
                reminder_minutes=data["reminder"],
                tz=data["tz"],
                owner=f"client-{client.pk}",
            )
        except UserError as exc:
            _add_user_error(form, exc)
        else:
            response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="face-massage-sessions.ics"'
            return response
    sessions = len(program.sessions) if program is not None else 0
    return render(
        request,
        "journal/calendar.html",
        {"nav": "journal", "form": form, "has_plan": program is not None, "sessions": sessions},
    )


def import_uploaded_readings(
    client: Client, name: str, content: bytes
) -> tuple[ImportResult | None, list[str]]:
    """Import an uploaded readings file, all of it or nothing; give what it did or every bad line.

    The import stops at the first bad line, so to name every bad line at once the file is tried
    again without the lines already found bad, inside a transaction that is always rolled back;
    only a file with no bad line is imported for real.
    """
    lines = content.split(b"\n")
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="readings-") as folder:
        path = Path(folder) / Path(name).name
        while True:
            path.write_bytes(b"\n".join(lines))
            try:
                with transaction.atomic():
                    result = import_readings(client, path)
                    if not errors:
                        return result, []
                    transaction.set_rollback(True)  # a trial run: bad lines were found
            except UserError as exc:
                message = exc.message.replace(str(path), path.name)  # no temporary folder shown
                match = _LINE.search(exc.field)
                line = int(match.group(1)) if match else None
                if line is None:
                    if not errors:  # after bad lines were blanked out, "no readings" is no news
                        errors.append(message)
                    break
                errors.append(message)
                if len(errors) >= MAX_LINE_ERRORS or line <= 1 or line > len(lines):
                    break
                lines[line - 1] = b""  # blank lines are passed over: look for the next bad one
                continue
            break
    return None, errors


def _saved(form: forms.Form, save: Any) -> bool:
    """Run ``save``; on a UserError put its message on the form field it names."""
    try:
        save()
    except UserError as exc:
        _add_user_error(form, exc)
        return False
    return True


def _add_user_error(form: forms.Form, exc: UserError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
