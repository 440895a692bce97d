"""Safety screening: every rule, how rules combine, procedure windows, and bad intake answers."""

from __future__ import annotations

import copy
import datetime as dt
from importlib import resources
from typing import Any

import pytest
import yaml

from collagen_coach.core.errors import DataFileError, UserError
from collagen_coach.core.library import validate_data
from collagen_coach.core.screening import (
    CONDITIONS,
    MEDICATIONS,
    PROCEDURE_KINDS,
    TECHNIQUE_IDS,
    Decision,
    DecisionKind,
    Intake,
    Procedure,
    Restriction,
    RuleBook,
    load_rules,
    parse_intake,
    screen,
)
from collagen_coach.core.techniques import ZONE_IDS, load_library

AS_OF = dt.date(2026, 11, 24)
WHOLE_FACE = list(ZONE_IDS)
GO_REASON = "Nothing in your answers stands in the way; start gently."

# Written out here, not read from the code, so that a rule deleted from the YAML (or an answer
# dropped from the intake) makes a test fail. The lists are the intake JSON of DESIGN.md.
DESIGN_CONDITIONS = [
    "rosacea_flare",
    "active_acne",
    "skin_infection",
    "cold_sore",
    "open_wound",
    "sunburn",
    "eczema_flare",
    "recent_facial_surgery",
    "unexplained_lump",
    "swollen_lymph_nodes",
    "fever",
    "skin_cancer_history",
    "trigeminal_neuralgia",
    "bell_palsy",
    "pregnancy",
    "fragile_skin",
    "broken_capillaries",
    "bleeding_disorder",
    "recent_stroke",
    "carotid_disease",
    "head_neck_radiation",
    "cancer_treatment",
    "uncontrolled_hypertension",
]
DESIGN_MEDICATIONS = ["anticoagulant", "isotretinoin", "topical_retinoid", "corticosteroid"]
DESIGN_PROCEDURES = [
    "botulinum_toxin",
    "dermal_filler",
    "chemical_peel",
    "laser",
    "microneedling",
    "thread_lift",
    "surgery",
]


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def intake(
    conditions: list[str] | None = None,
    medications: list[str] | None = None,
    procedures: list[Procedure] | None = None,
) -> Intake:
    return Intake(
        age=58,
        conditions=conditions or [],
        medications=medications or [],
        procedures=procedures or [],
        as_of=AS_OF,
    )


def done(kind: str, days_ago: int, zones: list[str] | None = None) -> Procedure:
    zones = ["forehead"] if zones is None else zones
    return Procedure.model_validate({"kind": kind, "zones": zones, "date": AS_OF - days(days_ago)})


def shipped_raw() -> dict[str, Any]:
    path = resources.files("collagen_coach.core") / "data" / "contraindications.yaml"
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return raw


def reason_of(rule_id: str) -> str:
    return next(r.reason for r in load_rules().rules if r.id == rule_id)


# --- every intake answer has exactly one rule ---------------------------------------------------


def test_the_known_answers_are_those_of_the_design() -> None:
    assert list(CONDITIONS) == DESIGN_CONDITIONS
    assert list(MEDICATIONS) == DESIGN_MEDICATIONS
    assert list(PROCEDURE_KINDS) == DESIGN_PROCEDURES


@pytest.mark.parametrize(
    ("kind", "answer"),
    [("condition", c) for c in DESIGN_CONDITIONS]
    + [("medication", m) for m in DESIGN_MEDICATIONS]
    + [("procedure", p) for p in DESIGN_PROCEDURES],
    ids=lambda value: str(value),
)
def test_every_intake_answer_has_exactly_one_rule(kind: str, answer: str) -> None:
    matching = [rule for rule in load_rules().rules if rule.trigger == (kind, answer)]
    assert len(matching) == 1


def test_rules_name_exactly_the_techniques_of_the_library() -> None:
    assert set(TECHNIQUE_IDS) == set(load_library().techniques)


def test_every_rule_carries_an_evidence_level_and_a_source() -> None:
    for rule in load_rules().rules:
        assert rule.evidence in {"MA", "RCT", "CT", "PP", "EX", "EO", "NONE"}, rule.id
        assert len(rule.source) > 20, rule.id


# --- one row per rule ---------------------------------------------------------------------------

