"""SOAP notes: written with or without a session given in the clinic, shared or not, edited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from collagen_coach.web.journal.models import SessionLog
from collagen_coach.web.plans.services import current_program
from collagen_coach.web.practice.models import SessionNote
from web.clinic.conftest import Practice
from web.clinic.records import TODAY, planned, screened

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NO_STEPS = {
    "steps-TOTAL_FORMS": "0",
    "steps-INITIAL_FORMS": "0",
    "steps-MIN_NUM_FORMS": "0",
    "steps-MAX_NUM_FORMS": "16",
}


def note_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subjective": "Feels tighter along the jaw.",
        "objective": "Mild redness on the left cheek, settled after 10 minutes.",
        "assessment": "Tolerates light pressure well.",
        "plan": "Add tapping on the forehead next week.",
        "session": "none",
        **NO_STEPS,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def url(studio: Practice) -> str:
    return reverse("clinic:note_new", args=[studio.client.pk])


def test_a_note_with_todays_planned_session_records_it_done_in_the_clinic(
    studio: Practice,
) -> None:
    screened(studio.client)
    planned(studio.client, start=TODAY)
    web = studio.browser(studio.practitioner)

    answer = web.post(url(studio), note_form(session="planned", shared_with_client="on"))

    assert answer["Location"] == reverse("clinic:timeline", args=[studio.client.pk])
    note = SessionNote.objects.get(client=studio.client)
    log = note.session_log
    assert log is not None
    program = current_program(studio.client)
    assert program is not None
    planned_today = program.session_on(TODAY)
    assert planned_today is not None
    assert (log.place, log.status, log.planned_date) == ("clinic", "completed", TODAY)
    assert log.done_s == log.planned_s == planned_today.duration_s
    assert note.author == studio.practitioner
    assert note.shared_with_client
    page = web.get(answer["Location"]).content.decode()
    assert "Session in the clinic" in page
    assert "Note on an in-clinic session" in page


def test_a_note_with_chosen_steps_is_checked_against_screening(studio: Practice) -> None:
    screened(studio.client, conditions=["fragile_skin"])
    web = studio.browser(studio.practitioner)
    steps = {
        "steps-TOTAL_FORMS": "1",
        "steps-0-technique": "pinching",
        "steps-0-zone": "jawline",
        "steps-0-side": "both",
        "steps-0-duration_s": "60",
        "steps-0-pressure": "2",
    }

    answer = web.post(url(studio), {**note_form(session="chosen"), **steps})

    assert answer.status_code == 422
    assert "Screening leaves out light pinching" in answer.content.decode()
    assert not SessionNote.objects.exists()
    assert not SessionLog.objects.exists()

    steps["steps-0-technique"] = "tapping"
    steps["steps-0-pressure"] = "1"
    answer = web.post(url(studio), {**note_form(session="chosen"), **steps})

    assert answer.status_code == 302
    log = SessionLog.objects.get()
    assert [(s["technique"], s["zone"], s["done_s"]) for s in log.steps] == [
        ("tapping", "jawline", 60)
    ]
    assert log.place == "clinic"


def test_a_note_without_a_session_is_not_linked_to_one(studio: Practice) -> None:
    web = studio.browser(studio.practitioner)

    web.post(url(studio), note_form())

    note = SessionNote.objects.get()
    assert note.session_log is None
    assert not note.shared_with_client
    assert not SessionLog.objects.exists()


def test_an_empty_note_or_a_missing_planned_session_changes_nothing(studio: Practice) -> None:
    web = studio.browser(studio.practitioner)
    empty = note_form(subjective="", objective="", assessment="", plan="")

    first = web.post(url(studio), empty).content.decode()
    second = web.post(url(studio), note_form(session="planned")).content.decode()

    assert "Write something in at least one of" in first
    assert "No session is planned for today" in second
    assert not SessionNote.objects.exists()


def test_a_note_is_edited_and_shared_later(studio: Practice) -> None:
    note = SessionNote.objects.create(
        client=studio.client, author=studio.practitioner, subjective="First visit."
    )
    web = studio.browser(studio.owner)
    edit = reverse("clinic:note_edit", args=[studio.client.pk, note.pk])
    assert "First visit." in web.get(edit).content.decode()

    answer = web.post(
        edit, {"subjective": "First visit.", "plan": "Tapping daily.", "shared_with_client": "on"}
    )

    assert answer.status_code == 302
    note.refresh_from_db()
    assert (note.plan, note.shared_with_client) == ("Tapping daily.", True)
