"""The plan for a client: made from a profile, edited step by step or phase by phase, every edit
checked against the client's newest safety check, and assigned as the client's home routine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from collagen_coach.core.screening import load_rules
from collagen_coach.web.plans.models import StoredProgram
from collagen_coach.web.plans.services import current_program, current_stored_program
from collagen_coach.web.practice.models import AuditEvent
from web.clinic.conftest import Practice
from web.clinic.records import TODAY, planned, screened

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def profile_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "age": "61",
        "concerns": ["sagging"],
        "experience": "some",
        "minutes_per_day": "10",
        "days_per_week": "5",
        "sensitivity": "normal",
        "wants_peptides": "no",
        "start_date": TODAY.isoformat(),
        "weeks": "12",
        "treated_side": "both",
    }
    data.update(changes)
    return data


def steps_form(rows: list[dict[str, Any]], **where: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": str(len(rows)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "16",
        **where,
    }
    for n, row in enumerate(rows):
        full = {"side": "both", "duration_s": "60", "pressure": "1", "why": "", **row}
        data.update({f"steps-{n}-{key}": value for key, value in full.items()})
    return data


def edit_url(studio: Practice) -> str:
    return reverse("clinic:plan_edit", args=[studio.client.pk])


def test_the_practitioner_makes_a_plan_from_a_profile_and_it_becomes_the_home_routine(
    studio: Practice,
) -> None:
    screened(studio.client, recorded_by=studio.practitioner)
    web = studio.browser(studio.practitioner)

    answer = web.post(reverse("clinic:plan", args=[studio.client.pk]), profile_form())

    assert answer["Location"] == reverse("clinic:plan", args=[studio.client.pk])
    program = current_program(studio.client)
    assert program is not None
    assert program.profile.experience == "some"
    page = web.get(answer["Location"]).content.decode()
    assert "The client's home routine" in page
    cora = studio.browser(studio.client.account)
    assert "sessions of about 10 minutes" in cora.get(reverse("plans:plan")).content.decode()


def test_a_session_edit_is_saved_as_a_new_current_program_and_the_old_one_kept(
    studio: Practice,
) -> None:
    screened(studio.client)
    before = planned(studio.client)
    day = before.sessions.order_by("date").first().date
    web = studio.browser(studio.practitioner)
    rows = [
        {"technique": "tapping", "zone": "forehead", "duration_s": "90", "pressure": "1"},
        {"technique": "circular_motions", "zone": "cheeks", "side": "left", "pressure": "2"},
    ]

    answer = web.post(edit_url(studio), steps_form(rows, date=day.isoformat()))

    assert answer.status_code == 302
    assert StoredProgram.objects.filter(client=studio.client).count() == 2
    program = current_program(studio.client)
    assert program is not None
    session = program.session_on(day)
    assert session is not None
    assert [(s.technique, s.zone, s.side, s.duration_s, s.pressure) for s in session.steps] == [
        ("tapping", "forehead", "both", 90, 1),
        ("circular_motions", "cheeks", "left", 60, 2),
    ]
    old = before.get_program()
    others = [s for s in program.sessions if s.date != day]
    assert others == [s for s in old.sessions if s.date != day]
    assert session.steps[0].tempo_cue  # the technique's own tempo comes with it
    assert AuditEvent.objects.filter(action="change", what__startswith="plan #").exists()


def test_a_phase_edit_changes_that_phases_sessions_to_come_and_nothing_else(
    studio: Practice,
) -> None:
    screened(studio.client)
    start = TODAY - dt.timedelta(days=10)
    before = planned(studio.client, start=start, weeks=12).get_program()
    web = studio.browser(studio.practitioner)
    rows = [{"technique": "tapping", "zone": "chin", "duration_s": "120"}]

    answer = web.post(edit_url(studio), steps_form(rows, phase="build"))

    assert answer.status_code == 302
    after = current_program(studio.client)
    assert after is not None
    for old, new in zip(before.sessions, after.sessions, strict=True):
        if old.phase == "build" and old.date >= TODAY:
            assert [(s.technique, s.zone) for s in new.steps] == [("tapping", "chin")]
        else:
            assert new == old


def test_an_excluded_step_is_refused_with_its_reason_and_nothing_changes(
    studio: Practice,
) -> None:
    screened(studio.client, conditions=["fragile_skin"])
    stored = planned(studio.client)
    day = stored.sessions.order_by("date").first().date
    web = studio.browser(studio.practitioner)
    rows = [
        {"technique": "tapping", "zone": "forehead"},
        {"technique": "pinching", "zone": "cheeks", "pressure": "2"},
    ]

    answer = web.post(edit_url(studio), steps_form(rows, date=day.isoformat()))

    assert answer.status_code == 422
    page = " ".join(answer.content.decode().split())
    rule = next(r for r in load_rules().rules if r.id == "fragile_skin")
    reason = " ".join(rule.reason.split()).replace("'", "&#x27;")
    assert "Not saved: a step is not safe for Cora." in page
    assert "Step 2: Light pinching on the cheeks" in page
    assert "Screening leaves out light pinching" in page
    assert reason in page
    assert current_stored_program(studio.client) == stored
    assert StoredProgram.objects.filter(client=studio.client).count() == 1


@pytest.mark.parametrize(
    ("conditions", "row", "words"),
    [
        ([], {"technique": "lymphatic_sweep", "zone": "neck", "pressure": "2"}, "carotid"),
        (
            ["carotid_disease"],
            {"technique": "lymphatic_sweep", "zone": "neck", "pressure": "1"},
            "Screening leaves the neck alone",
        ),
        (
            ["broken_capillaries"],
            {"technique": "kneading", "zone": "cheeks", "pressure": "3"},
            "Screening allows at most",
        ),
    ],
    ids=["neck-pressure", "avoided-zone", "pressure-cap"],
)
def test_unsafe_steps_are_refused_in_words(
    studio: Practice, conditions: list[str], row: dict[str, str], words: str
) -> None:
    screened(studio.client, conditions=conditions)
    stored = planned(studio.client)
    day = stored.sessions.order_by("date").first().date
    web = studio.browser(studio.practitioner)

    answer = web.post(edit_url(studio), steps_form([row], date=day.isoformat()))

    assert answer.status_code == 422
    assert words in answer.content.decode()
    assert StoredProgram.objects.filter(client=studio.client).count() == 1


def test_removing_every_step_is_refused(studio: Practice) -> None:
    screened(studio.client)
    stored = planned(studio.client)
    day = stored.sessions.order_by("date").first().date
    web = studio.browser(studio.practitioner)
    data = steps_form([{"technique": "tapping", "zone": "forehead", "DELETE": "on"}])

    answer = web.post(edit_url(studio), {**data, "date": day.isoformat()})

    assert "Keep at least one step" in answer.content.decode()
    assert StoredProgram.objects.filter(client=studio.client).count() == 1


def test_a_past_day_or_unknown_phase_answers_404(studio: Practice) -> None:
    screened(studio.client)
    planned(studio.client, start=TODAY - dt.timedelta(days=14))
    web = studio.browser(studio.practitioner)
    past = (TODAY - dt.timedelta(days=14)).isoformat()

    assert web.get(edit_url(studio), {"date": past}).status_code == 404
    assert web.get(edit_url(studio), {"phase": "forever"}).status_code == 404
    assert web.get(edit_url(studio), {"date": "not a day"}).status_code == 404


def test_the_editor_shows_the_sessions_steps_with_empty_rows_to_add(studio: Practice) -> None:
    screened(studio.client)
    stored = planned(studio.client)
    first = stored.get_program().sessions[0]
    web = studio.browser(studio.practitioner)

    answer = web.get(edit_url(studio), {"date": first.date.isoformat()})

    formset = answer.context["formset"]
    assert len(formset.forms) == len(first.steps) + 2
    assert formset.forms[0].initial["technique"] == first.steps[0].technique


def test_the_clients_home_session_after_an_edit_plays_the_edited_steps(studio: Practice) -> None:
    screened(studio.client)
    planned(studio.client, start=TODAY)
    web = studio.browser(studio.practitioner)
    rows = [{"technique": "tapping", "zone": "chin", "duration_s": "45"}]
    web.post(edit_url(studio), steps_form(rows, date=TODAY.isoformat()))
    cora = studio.browser(studio.client.account)

    started = cora.post(reverse("guide:start"), {}, content_type="application/json")

    assert started.status_code in (200, 201), started.content
    from collagen_coach.web.journal.models import SessionLog

    log = SessionLog.objects.get(client=studio.client)
    assert [(s["technique"], s["zone"], s["planned_s"]) for s in log.steps] == [
        ("tapping", "chin", 45)
    ]
    timeline = web.get(reverse("clinic:timeline", args=[studio.client.pk])).content.decode()
    assert "Session at home" in timeline
    assert "Plan edited" in timeline


def test_unchanged_steps_keep_their_reasons_and_changed_ones_say_who_chose_them(
    studio: Practice,
) -> None:
    screened(studio.client)
    stored = planned(studio.client)
    first = stored.get_program().sessions[0]
    web = studio.browser(studio.practitioner)
    rows = [
        {
            "technique": s.technique,
            "zone": s.zone,
            "side": s.side,
            "duration_s": str(s.duration_s + (15 if n == 1 else 0)),
            "pressure": str(s.pressure),
            "why": s.why,
        }
        for n, s in enumerate(first.steps)
    ]

    web.post(edit_url(studio), steps_form(rows, date=first.date.isoformat()))

    program = current_program(studio.client)
    assert program is not None
    edited = program.session_on(first.date)
    assert edited is not None
    assert edited.steps[0].why == first.steps[0].why
    assert edited.steps[1].why.startswith("Chosen by your practitioner.")
    assert "evidence:" in edited.steps[1].why
    assert edited.steps[1].duration_s == first.steps[1].duration_s + 15
