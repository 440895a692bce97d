"""The plan generator's rules, each asserted on real library data."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from collagen_coach.core.errors import UserError
from collagen_coach.core.planning import (
    Profile,
    Program,
    build_plan,
    gentler,
    parse_profile,
    progress_phase,
)
from collagen_coach.core.screening import Decision, Intake, Restriction, screen
from collagen_coach.core.techniques import load_library

START = dt.date(2026, 11, 30)
GO = Decision(
    decision="go",
    reasons=["Nothing stands in the way."],
    avoid_zones=[],
    exclude_techniques=[],
    max_pressure=5,
    resume_on=None,
)
GENTLE = {"warm_up", "finishing"}


def profile(**changes: object) -> Profile:
    fields: dict[str, object] = {
        "age": 58,
        "concerns": ["sagging"],
        "experience": "new",
        "minutes_per_day": 10,
        "days_per_week": 5,
        "start_date": START,
    }
    fields.update(changes)
    return Profile.model_validate(fields)


def main_techniques(program: Program, phase: str) -> set[str]:
    library = load_library()
    return {
        step.technique
        for session in program.sessions
        if session.phase == phase
        for step in session.steps
        if library.techniques[step.technique].role == "main"
    }


def test_new_client_starts_with_light_tapping_and_circles_only() -> None:
    program = build_plan(profile(experience="new"), GO)
    assert main_techniques(program, "foundation") == {"tapping", "circular_motions"}
    foundation = [s for s in program.sessions if s.phase == "foundation"]
    assert all(step.pressure <= 2 for s in foundation for step in s.steps)


def test_new_client_adds_kneading_and_stretches_in_build_and_pinching_in_maintain() -> None:
    program = build_plan(profile(experience="new", minutes_per_day=20), GO)
    build = main_techniques(program, "build")
    assert {"kneading", "fascial_stretch"} <= build
    assert "pinching" not in build
    assert "pinching" in main_techniques(program, "maintain")


def test_practised_client_may_use_every_technique_from_the_start() -> None:
    program = build_plan(profile(experience="practised", minutes_per_day=30), GO)
    assert main_techniques(program, "foundation") == {
        "tapping",
        "circular_motions",
        "kneading",
        "fascial_stretch",
        "pinching",
    }


def test_phases_run_foundation_build_maintain_without_gaps() -> None:
    program = build_plan(profile(weeks=12), GO)
    assert [p.name for p in program.phases] == ["foundation", "build", "maintain"]
    assert program.phases[0].start == START
    for before, after in zip(program.phases, program.phases[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    assert program.phases[-1].end == START + dt.timedelta(weeks=12, days=-1)


@pytest.mark.parametrize("minutes", [3, 5, 7, 10, 15, 22, 30, 45, 60])
@pytest.mark.parametrize("experience", ["new", "some", "practised"])
def test_every_session_fits_the_minutes_asked_within_five_percent(
    minutes: int, experience: str
) -> None:
    program = build_plan(profile(minutes_per_day=minutes, experience=experience), GO)
    assert program.sessions
    for session in program.sessions:
        assert abs(session.duration_s - minutes * 60) <= 0.05 * minutes * 60
        assert all(step.duration_s > 0 for step in session.steps)


@pytest.mark.parametrize("days", [1, 2, 3, 4, 5, 6, 7])
def test_sessions_per_week_match_the_days_asked(days: int) -> None:
    program = build_plan(profile(days_per_week=days, weeks=4), GO)
    weeks = Counter((s.date - START).days // 7 for s in program.sessions)
    assert weeks == {0: days, 1: days, 2: days, 3: days}


def zone_seconds(program: Program, zones: set[str]) -> float:
    total = sum(s.duration_s for s in program.sessions)
    part = sum(st.duration_s for s in program.sessions for st in s.steps if st.zone in zones)
    return part / total


@pytest.mark.parametrize(
    ("concern", "zones"),
    [
        ("sagging", {"jawline", "cheeks", "nasolabial", "chin"}),
        ("fine_lines", {"forehead", "glabella", "crows_feet", "mouth"}),
        ("puffiness", {"under_eye", "cheeks", "temples"}),
    ],
)
def test_a_concern_shifts_time_to_its_zones(concern: str, zones: set[str]) -> None:
    with_concern = build_plan(profile(concerns=[concern], minutes_per_day=15), GO)
    without = build_plan(profile(concerns=[], minutes_per_day=15), GO)
    assert zone_seconds(with_concern, zones) > zone_seconds(without, zones)


def test_steps_say_why_with_an_evidence_level() -> None:
    program = build_plan(profile(), GO)
    for step in program.sessions[0].steps:
        assert "evidence:" in step.why


def test_nothing_screening_excludes_or_avoids_appears() -> None:
    decision = Decision(
        decision="modify",
        reasons=["Anticoagulant."],
        avoid_zones=["forehead", "neck"],
        exclude_techniques=["pinching", "kneading"],
        max_pressure=2,
        resume_on=None,
    )
    program = build_plan(profile(experience="practised", minutes_per_day=30), decision)
    steps = [step for s in program.sessions for step in s.steps]
    assert steps
    assert not {st.zone for st in steps} & {"forehead", "neck"}
    assert not {st.technique for st in steps} & {"pinching", "kneading"}
    assert max(st.pressure for st in steps) <= 2


def test_a_time_limited_avoidance_ends_on_its_date() -> None:
    until = START + dt.timedelta(days=14)
    decision = Decision(
        decision="modify",
        reasons=["Botulinum toxin on the forehead."],
        avoid_zones=["forehead", "glabella"],
        exclude_techniques=[],
        max_pressure=5,
        resume_on=until,
        restrictions=[
            Restriction(
                rule="botulinum_toxin",
                decision="modify",
                reason="Botulinum toxin on the forehead.",
                avoid_zones=["forehead", "glabella"],
                until=until,
            )
        ],
    )
    program = build_plan(profile(concerns=["fine_lines"]), decision)
    before = {st.zone for s in program.sessions if s.date < until for st in s.steps}
    after = {st.zone for s in program.sessions if s.date >= until for st in s.steps}
    assert not before & {"forehead", "glabella"}
    assert "forehead" in after


def test_pressure_never_exceeds_the_zone_cap_and_the_neck_is_featherlight() -> None:
    library = load_library()
    program = build_plan(profile(experience="practised", sensitivity="low", minutes_per_day=40), GO)
    for session in program.sessions:
        for step in session.steps:
            assert step.pressure <= library.zones[step.zone].max_pressure
            if step.zone == "neck":
                assert step.pressure == 1


def test_high_sensitivity_means_lighter_pressure() -> None:
    normal = build_plan(profile(experience="practised"), GO)
    sensitive = build_plan(profile(experience="practised", sensitivity="high"), GO)
    total = sum(st.pressure for s in normal.sessions for st in s.steps)
    lighter = sum(st.pressure for s in sensitive.sessions for st in s.steps)
    assert lighter < total


def test_defer_yields_no_session_before_the_resume_date() -> None:
    resume = START + dt.timedelta(days=10)
    decision = Decision(
        decision="defer",
        reasons=["Sunburn: wait until it has healed."],
        avoid_zones=[],
        exclude_techniques=[],
        max_pressure=5,
        resume_on=resume,
    )
    program = build_plan(profile(), decision)
    assert program.sessions
    assert min(s.date for s in program.sessions) >= resume
    assert any("Sunburn" in note for note in program.notes)


def test_refer_yields_no_plan_and_says_why() -> None:
    decision = Decision(
        decision="refer",
        reasons=["An unexplained lump needs a clinician's look first."],
        avoid_zones=[],
        exclude_techniques=[],
        max_pressure=5,
        resume_on=None,
    )
    program = build_plan(profile(), decision)
    assert program.sessions == []
    assert program.phases == []
    assert program.refused is not None
    assert "unexplained lump" in program.refused


def test_same_input_gives_the_same_program() -> None:
    first = build_plan(profile(concerns=["sagging", "dullness"]), GO)
    second = build_plan(profile(concerns=["sagging", "dullness"]), GO)
    assert first.model_dump_json() == second.model_dump_json()


def test_sessions_rotate_through_zones_over_a_week() -> None:
    program = build_plan(profile(concerns=[], minutes_per_day=10, days_per_week=7), GO)
    week = [s for s in program.sessions if (s.date - START).days < 7]
    zones = {st.zone for s in week for st in s.steps}
    assert len(zones) >= 6


def test_peptides_appear_as_a_daily_item_with_dose_and_evidence() -> None:
    program = build_plan(profile(wants_peptides=True), GO)
    (item,) = program.daily
    assert "g a day" in item.dose
    assert item.evidence_level == "MA"
    assert "industry" in (item.note + item.evidence).lower()


def test_no_peptides_unless_wanted() -> None:
    assert build_plan(profile(wants_peptides=False), GO).daily == []


def test_peptides_wait_for_a_clinician_in_pregnancy() -> None:
    intake = Intake(age=38, conditions=["pregnancy"], as_of=START)
    program = build_plan(profile(age=38, wants_peptides=True, intake=intake), GO)
    assert program.daily == []
    assert any("clinician" in note for note in program.notes)


def test_split_face_trial_touches_only_the_treated_side() -> None:
    program = build_plan(profile(treated_side="left", minutes_per_day=15), GO)
    steps = [st for s in program.sessions for st in s.steps]
    assert {st.side for st in steps} == {"left"}
    assert not {st.zone for st in steps} & {"glabella", "chin"}


def test_plan_follows_a_real_screening_of_an_anticoagulant_user() -> None:
    intake = Intake(age=66, medications=["anticoagulant"], as_of=START)
    program = build_plan(profile(experience="practised", intake=intake), screen(intake))
    steps = [st for s in program.sessions for st in s.steps]
    assert "pinching" not in {st.technique for st in steps}
    assert max(st.pressure for st in steps) <= 2


@pytest.mark.parametrize(
    ("raw", "field", "says"),
    [
        ("not an object", "profile", "object"),
        ({"start_date": "2026-11-30"}, "age", "required"),
        ({"age": 12, "start_date": "2026-11-30"}, "age", "18"),
        ({"age": 58}, "start_date", "required"),
        ({"age": 58, "start_date": "30/11/2026"}, "start_date", "date"),
        (
            {"age": 58, "start_date": "2026-11-30", "concerns": ["wrinkles"]},
            "concerns[0]",
            "sagging",
        ),
        (
            {"age": 58, "start_date": "2026-11-30", "experience": "expert"},
            "experience",
            "practised",
        ),
        ({"age": 58, "start_date": "2026-11-30", "minutes_per_day": 0}, "minutes_per_day", "3"),
        ({"age": 58, "start_date": "2026-11-30", "days_per_week": 8}, "days_per_week", "7"),
        ({"age": 58, "start_date": "2026-11-30", "colour": "red"}, "colour", "not a field"),
        (
            {"age": 58, "start_date": "2026-11-30", "intake": {"age": 58, "conditions": ["flu"]}},
            "intake.conditions",
            "flu",
        ),
    ],
    ids=[
        "not-an-object",
        "age-missing",
        "age-too-young",
        "start-missing",
        "start-not-iso",
        "unknown-concern",
        "unknown-experience",
        "minutes-zero",
        "days-eight",
        "unknown-field",
        "intake-unknown-condition",
    ],
)
def test_bad_profiles_are_refused_naming_the_field(raw: object, field: str, says: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_profile(raw)
    assert caught.value.field.startswith(field)
    assert says in caught.value.message


def test_a_gentler_session_is_lighter_and_keeps_its_length() -> None:
    program = build_plan(profile(experience="practised", minutes_per_day=20), GO)
    session = next(s for s in program.sessions if any(st.pressure >= 2 for st in s.steps))
    softer = gentler(session)
    library = load_library()
    assert softer.duration_s == session.duration_s
    assert sum(st.pressure for st in softer.steps) < sum(st.pressure for st in session.steps)
    for step in softer.steps:
        assert library.techniques[step.technique].pressure.min <= step.pressure
    assert "pinching" not in {st.technique for st in softer.steps}


FIRST_SESSION = dt.date(2026, 4, 6)


@pytest.mark.parametrize(
    ("day", "first_session", "phase"),
    [
        pytest.param(
            FIRST_SESSION - dt.timedelta(days=1), FIRST_SESSION, "baseline", id="day-before"
        ),
        pytest.param(FIRST_SESSION, FIRST_SESSION, "treatment", id="first-session-day"),
        pytest.param(
            FIRST_SESSION + dt.timedelta(weeks=8), FIRST_SESSION, "treatment", id="weeks-after"
        ),
        pytest.param(FIRST_SESSION, None, None, id="no-plan-no-phase"),
    ],
)
def test_the_baseline_is_everything_before_the_first_session(
    day: dt.date, first_session: dt.date | None, phase: str | None
) -> None:
    assert progress_phase(day, first_session) == phase


def test_a_program_gives_its_first_session_date() -> None:
    program = build_plan(profile(), GO)
    refused = build_plan(profile(), GO.model_copy(update={"decision": "refer"}))

    assert program.first_session_on == START
    assert refused.first_session_on is None