# answer, decision, avoid_zones, exclude_techniques, max_pressure, resume_on, words in the reason
CONDITION_ROWS = [
    ("rosacea_flare", "defer", [], [], 5, AS_OF + days(7), "flare has settled"),
    ("active_acne", "modify", [], ["kneading", "pinching"], 2, None, "scars"),
    ("skin_infection", "defer", [], [], 5, AS_OF + days(7), "spread by touch"),
    ("cold_sore", "defer", [], [], 5, AS_OF + days(10), "to the eyes"),
    ("open_wound", "defer", [], [], 5, AS_OF + days(7), "healed"),
    ("sunburn", "defer", [], [], 5, AS_OF + days(7), "sunburnt"),
    ("eczema_flare", "defer", [], [], 5, AS_OF + days(7), "eczema flare"),
    ("recent_facial_surgery", "refer", [], [], 5, None, "ask your surgeon"),
    ("unexplained_lump", "refer", [], [], 5, None, "see your doctor"),
    ("swollen_lymph_nodes", "refer", [], [], 5, None, "see your doctor"),
    ("fever", "defer", [], [], 5, AS_OF + days(3), "fever"),
    ("skin_cancer_history", "modify", [], [], 3, None, "dermatologist"),
    ("trigeminal_neuralgia", "refer", [], [], 5, None, "neurologist"),
    ("bell_palsy", "refer", [], [], 5, None, "physiotherapist"),
    ("pregnancy", "modify", [], [], 3, None, "midwife"),
    (
        "fragile_skin",
        "modify",
        [],
        ["kneading", "fascial_stretch", "pinching"],
        2,
        None,
        "tears and bruises",
    ),
    ("broken_capillaries", "modify", [], ["pinching"], 2, None, "no pinching"),
    ("bleeding_disorder", "modify", [], ["pinching"], 2, None, "bruise"),
    ("recent_stroke", "refer", [], [], 5, None, "another stroke"),
    ("carotid_disease", "modify", ["neck"], [], 2, None, "leave your neck out"),
    ("head_neck_radiation", "refer", [], [], 5, None, "oncologist"),
    ("cancer_treatment", "refer", [], [], 5, None, "oncologist"),
    ("uncontrolled_hypertension", "refer", [], [], 5, None, "blood pressure"),
]

MEDICATION_ROWS = [
    ("anticoagulant", "modify", [], ["pinching"], 2, None, "bruising"),
    ("isotretinoin", "modify", [], ["kneading", "fascial_stretch", "pinching"], 2, None, "blister"),
    ("topical_retinoid", "modify", [], ["pinching"], 3, None, "irritated"),
    ("corticosteroid", "modify", [], ["kneading", "fascial_stretch", "pinching"], 2, None, "thin"),
]


@pytest.mark.parametrize(
    ("answer", "kind", "zones", "techniques", "pressure", "resume_on", "words"),
    [pytest.param(*row, id=row[0]) for row in CONDITION_ROWS],
)
def test_condition_rule(
    answer: str,
    kind: str,
    zones: list[str],
    techniques: list[str],
    pressure: int,
    resume_on: dt.date | None,
    words: str,
) -> None:
    result = screen(intake(conditions=[answer]))
    assert (result.decision, result.avoid_zones, result.exclude_techniques) == (
        kind,
        zones,
        techniques,
    )
    assert (result.max_pressure, result.resume_on) == (pressure, resume_on)
    assert result.reasons == [reason_of(answer)]
    assert words in result.reasons[0].lower()
    assert [(r.rule, r.until) for r in result.restrictions] == [(answer, resume_on)]


@pytest.mark.parametrize(
    ("answer", "kind", "zones", "techniques", "pressure", "resume_on", "words"),
    [pytest.param(*row, id=row[0]) for row in MEDICATION_ROWS],
)
def test_medication_rule(
    answer: str,
    kind: str,
    zones: list[str],
    techniques: list[str],
    pressure: int,
    resume_on: dt.date | None,
    words: str,
) -> None:
    result = screen(intake(medications=[answer]))
    assert (result.decision, result.avoid_zones, result.exclude_techniques) == (
        kind,
        zones,
        techniques,
    )
    assert (result.max_pressure, result.resume_on) == (pressure, resume_on)
    assert result.reasons == [reason_of(answer)]
    assert words in result.reasons[0].lower()


