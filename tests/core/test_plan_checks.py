"""A step chosen by hand is checked against screening and the library, with reasons in words."""

from __future__ import annotations

import datetime as dt

import pytest

from collagen_coach.core.plan_checks import check_decision, check_step, ruled_out_days
from collagen_coach.core.planning import Profile, Session, Side, Step, build_plan
from collagen_coach.core.screening import Decision, Intake, Procedure, load_rules, screen
from collagen_coach.core.techniques import load_library

DAY = dt.date(2026, 11, 24)
LIBRARY = load_library()
RULES = {rule.id: rule for rule in load_rules().rules}


def step(
    technique: str = "circular_motions",
    zone: str = "cheeks",
    pressure: int = 2,
    duration_s: int = 60,
    side: Side = "both",
) -> Step:
    return Step(
        technique=technique,
        zone=zone,
        side=side,
        duration_s=duration_s,
        pressure=pressure,
        tempo_value=2.0,
        tempo_unit="s_per_circle",
        tempo_cue="one slow circle every two seconds",
        why="chosen by hand",
    )


def decision_for(*conditions: str, procedures: list[Procedure] | None = None) -> Decision:
    intake = Intake(age=58, conditions=list(conditions), procedures=procedures or [], as_of=DAY)
    return screen(intake)


GO = decision_for()


def test_a_gentle_step_on_a_go_decision_passes() -> None:
    assert check_step(step(), GO, LIBRARY, DAY) == []


def test_fragile_skin_refuses_pinching_with_the_rules_reason() -> None:
    problems = check_step(step("pinching", "cheeks", 2), decision_for("fragile_skin"), LIBRARY, DAY)

    assert any(
        p.startswith("Screening leaves out light pinching")
        and " ".join(RULES["fragile_skin"].reason.split()) in " ".join(p.split())
        for p in problems
    ), problems


def test_fragile_skin_caps_pressure_with_its_reason() -> None:
    problems = check_step(
        step("circular_motions", "cheeks", 3), decision_for("fragile_skin"), LIBRARY, DAY
    )

    assert any(p.startswith("Screening allows at most light (level 2 of 5)") for p in problems)


def test_an_avoided_zone_is_refused_while_the_avoidance_lasts_and_allowed_after() -> None:
    botox = Procedure(kind="botulinum_toxin", zones=["forehead"], date=DAY - dt.timedelta(days=1))
    decision = decision_for(procedures=[botox])
    (ends,) = [r.until for r in decision.restrictions if "forehead" in r.avoid_zones]
    assert ends is not None

    during = check_step(
        step("tapping", "forehead", 1), decision, LIBRARY, ends - dt.timedelta(days=1)
    )
    after = check_step(step("tapping", "forehead", 1), decision, LIBRARY, ends)

    assert any(p.startswith("Screening leaves the forehead alone (until") for p in during)
    assert after == []


def test_pressure_on_the_neck_above_featherlight_is_refused_whatever_screening_says() -> None:
    problems = check_step(step("lymphatic_sweep", "neck", 2), GO, LIBRARY, DAY)

    assert any(p.startswith("The neck takes at most featherlight (level 1 of 5)") for p in problems)
    assert any("carotid" in p for p in problems)


def test_a_technique_on_a_zone_it_is_not_done_on_is_refused() -> None:
    problems = check_step(step("kneading", "neck", 1), GO, LIBRARY, DAY)

    assert any(p.startswith("Kneading is not done on the neck") for p in problems)


@pytest.mark.parametrize(
    ("changed", "starts"),
    [
        (step(side="left", zone="chin"), "The chin is in the middle of the face"),
        (step(duration_s=5), "A step lasts 10 seconds to 15 minutes"),
        (step("tapping", "cheeks", 3), "Tapping is done at most light (level 2 of 5)"),
        (step("kneading", "cheeks", 1), "Kneading cannot be done lighter than light"),
        (step("rolling", "cheeks"), "'rolling' is not a technique in the library"),
        (step("tapping", "nose"), "'nose' is not a zone of the face map"),
    ],
    ids=[
        "side-of-midline",
        "too-short",
        "above-technique",
        "below-technique",
        "unknown-technique",
        "unknown-zone",
    ],
)
def test_library_limits_are_refused_in_words(changed: Step, starts: str) -> None:
    problems = check_step(changed, GO, LIBRARY, DAY)

    assert any(p.startswith(starts) for p in problems), problems


