"""The how-to of a session step speaks only of that step's zone, so it never sends hands to an
area the safety check says to leave alone, and the player's face map shows those areas."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from collagen_coach.core.plan_checks import check_step
from collagen_coach.core.planning import Step
from collagen_coach.core.screening import Decision, Intake, Procedure, screen
from collagen_coach.core.techniques import ZONE_IDS, Zone, load_library, zones_named
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.guide.cards import step_card

from .test_session_pages import player_data

LIBRARY = load_library()
TODAY = dt.date.today()

# Every step the library allows, with every other zone as the one screening says to avoid.
COMBINATIONS = [
    (technique.id, zone, avoided)
    for technique in LIBRARY.techniques.values()
    for zone in technique.zones
    for avoided in ZONE_IDS
    if avoided != zone
]


def named_anyhow(zone: Zone) -> Zone:
    """Give ``zone`` with its name and id among its words, so a how-to cannot name it at all."""
    extra = [zone.name, zone.id.replace("_", " ")]
    return zone.model_copy(update={"words": [*zone.words, *extra]})


def avoiding(zone: str) -> Decision:
    return Decision(
        decision="modify",
        reasons=[f"Leave the {zone} alone."],
        avoid_zones=[zone],
        exclude_techniques=[],
        max_pressure=5,
        resume_on=None,
    )


@pytest.mark.parametrize(
    ("technique_id", "zone", "avoided"),
    COMBINATIONS,
    ids=[f"{t}-on-{z}-avoiding-{a}" for t, z, a in COMBINATIONS],
)
def test_no_how_to_points_to_an_avoided_zone(technique_id: str, zone: str, avoided: str) -> None:
    technique = LIBRARY.techniques[technique_id]
    step = Step(
        technique=technique_id,
        zone=zone,
        side="both",
        duration_s=60,
        pressure=technique.pressure.min,
        tempo_value=technique.tempo.value,
        tempo_unit=technique.tempo.unit,
        tempo_cue=technique.tempo.cue,
        why="",
    )
    decision = avoiding(avoided)
    assert check_step(step, decision, LIBRARY, TODAY) == []  # the step itself may be done

    card = step_card(step, 0, 1, LIBRARY)

    assert avoided not in zones_named(
        " ".join(card["how_to"]), [named_anyhow(LIBRARY.zones[avoided])]
    )


def injected_in_the_forehead_four_days_ago(person) -> None:
    answers = Intake(
        age=58,
        procedures=[
            Procedure(kind="botulinum_toxin", zones=["forehead"], date=TODAY - dt.timedelta(days=4))
        ],
        as_of=TODAY,
    )
    save_intake(person, answers, screen(answers, today=TODAY))


@pytest.mark.postgres
def test_the_players_face_map_shows_the_areas_to_leave_alone(ready_to_play):
    web, ann, _ = ready_to_play
    injected_in_the_forehead_four_days_ago(ann)

    page = web.get(reverse("guide:play")).content.decode()

    assert re.findall(r'class="zone zone-avoid" data-zone="(\w+)"', page) == ["forehead"]
    assert "Leave alone today" in page


@pytest.mark.postgres
def test_todays_session_leaves_out_a_zone_a_newer_safety_check_rules_out(ready_to_play):
    # The plan was made before the injection: its first step is tapping on the forehead.
    web, ann, session = ready_to_play
    assert session.steps[0].zone == "forehead"
    injected_in_the_forehead_four_days_ago(ann)

    steps = player_data(web.get(reverse("guide:play")))["steps"]

    assert [s["zone"] for s in steps] == [s.zone for s in session.steps if s.zone != "forehead"]


@pytest.mark.postgres
def test_today_says_which_steps_a_newer_safety_check_leaves_out(ready_to_play):
    web, ann, _ = ready_to_play
    injected_in_the_forehead_four_days_ago(ann)

    page = web.get(reverse("guide:today")).content.decode()

    assert "Left out today." in page
    assert "Screening leaves the forehead alone" in page