# kind, decision, days the treated zones stay out of bounds, words in the reason
PROCEDURE_ROWS = [
    ("botulinum_toxin", "modify", 14, "two weeks"),
    ("dermal_filler", "modify", 14, "urgent care"),
    ("chemical_peel", "modify", 14, "peel"),
    ("laser", "modify", 14, "laser"),
    ("microneedling", "modify", 7, "a week"),
    ("thread_lift", "modify", 28, "four weeks"),
    ("surgery", "refer", 42, "ask your surgeon"),
]


@pytest.mark.parametrize(
    ("kind", "decision", "for_days", "words"),
    [pytest.param(*row, id=row[0]) for row in PROCEDURE_ROWS],
)
def test_procedure_rule_on_its_last_day_avoids_the_treated_zones(
    kind: str, decision: str, for_days: int, words: str
) -> None:
    result = screen(intake(procedures=[done(kind, for_days - 1, ["forehead", "cheeks"])]))
    assert result.decision == decision
    assert result.avoid_zones == ["forehead", "cheeks"]
    assert result.exclude_techniques == []
    assert result.max_pressure == 5
    assert result.reasons == [reason_of(kind)]
    assert words in result.reasons[0].lower()
    assert [(r.rule, r.until) for r in result.restrictions] == [(kind, AS_OF + days(1))]
    assert result.resume_on == (AS_OF + days(1) if decision == "modify" else None)


@pytest.mark.parametrize(
    ("kind", "for_days"),
    [pytest.param(row[0], row[2], id=row[0]) for row in PROCEDURE_ROWS],
)
def test_procedure_rule_stops_applying_the_day_its_window_ends(kind: str, for_days: int) -> None:
    result = screen(intake(procedures=[done(kind, for_days)]))
    assert (result.decision, result.reasons, result.restrictions) == ("go", [GO_REASON], [])


def test_procedure_done_today_runs_its_full_window() -> None:
    result = screen(intake(procedures=[done("botulinum_toxin", 0)]))
    assert result.resume_on == AS_OF + days(14)


def test_dermal_filler_reason_names_the_red_flags() -> None:
    reason = screen(intake(procedures=[done("dermal_filler", 2)])).reasons[0].lower()
    assert all(flag in reason for flag in ("pale", "dusky", "severe pain", "urgent care"))


def test_procedure_without_zones_counts_as_done_on_the_whole_face() -> None:
    result = screen(intake(procedures=[done("laser", 3, zones=[])]))
    assert result.avoid_zones == WHOLE_FACE
    assert result.restrictions[0].avoid_zones == WHOLE_FACE


def test_nothing_left_to_massage_means_waiting_until_the_first_zone_is_free() -> None:
    result = screen(intake(procedures=[done("laser", 3, zones=[])]))
    assert (result.decision, result.resume_on) == ("defer", AS_OF + days(11))
    assert result.reasons[-1] == load_rules().all_zones_avoided_reason


def test_waiting_ends_when_any_zone_is_free_even_if_another_never_is() -> None:
    # Carotid disease keeps the neck out for good; the laser frees the rest of the face.
    result = screen(intake(conditions=["carotid_disease"], procedures=[done("laser", 3, zones=[])]))
    assert (result.decision, result.resume_on) == ("defer", AS_OF + days(11))


def test_a_zone_is_free_only_when_every_procedure_on_it_has_run_its_window() -> None:
    everywhere = [done("laser", 3, zones=[]), done("microneedling", 1, zones=[])]
    result = screen(intake(procedures=everywhere))
    # laser ends AS_OF+11, microneedling AS_OF+6: every zone is out until the later of the two.
    assert (result.decision, result.resume_on) == ("defer", AS_OF + days(11))


def test_standing_restriction_on_every_zone_stays_modify_without_a_date() -> None:
    raw = shipped_raw()
    fragile = next(r for r in raw["rules"] if r["id"] == "fragile_skin")
    fragile["avoid_zones"] = WHOLE_FACE
    book = validate_data("contraindications.yaml", raw, RuleBook)
    result = screen(intake(conditions=["fragile_skin"]), rules=book)
    assert (result.decision, result.avoid_zones, result.resume_on) == ("modify", WHOLE_FACE, None)