def test_refer_and_defer_refuse_every_step_until_the_resume_date() -> None:
    refer = decision_for("carotid_disease", "recent_stroke")
    defer = decision_for("fever")
    assert refer.decision == "refer"
    assert defer.decision == "defer"
    assert defer.resume_on

    assert check_step(step(), refer, LIBRARY, DAY)[0].startswith(
        "Screening says to see a clinician"
    )
    assert check_decision(defer, DAY)[0].startswith("Screening says to wait until")
    assert check_decision(defer, defer.resume_on) == []


def test_a_decision_made_by_hand_holds_its_limits_until_resume_on() -> None:
    by_hand = Decision(
        decision="modify",
        reasons=["Told by the client's doctor."],
        avoid_zones=["cheeks"],
        exclude_techniques=[],
        max_pressure=5,
        resume_on=DAY + dt.timedelta(days=7),
    )

    assert len(by_hand.restrictions_on(DAY)) == 1
    assert check_step(step(), by_hand, LIBRARY, DAY) == [
        "Screening leaves the cheeks alone (until 1 December 2026): Told by the client's doctor."
    ]
    assert check_step(step(), by_hand, LIBRARY, DAY + dt.timedelta(days=7)) == []


@pytest.mark.parametrize(
    "intake",
    [
        Intake(age=60, as_of=DAY),
        Intake(age=60, conditions=["fragile_skin"], as_of=DAY),
        Intake(age=60, conditions=["carotid_disease"], as_of=DAY),
        Intake(age=60, medications=["anticoagulant", "isotretinoin"], as_of=DAY),
    ],
    ids=["go", "fragile-skin", "carotid", "blood-thinner-isotretinoin"],
)
def test_every_step_the_planner_makes_passes_the_checks(intake: Intake) -> None:
    decision = screen(intake)
    profile = Profile(age=60, experience="practised", start_date=DAY, weeks=8)
    program = build_plan(profile, decision, LIBRARY)

    problems = [
        (s.date, p)
        for s in program.sessions
        for st in s.steps
        for p in check_step(st, decision, LIBRARY, s.date)
    ]

    assert program.sessions
    assert problems == []


def test_a_day_is_ruled_out_by_the_check_in_force_that_day_only() -> None:
    def session(day: dt.date) -> Session:
        return Session(
            date=day, phase="foundation", steps=[step(zone="cheeks"), step("tapping", "forehead")]
        )

    days = [DAY + dt.timedelta(days=n) for n in (0, 2, 5, 7)]
    fever = Intake(age=58, conditions=["fever"], as_of=days[1])
    cheeks = Procedure(kind="dermal_filler", zones=["cheeks"], date=days[1])
    filler = Intake(age=58, procedures=[cheeks], as_of=days[1])
    sessions = [session(day) for day in days]
    # A deferral for 3 days from day 2 rules out day 2 only: day 0 came before the check.
    deferral = [(days[1], screen(fever, today=days[1]))]
    assert ruled_out_days(sessions, deferral, LIBRARY) == {days[1]}
    # Leaving the cheeks alone still leaves the forehead: no day is ruled out.
    assert ruled_out_days(sessions, [(days[1], screen(filler, today=days[1]))], LIBRARY) == set()
    # A check made later about the same day (the fever gone) takes over from it.
    well = Intake(age=58, as_of=days[1])
    assert (
        ruled_out_days(sessions, [*deferral, (days[1], screen(well, today=days[1]))], LIBRARY)
        == set()
    )
    # One describing a later day leaves the earlier days to the deferral.
    assert ruled_out_days(
        sessions, [*deferral, (days[2], screen(well, today=days[2]))], LIBRARY
    ) == {days[1]}
    assert ruled_out_days(sessions, [], LIBRARY) == set()
