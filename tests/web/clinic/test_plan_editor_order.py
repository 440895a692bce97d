"""The plan editor offers only the techniques the client's screening allows, puts a new step
where it belongs in the session (before the closing strokes) and moves steps up and down on the
server, refusing an order the session may not be played in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from collagen_coach.web.plans.services import current_program
from web.clinic.conftest import Practice
from web.clinic.records import screened

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

WARM = {"technique": "warm_up_effleurage", "zone": "cheeks", "pressure": "1"}
TAP = {"technique": "tapping", "zone": "forehead", "pressure": "1"}
CIRCLES = {"technique": "circular_motions", "zone": "cheeks", "pressure": "2"}
SWEEP = {"technique": "lymphatic_sweep", "zone": "neck", "pressure": "1"}


def _planned_with(client: Any, rows: list[dict[str, str]]) -> Any:
    """Save a plan for ``client`` whose first session has exactly ``rows``; give that day."""
    from collagen_coach.core.planning import Profile, build_plan
    from collagen_coach.web.clients.services import latest_intake
    from collagen_coach.web.clinic.services import hand_step
    from collagen_coach.web.plans.services import save_program
    from web.clinic.records import TODAY

    found = latest_intake(client)
    assert found is not None
    intake, decision = found
    program = build_plan(Profile(age=60, start_date=TODAY, weeks=8, intake=intake), decision)
    steps = [hand_step(r["technique"], r["zone"], "both", 60, int(r["pressure"])) for r in rows]
    first = program.sessions[0].model_copy(update={"steps": steps})
    save_program(client, program.model_copy(update={"sessions": [first, *program.sessions[1:]]}))
    return first.date


def _form(rows: list[dict[str, str]], existing: int, **more: str) -> dict[str, str]:
    data = {
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": str(existing),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "16",
        **more,
    }
    for n, row in enumerate(rows):
        full = {"side": "both", "duration_s": "60", "why": "", **row}
        data.update({f"steps-{n}-{key}": value for key, value in full.items()})
    return data


def _url(studio: Practice) -> str:
    return reverse("clinic:plan_edit", args=[studio.client.pk])


def _offered(page: str, row: int) -> list[str]:
    select = re.search(rf'<select name="steps-{row}-technique".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([a-z_]+)"', select.group(0))


def test_only_the_techniques_screening_allows_are_offered(studio: Practice) -> None:
    screened(studio.client, conditions=["fragile_skin"])  # leaves pinching out
    day = _planned_with(studio.client, [WARM, TAP, SWEEP])
    web = studio.browser(studio.practitioner)

    page = web.get(_url(studio), {"date": day.isoformat()}).content.decode()

    for row in range(5):  # the session's three steps and the two empty rows
        offered = _offered(page, row)
        assert "pinching" not in offered
        assert {"tapping", "circular_motions", "lymphatic_sweep"} <= set(offered)


def test_without_a_limit_every_technique_is_offered(studio: Practice) -> None:
    screened(studio.client)
    day = _planned_with(studio.client, [WARM, TAP, SWEEP])

    page = studio.browser(studio.practitioner).get(_url(studio), {"date": day.isoformat()})

    assert "pinching" in _offered(page.content.decode(), 3)


def test_a_new_step_goes_before_the_closing_neck_sweep(studio: Practice) -> None:
    screened(studio.client)
    day = _planned_with(studio.client, [WARM, TAP, SWEEP])
    web = studio.browser(studio.practitioner)

    answer = web.post(
        _url(studio), _form([WARM, TAP, SWEEP, CIRCLES], existing=3, date=day.isoformat())
    )

    assert answer.status_code == 302
    program = current_program(studio.client)
    assert program is not None
    session = program.session_on(day)
    assert session is not None
    assert [s.technique for s in session.steps] == [
        "warm_up_effleurage",
        "tapping",
        "circular_motions",
        "lymphatic_sweep",
    ]


def test_a_step_moves_down_on_the_server_without_saving(studio: Practice) -> None:
    screened(studio.client)
    day = _planned_with(studio.client, [WARM, TAP, CIRCLES, SWEEP])
    web = studio.browser(studio.practitioner)
    before = current_program(studio.client)

    answer = web.post(
        _url(studio),
        _form([WARM, TAP, CIRCLES, SWEEP], existing=4, date=day.isoformat(), move="2-down"),
    )

    assert answer.status_code == 200
    shown = [answer.context["formset"].forms[n].initial["technique"] for n in range(4)]
    assert shown == ["warm_up_effleurage", "circular_motions", "tapping", "lymphatic_sweep"]
    assert current_program(studio.client) == before  # nothing saved until Save
    assert "Moved. Nothing is saved yet: save to keep the new order." in answer.content.decode()


SWEEP_BEFORE_TAPPING = (
    "Step 3 (Tapping on the forehead) cannot come after step 2 (Lymphatic sweep on the neck): "
    "the finishing strokes end the session, stroking toward the lymph nodes."
)


@pytest.mark.parametrize(
    ("move", "message"),
    [
        ("2-down", SWEEP_BEFORE_TAPPING),
        ("3-up", SWEEP_BEFORE_TAPPING),
        (
            "1-down",
            "Step 2 (Warm-up strokes on the cheeks) cannot come after step 1 (Tapping on the "
            "forehead): the warm-up comes before the main steps, to warm the skin.",
        ),
        ("3-down", "There is no step to move there: choose a step's Up or Down button."),
    ],
    ids=["main-step-below-the-sweep", "sweep-up", "warm-up-down", "last-step-down"],
)
def test_a_move_that_breaks_the_sessions_order_is_refused_in_words(
    studio: Practice, move: str, message: str
) -> None:
    screened(studio.client)
    day = _planned_with(studio.client, [WARM, TAP, SWEEP])
    web = studio.browser(studio.practitioner)

    answer = web.post(
        _url(studio), _form([WARM, TAP, SWEEP], existing=3, date=day.isoformat(), move=move)
    )

    assert answer.status_code == 400
    assert answer.context["formset"].non_form_errors() == [
        f"{message} The steps stay in their order."
    ]
    assert message in answer.content.decode().replace("&#x27;", "'")


def test_saving_steps_in_an_order_that_cannot_be_played_is_refused(studio: Practice) -> None:
    screened(studio.client)
    day = _planned_with(studio.client, [WARM, TAP, SWEEP])
    web = studio.browser(studio.practitioner)
    before = current_program(studio.client)

    answer = web.post(_url(studio), _form([WARM, SWEEP, TAP], existing=3, date=day.isoformat()))

    assert answer.status_code == 422
    assert (
        "Step 3 (Tapping on the forehead) cannot come after step 2 (Lymphatic sweep on the "
        "neck)" in answer.content.decode()
    )
    assert current_program(studio.client) == before


def test_a_practitioner_of_another_practice_cannot_move_a_clients_steps(
    studio: Practice, make_practice: Any, make_practitioner: Any
) -> None:
    screened(studio.client)
    day = _planned_with(studio.client, [WARM, TAP, CIRCLES, SWEEP])
    other, _ = make_practice("Glow Rooms", owner="gina")
    greg = make_practitioner(other, "greg")
    before = current_program(studio.client)

    answer = studio.browser(greg).post(
        _url(studio),
        _form([WARM, TAP, CIRCLES, SWEEP], existing=4, date=day.isoformat(), move="2-down"),
    )

    assert answer.status_code == 404
    assert current_program(studio.client) == before


def test_a_moved_step_keeps_its_reason_when_saved(studio: Practice) -> None:
    from web.clinic.records import planned

    screened(studio.client)
    first = planned(studio.client).get_program().sessions[0]
    steps = first.steps
    order = [0, 2, 1, *range(3, len(steps))]  # as "Move step 2 down" left them
    rows = [
        {
            "technique": steps[n].technique,
            "zone": steps[n].zone,
            "side": steps[n].side,
            "duration_s": str(steps[n].duration_s),
            "pressure": str(steps[n].pressure),
            "why": steps[n].why,
        }
        for n in order
    ]

    answer = studio.browser(studio.practitioner).post(
        _url(studio), _form(rows, existing=len(rows), date=first.date.isoformat())
    )

    assert answer.status_code == 302
    saved = current_program(studio.client)
    assert saved is not None
    session = saved.session_on(first.date)
    assert session is not None
    assert [s.why for s in session.steps] == [steps[n].why for n in order]
    assert not session.steps[1].why.startswith("Chosen by your practitioner")