def test_two_procedures_of_one_kind_each_keep_their_own_window() -> None:
    result = screen(
        intake(
            procedures=[
                done("botulinum_toxin", 10, ["forehead"]),
                done("botulinum_toxin", 2, ["crows_feet"]),
            ]
        )
    )
    assert result.avoid_zones == ["forehead", "crows_feet"]
    assert [r.until for r in result.restrictions] == [AS_OF + days(4), AS_OF + days(12)]
    assert result.reasons == [reason_of("botulinum_toxin")]
    assert result.resume_on == AS_OF + days(12)


def test_expired_procedure_of_a_kind_leaves_the_recent_one_alone() -> None:
    result = screen(
        intake(
            procedures=[
                done("botulinum_toxin", 30, ["cheeks"]),
                done("botulinum_toxin", 2, ["forehead"]),
            ]
        )
    )
    assert result.avoid_zones == ["forehead"]


# --- how rules combine --------------------------------------------------------------------------


def test_go_when_nothing_matches_still_gives_a_reason() -> None:
    assert screen(intake()) == Decision(
        decision="go",
        reasons=[GO_REASON],
        avoid_zones=[],
        exclude_techniques=[],
        max_pressure=5,
        resume_on=None,
        restrictions=[],
    )


def test_strictest_decision_wins_and_its_reason_comes_first() -> None:
    result = screen(intake(conditions=["fragile_skin", "cold_sore", "unexplained_lump"]))
    assert result.decision == "refer"
    assert result.reasons == [
        reason_of("unexplained_lump"),
        reason_of("cold_sore"),
        reason_of("fragile_skin"),
    ]


def test_refer_beats_everything_and_gives_no_resume_date() -> None:
    result = screen(
        intake(
            conditions=["fever", "pregnancy", "recent_stroke"],
            procedures=[done("botulinum_toxin", 2)],
        )
    )
    assert (result.decision, result.resume_on) == ("refer", None)


def test_reasons_follow_rule_order_within_a_decision() -> None:
    result = screen(intake(conditions=["pregnancy", "active_acne"]))
    assert result.reasons == [reason_of("active_acne"), reason_of("pregnancy")]


def test_avoid_zones_add_up_in_face_order() -> None:
    result = screen(
        intake(conditions=["carotid_disease"], procedures=[done("dermal_filler", 2, ["mouth"])])
    )
    assert result.avoid_zones == ["mouth", "neck"]


def test_excluded_techniques_add_up_in_library_order() -> None:
    result = screen(intake(conditions=["broken_capillaries", "active_acne"]))
    assert result.exclude_techniques == ["kneading", "pinching"]


def test_pressure_cap_is_the_lowest_of_the_matched_rules() -> None:
    result = screen(intake(conditions=["pregnancy"], medications=["anticoagulant"]))
    assert result.max_pressure == 2


def test_defer_with_modify_defers_and_keeps_the_modify_limits() -> None:
    result = screen(intake(conditions=["fever", "fragile_skin"]))
    assert (result.decision, result.resume_on) == ("defer", AS_OF + days(3))
    assert result.exclude_techniques == ["kneading", "fascial_stretch", "pinching"]
    assert result.max_pressure == 2


def test_several_defers_resume_when_the_last_one_ends() -> None:
    result = screen(intake(conditions=["fever", "cold_sore", "sunburn"]))
    assert result.resume_on == AS_OF + days(10)


def test_defer_resume_date_ignores_a_longer_procedure_window() -> None:
    # Screen again when the cold sore has healed; the botulinum toxin rule then still applies.
    result = screen(intake(conditions=["cold_sore"], procedures=[done("botulinum_toxin", 2)]))
    assert (result.decision, result.resume_on) == ("defer", AS_OF + days(10))


def test_modify_without_a_procedure_has_no_resume_date() -> None:
    assert (
        screen(intake(conditions=["fragile_skin"], medications=["isotretinoin"])).resume_on is None
    )


def test_modify_resumes_when_the_last_procedure_window_ends() -> None:
    result = screen(
        intake(
            conditions=["fragile_skin"],
            procedures=[done("microneedling", 1, ["cheeks"]), done("thread_lift", 20, ["jawline"])],
        )
    )
    assert (result.decision, result.resume_on) == ("modify", AS_OF + days(8))


def test_repeated_answers_count_once() -> None:
    result = screen(intake(conditions=["fever", "fever"]))
    assert len(result.reasons) == len(result.restrictions) == 1


def test_as_of_defaults_to_today() -> None:
    answers = Intake(age=58, procedures=[done("botulinum_toxin", 2)])
    assert screen(answers, today=AS_OF).resume_on == AS_OF + days(12)
    assert screen(answers, today=AS_OF + days(12)).decision == "go"


def test_the_intakes_own_date_wins_over_today() -> None:
    answers = intake(procedures=[done("botulinum_toxin", 2)])
    assert screen(answers, today=AS_OF + days(30)).decision == "modify"


def test_screen_refuses_answers_it_has_no_rule_for() -> None:
    # An unknown answer must never fall through to "go".
    with pytest.raises(UserError) as caught:
        screen(intake(conditions=["gout"]))
    assert caught.value.field == "conditions[0]"


# --- the rule file is checked at load -----------------------------------------------------------


def test_shipped_rules_load() -> None:
    assert len(load_rules().rules) == len(
        DESIGN_CONDITIONS + DESIGN_MEDICATIONS + DESIGN_PROCEDURES
    )


def _without(raw: dict[str, Any], rule_id: str) -> dict[str, Any]:
    raw["rules"] = [r for r in raw["rules"] if r["id"] != rule_id]
    return raw


def _edit(raw: dict[str, Any], rule_id: str, **changes: Any) -> dict[str, Any]:
    rule = next(r for r in raw["rules"] if r["id"] == rule_id)
    for key, value in changes.items():
        if value is None:
            rule.pop(key, None)
        else:
            rule[key] = value
    return raw


def _extra_rule(raw: dict[str, Any], **fields: Any) -> dict[str, Any]:
    fever = next(r for r in raw["rules"] if r["id"] == "fever")
    raw["rules"].append({**copy.deepcopy(fever), **fields})
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(lambda raw: _without(raw, "fever"), "no rule for condition", id="missing"),
        pytest.param(
            lambda raw: _without(raw, "surgery"), "no rule for procedure", id="missing-procedure"
        ),
        pytest.param(
            lambda raw: _extra_rule(raw, id="gout", condition="gout"),
            "unknown condition 'gout'",
            id="unknown-condition",
        ),
        pytest.param(
            lambda raw: _extra_rule(raw, id="fever_again"),
            "more than one rule for ['condition fever']",
            id="two-rules-for-one-answer",
        ),
        pytest.param(
            lambda raw: _edit(raw, "sunburn", id="fever"), "duplicate rule ids", id="duplicate-id"
        ),
        pytest.param(
            lambda raw: _edit(raw, "fever", medication="anticoagulant"),
            "exactly one of condition, medication, procedure",
            id="two-triggers",
        ),
        pytest.param(
            lambda raw: _edit(raw, "fever", defer_days=None),
            "defer_days",
            id="defer-without-days",
        ),
        pytest.param(
            lambda raw: _edit(raw, "carotid_disease", avoid_zones="treated_zones"),
            "treated_zones is for procedure rules only",
            id="treated-zones-on-a-condition",
        ),
        pytest.param(
            lambda raw: _edit(raw, "laser", for_days=None),
            "needs for_days",
            id="procedure-without-window",
        ),
        pytest.param(
            lambda raw: _edit(raw, "pregnancy", max_pressure=None),
            "a modify rule must change something",
            id="modify-that-changes-nothing",
        ),
        pytest.param(
            lambda raw: _edit(raw, "active_acne", exclude_techniques=["gua_sha"]),
            "exclude_techniques",
            id="unknown-technique",
        ),
        pytest.param(
            lambda raw: _edit(raw, "carotid_disease", avoid_zones=["nose"]),
            "avoid_zones",
            id="unknown-zone",
        ),
    ],
)
def test_rule_file_with_a_defect_fails_to_load(change: Any, message: str) -> None:
    raw = change(shipped_raw())
    with pytest.raises(DataFileError) as caught:
        validate_data("contraindications.yaml", raw, RuleBook)
    assert str(caught.value).startswith("contraindications.yaml: ")
    assert message in str(caught.value)


# --- bad intake answers -------------------------------------------------------------------------

ZONES_ALLOWED = ", ".join(ZONE_IDS)


@pytest.mark.parametrize(
    ("raw", "field", "problem"),
    [
        pytest.param([58], "intake", "must be a JSON object", id="not-an-object"),
        pytest.param({}, "age", "is required", id="age-missing"),
        pytest.param({"age": "58"}, "age", "whole number", id="age-as-text"),
        pytest.param({"age": 58.5}, "age", "whole number", id="age-fractional"),
        pytest.param({"age": True}, "age", "whole number", id="age-boolean"),
        pytest.param({"age": 16}, "age", "for adults only", id="under-18"),
        pytest.param({"age": 111}, "age", "not a plausible age", id="over-110"),
        pytest.param(
            {"age": 58, "conditions": ["fever", "gout"]},
            "conditions[1]",
            "unknown id 'gout'",
            id="unknown-condition",
        ),
        pytest.param(
            {"age": 58, "conditions": "fever"}, "conditions", "must be a list", id="not-a-list"
        ),
        pytest.param(
            {"age": 58, "medications": ["aspirin"]},
            "medications[0]",
            "unknown id 'aspirin'",
            id="unknown-medication",
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "facelift", "date": "2026-11-01"}]},
            "procedures[0].kind",
            "unknown kind 'facelift'",
            id="unknown-procedure-kind",
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "laser", "zones": ["nose"], "date": "2026-11-01"}]},
            "procedures[0].zones[0]",
            "unknown zone 'nose'",
            id="unknown-zone",
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "laser", "date": "last week"}]},
            "procedures[0].date",
            "must be a date written YYYY-MM-DD",
            id="procedure-date-not-a-date",
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "laser", "date": "2026-02-30"}]},
            "procedures[0].date",
            "not a calendar date",
            id="procedure-date-impossible",
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "laser"}]},
            "procedures[0].date",
            "is required",
            id="procedure-date-missing",
        ),
        pytest.param(
            {
                "age": 58,
                "procedures": [{"kind": "laser", "date": "2027-01-01"}],
                "as_of": "2026-11-24",
            },
            "procedures[0].date",
            "2027-01-01 is after as_of 2026-11-24; give the date it was done",
            id="procedure-after-as-of",
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "laser", "date": "2026-11-25"}]},
            "procedures[0].date",
            "2026-11-25 is after today, 2026-11-24; give the date it was done",
            id="procedure-in-the-future",
        ),
        pytest.param(
            {"age": 58, "procedures": ["laser"]},
            "procedures[0]",
            "must be an object with kind, zones and date",
            id="procedure-not-an-object",
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "laser", "date": "2026-11-01", "by": "Dr X"}]},
            "procedures[0].by",
            "is not a known field",
            id="unknown-procedure-key",
        ),
        pytest.param({"age": 58, "as_of": "24/11/2026"}, "as_of", "YYYY-MM-DD", id="bad-as-of"),
        pytest.param(
            {"age": 58, "allergies": []}, "allergies", "not a known field", id="extra-key"
        ),
    ],
)
def test_bad_intake_is_refused_naming_the_field(raw: object, field: str, problem: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_intake(raw, today=AS_OF)
    assert caught.value.field == field
    assert problem in caught.value.problem
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    ("raw", "allowed"),
    [
        pytest.param({"age": 58, "conditions": ["gout"]}, ", ".join(DESIGN_CONDITIONS), id="cond"),
        pytest.param(
            {"age": 58, "medications": ["aspirin"]}, ", ".join(DESIGN_MEDICATIONS), id="medication"
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "facelift", "date": "2026-11-01"}]},
            ", ".join(DESIGN_PROCEDURES),
            id="procedure-kind",
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "laser", "zones": ["nose"], "date": "2026-11-01"}]},
            ZONES_ALLOWED,
            id="zone",
        ),
        pytest.param(
            {"age": 58, "extra": 1}, "age, conditions, medications, procedures, as_of", id="key"
        ),
    ],
)
def test_unknown_ids_are_answered_with_the_allowed_ones(raw: object, allowed: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_intake(raw, today=AS_OF)
    assert caught.value.allowed == allowed


def test_design_example_intake_parses() -> None:
    parsed = parse_intake(
        {
            "age": 58,
            "conditions": ["rosacea_flare"],
            "medications": ["topical_retinoid"],
            "procedures": [
                {"kind": "botulinum_toxin", "zones": ["forehead"], "date": "2026-11-20"}
            ],
            "as_of": "2026-11-24",
        }
    )
    assert parsed == Intake(
        age=58,
        conditions=["rosacea_flare"],
        medications=["topical_retinoid"],
        procedures=[
            Procedure(kind="botulinum_toxin", zones=["forehead"], date=dt.date(2026, 11, 20))
        ],
        as_of=AS_OF,
    )


def test_procedure_on_the_screening_date_is_accepted() -> None:
    parsed = parse_intake(
        {"age": 58, "procedures": [{"kind": "laser", "date": "2026-11-24"}]}, today=AS_OF
    )
    assert parsed.procedures[0].date == AS_OF


# --- what the decision allows on a given day ----------------------------------------------------

LIMIT_ENDS = dt.date(2026, 3, 10)


def _limited(until: dt.date | None) -> Decision:
    """A modify decision with one rule's limits (cheeks left alone, pressure 2) until ``until``."""
    limit = Restriction(
        rule="recent_filler",
        decision="modify",
        reason="Filler settles for two weeks.",
        avoid_zones=["cheeks"],
        max_pressure=2,
        until=until,
    )
    return Decision(
        decision="modify",
        reasons=[limit.reason],
        avoid_zones=["cheeks"],
        exclude_techniques=[],
        max_pressure=2,
        resume_on=until,
        restrictions=[limit],
    )


def _by_hand(resume_on: dt.date | None, kind: DecisionKind = "modify") -> Decision:
    """A decision set by hand, without per-rule detail: cheeks left alone."""
    return Decision(
        decision=kind,
        reasons=["Told by the client's doctor."],
        avoid_zones=["cheeks"],
        exclude_techniques=["pinching"],
        max_pressure=3,
        resume_on=resume_on,
    )


@pytest.mark.parametrize(
    ("decision", "day", "holds"),
    [
        pytest.param(
            _limited(LIMIT_ENDS), LIMIT_ENDS - dt.timedelta(days=1), True, id="day-before-end"
        ),
        pytest.param(_limited(LIMIT_ENDS), LIMIT_ENDS, False, id="lifts-on-its-end-date"),
        pytest.param(
            _limited(LIMIT_ENDS), LIMIT_ENDS + dt.timedelta(days=30), False, id="after-end"
        ),
        pytest.param(
            _limited(None), LIMIT_ENDS + dt.timedelta(days=365), True, id="no-end-holds-for-good"
        ),
        pytest.param(
            _by_hand(LIMIT_ENDS),
            LIMIT_ENDS - dt.timedelta(days=1),
            True,
            id="by-hand-modify-before-resume",
        ),
        pytest.param(_by_hand(LIMIT_ENDS), LIMIT_ENDS, False, id="by-hand-modify-lifts-on-resume"),
        pytest.param(
            _by_hand(LIMIT_ENDS, "defer"),
            LIMIT_ENDS + dt.timedelta(days=30),
            True,
            id="by-hand-defer-holds-for-good",
        ),
    ],
)
def test_a_limit_holds_until_the_day_it_ends(decision: Decision, day: dt.date, holds: bool) -> None:
    assert [r.avoid_zones for r in decision.restrictions_on(day)] == ([["cheeks"]] if holds else [])


def test_a_decision_by_hand_is_one_limit_with_its_reasons() -> None:
    [limit] = _by_hand(LIMIT_ENDS).restrictions_on(LIMIT_ENDS - dt.timedelta(days=1))

    assert limit == Restriction(
        rule="decision",
        decision="modify",
        reason="Told by the client's doctor.",
        avoid_zones=["cheeks"],
        exclude_techniques=["pinching"],
        max_pressure=3,
        until=LIMIT_ENDS,
    )


def test_screened_limits_each_lift_on_their_own_end_date() -> None:
    decision = screen(
        Intake(
            age=40,
            procedures=[
                Procedure(kind="dermal_filler", zones=["cheeks"], date=dt.date(2026, 3, 1))
            ],
            medications=["anticoagulant"],
        ),
        today=dt.date(2026, 3, 2),
    )
    long_after = dt.date(2027, 3, 2)

    assert {r.rule for r in decision.restrictions_on(long_after)} < {
        r.rule for r in decision.restrictions_on(dt.date(2026, 3, 2))
    }
