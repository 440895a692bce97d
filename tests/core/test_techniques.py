"""The shipped technique library, and the loader's refusal of bad library data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from collagen_coach.core.errors import DataFileError
from collagen_coach.core.library import validate_data
from collagen_coach.core.techniques import (
    CONCERNS,
    EVIDENCE_LEVEL_MEANING,
    PHASES,
    ZONE_IDS,
    Evidence,
    Experience,
    Library,
    PressureRange,
    Technique,
    Zone,
    build_library,
    load_library,
)

SEED_TECHNIQUES = ("circular_motions", "tapping", "kneading", "fascial_stretch", "pinching")
DESIGN_ZONES = (
    "forehead",
    "glabella",
    "temples",
    "crows_feet",
    "under_eye",
    "cheeks",
    "nasolabial",
    "mouth",
    "jawline",
    "chin",
    "neck",
)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def _available(library: Library, experience: Experience, phase: str) -> set[str]:
    """Give the ids of techniques a client of ``experience`` may use by ``phase``."""
    reached = PHASES[: PHASES.index(phase) + 1]
    return {t.id for t in library.techniques.values() if t.introduced_in[experience] in reached}


# --- the shipped library -------------------------------------------------------------------------


def test_shipped_library_loads_and_names_its_data_versions(library: Library) -> None:
    assert library.version == "zones@1+techniques@1+evidence@1"


def test_zone_ids_match_the_design() -> None:
    assert ZONE_IDS == DESIGN_ZONES


@pytest.mark.parametrize("zone", DESIGN_ZONES)
def test_every_zone_has_at_least_one_technique(library: Library, zone: str) -> None:
    assert library.techniques_for_zone(zone)


@pytest.mark.parametrize("technique_id", SEED_TECHNIQUES)
def test_every_seed_technique_is_a_main_technique(library: Library, technique_id: str) -> None:
    assert library.techniques[technique_id].role == "main"


@pytest.mark.parametrize("role", ["warm_up", "finishing"])
def test_library_has_a_warm_up_and_a_finishing_stroke(library: Library, role: str) -> None:
    assert any(t.role == role for t in library.techniques.values())


def test_warm_up_is_featherlight_effleurage(library: Library) -> None:
    warm_up = library.techniques["warm_up_effleurage"]
    assert (warm_up.role, warm_up.pressure.min, warm_up.pressure.max) == ("warm_up", 1, 1)


def test_neck_is_served_only_by_the_featherlight_lymphatic_sweep(library: Library) -> None:
    neck_techniques = library.techniques_for_zone("neck")
    assert [(t.id, t.pressure.min, t.pressure.max) for t in neck_techniques] == [
        ("lymphatic_sweep", 1, 1)
    ]


def test_lymphatic_sweep_finishes_toward_the_lymph_nodes(library: Library) -> None:
    sweep = library.techniques["lymphatic_sweep"]
    assert sweep.role == "finishing"
    assert "lymph nodes" in sweep.direction


@pytest.mark.parametrize(
    ("technique_id", "zone"),
    [
        pytest.param(technique, zone, id=f"{technique}-not-on-{zone}")
        for technique in ("pinching", "fascial_stretch", "kneading")
        for zone in ("under_eye", "neck")
    ],
)
def test_pinching_and_pulling_never_touch_under_eye_or_neck(
    library: Library, technique_id: str, zone: str
) -> None:
    assert zone not in library.techniques[technique_id].zones


@pytest.mark.parametrize("technique_id", sorted(load_library().techniques))
def test_default_pressure_fits_under_every_listed_zones_cap(
    library: Library, technique_id: str
) -> None:
    technique = library.techniques[technique_id]
    too_firm = [
        zone
        for zone in technique.zones
        if technique.pressure.default > library.zones[zone].max_pressure
    ]
    assert too_firm == []


@pytest.mark.parametrize("technique_id", sorted(load_library().techniques))
def test_every_technique_has_evidence_with_a_level_and_caveat(
    library: Library, technique_id: str
) -> None:
    evidence = library.evidence_for(technique_id)
    assert evidence.level in EVIDENCE_LEVEL_MEANING
    assert evidence.caveat


@pytest.mark.parametrize("evidence_id", sorted(load_library().evidence))
def test_every_evidence_entry_cites_a_source_and_states_its_caveat(
    library: Library, evidence_id: str
) -> None:
    evidence = library.evidence[evidence_id]
    assert evidence.citation.strip()
    assert evidence.caveat.strip()


@pytest.mark.parametrize(
    ("evidence_id", "level"),
    [
        pytest.param("collagen_peptides", "MA", id="peptides-contested-meta-analyses"),
        pytest.param("progression_beginners", "NONE", id="beginner-progression-unstudied"),
        pytest.param("judge_after_8_weeks", "EO", id="eight-weeks-from-trial-schedules"),
        pytest.param("pinching_jacquet", "NONE", id="pinching-unstudied"),
        pytest.param("tapping_face", "NONE", id="tapping-unstudied"),
        pytest.param("mechanostimulation_fibroblasts", "EX", id="fibroblasts-lab-only"),
    ],
)
def test_evidence_the_product_quotes_carries_its_honest_level(
    library: Library, evidence_id: str, level: str
) -> None:
    assert library.evidence[evidence_id].level == level


def test_peptide_caveat_reports_the_critical_meta_analysis_and_doses(library: Library) -> None:
    peptides = library.evidence["collagen_peptides"]
    assert "Myung" in peptides.caveat
    assert "2.5–10 g" in peptides.caveat


@pytest.mark.parametrize("concern", CONCERNS)
def test_every_concern_is_addressed_by_some_technique(library: Library, concern: str) -> None:
    assert any(concern in t.addresses for t in library.techniques.values())


@pytest.mark.parametrize(
    ("experience", "phase", "expected"),
    [
        pytest.param(
            "new",
            "foundation",
            {"warm_up_effleurage", "tapping", "circular_motions", "lymphatic_sweep"},
            id="beginners-start-with-tapping-and-circles",
        ),
        pytest.param(
            "new",
            "build",
            {
                "warm_up_effleurage",
                "tapping",
                "circular_motions",
                "lymphatic_sweep",
                "kneading",
                "fascial_stretch",
            },
            id="beginners-add-kneading-and-stretch-in-build",
        ),
        pytest.param("new", "maintain", set(load_library().techniques), id="beginners-pinch-last"),
        pytest.param(
            "some",
            "foundation",
            {"warm_up_effleurage", "tapping", "circular_motions", "lymphatic_sweep", "kneading"},
            id="some-experience-kneads-from-the-start",
        ),
        pytest.param(
            "some", "build", set(load_library().techniques), id="some-experience-has-all-in-build"
        ),
        pytest.param(
            "practised",
            "foundation",
            set(load_library().techniques),
            id="practised-has-all-from-the-start",
        ),
    ],
)
def test_techniques_are_introduced_progressively_by_experience(
    library: Library, experience: Experience, phase: str, expected: set[str]
) -> None:
    assert _available(library, experience, phase) == expected


@pytest.mark.parametrize(
    ("technique_id", "unit", "low", "high"),
    [
        pytest.param("tapping", "taps_per_s", 4, 8, id="tapping-four-to-eight-taps-a-second"),
        pytest.param("circular_motions", "s_per_circle", 1, 2, id="circles-one-to-two-seconds"),
        pytest.param("fascial_stretch", "s_per_hold", 5, 60, id="stretch-held-seconds"),
        pytest.param("pinching", "s_per_pinch", 0.5, 2, id="pinch-quick-release"),
    ],
)
def test_tempo_is_in_the_range_the_sources_give(
    library: Library, technique_id: str, unit: str, low: float, high: float
) -> None:
    tempo = library.techniques[technique_id].tempo
    assert tempo.unit == unit
    assert low <= tempo.value <= high


@pytest.mark.parametrize("technique_id", sorted(load_library().techniques))
def test_how_to_is_three_to_six_steps_on_every_zone(library: Library, technique_id: str) -> None:
    technique = library.techniques[technique_id]
    for zone in technique.zones:
        assert 3 <= len(technique.how_to_on(zone)) <= 6, zone


@pytest.mark.parametrize(
    ("technique_id", "phrase"),
    [
        pytest.param(technique_id, phrase, id=f"{technique_id}-{label}")
        for technique_id in sorted(load_library().techniques)
        for label, phrase in (
            ("stop-on-pain", "Stop if anything hurts"),
            ("filler-red-flags", "urgent medical care"),
            ("no-neck-pressure", "front or sides of"),
        )
    ],
)
def test_every_technique_carries_the_safety_invariants(
    library: Library, technique_id: str, phrase: str
) -> None:
    assert any(phrase in caution for caution in library.techniques[technique_id].cautions)


@pytest.mark.parametrize("technique_id", ["kneading", "fascial_stretch", "pinching"])
def test_pinching_and_pulling_are_left_out_for_fragile_skin(
    library: Library, technique_id: str
) -> None:
    assert any("fragile" in c for c in library.techniques[technique_id].cautions)


# --- the loader refuses bad data -----------------------------------------------------------------


def _tapping(**changes: Any) -> dict[str, Any]:
    raw = load_library().techniques["tapping"].model_dump()
    raw.update(changes)
    return raw


@pytest.mark.parametrize(
    ("raw", "named_field", "problem"),
    [
        pytest.param(_tapping(zones=["nose"]), "zones.0", "forehead", id="unknown-zone"),
        pytest.param(
            _tapping(pressure={"min": 1, "max": 6, "default": 1}),
            "pressure.max",
            "less than or equal to 5",
            id="pressure-six",
        ),
        pytest.param(
            _tapping(pressure={"min": 3, "max": 2, "default": 2}),
            "pressure",
            "min <= default <= max",
            id="pressure-min-above-max",
        ),
        pytest.param(
            _tapping(introduced_in={"new": "foundation", "some": "foundation"}),
            "introduced_in",
            "practised",
            id="missing-introduced-in-level",
        ),
        pytest.param(
            _tapping(introduced_in={"new": "foundation", "some": "foundation", "practised": "x"}),
            "introduced_in.practised",
            "maintain",
            id="unknown-phase",
        ),
        pytest.param(_tapping(role="cool_down"), "role", "finishing", id="unknown-role"),
        pytest.param(
            _tapping(tempo={"value": 6, "unit": "taps_per_min", "cue": "x"}),
            "tempo.unit",
            "taps_per_s",
            id="unknown-tempo-unit",
        ),
        pytest.param(
            _tapping(addresses=["wrinkles"]), "addresses.0", "fine_lines", id="unknown-concern"
        ),
        pytest.param(_tapping(presure=2), "presure", "Extra inputs", id="misspelt-field"),
        pytest.param(_tapping(id="Tapping!"), "id", "pattern", id="id-not-snake-case"),
    ],
)
def test_technique_schema_rejects_bad_data_naming_the_field(
    raw: dict[str, Any], named_field: str, problem: str
) -> None:
    with pytest.raises(DataFileError) as caught:
        validate_data("techniques.yaml", raw, Technique)
    message = str(caught.value)
    assert message.startswith(f"techniques.yaml: {named_field}: ")
    assert problem in message


def test_evidence_schema_rejects_an_unknown_level_naming_the_field() -> None:
    raw = load_library().evidence["tapping_face"].model_dump() | {"level": "STRONG"}
    with pytest.raises(DataFileError, match=r"^evidence\.yaml: level: .*'NONE'"):
        validate_data("evidence.yaml", raw, Evidence)


Lists = tuple[list[Zone], list[Technique], list[Evidence]]


def _shipped_lists() -> Lists:
    library = load_library()
    return (
        list(library.zones.values()),
        list(library.techniques.values()),
        list(library.evidence.values()),
    )


def _replace_technique(technique_id: str, **changes: Any) -> Callable[[Lists], Lists]:
    def change(lists: Lists) -> Lists:
        zones, techniques, evidence = lists
        techniques = [
            t.model_copy(update=changes) if t.id == technique_id else t for t in techniques
        ]
        return zones, techniques, evidence

    return change


def _duplicate_technique(lists: Lists) -> Lists:
    zones, techniques, evidence = lists
    return zones, [*techniques, techniques[0]], evidence


def _duplicate_evidence(lists: Lists) -> Lists:
    zones, techniques, evidence = lists
    return zones, techniques, [*evidence, evidence[0]]


def _drop_technique(technique_id: str) -> Callable[[Lists], Lists]:
    def change(lists: Lists) -> Lists:
        zones, techniques, evidence = lists
        return zones, [t for t in techniques if t.id != technique_id], evidence

    return change


def _drop_zone(zone_id: str) -> Callable[[Lists], Lists]:
    def change(lists: Lists) -> Lists:
        zones, techniques, evidence = lists
        return [z for z in zones if z.id != zone_id], techniques, evidence

    return change


@pytest.mark.parametrize(
    ("break_it", "problem"),
    [
        pytest.param(
            _replace_technique("tapping", evidence="tapping_magic"),
            "technique tapping: unknown evidence id 'tapping_magic'",
            id="unknown-evidence-id",
        ),
        pytest.param(
            _duplicate_technique,
            "duplicate technique ids ['warm_up_effleurage']",
            id="duplicate-technique-id",
        ),
        pytest.param(
            _duplicate_evidence,
            "duplicate evidence ids ['massage_blood_flow']",
            id="duplicate-evidence-id",
        ),
        pytest.param(
            _replace_technique("kneading", zones=["cheeks", "under_eye"]),
            "technique kneading: minimum pressure 2 exceeds the cap 1 of zone under_eye",
            id="pressure-above-under-eye-cap",
        ),
        pytest.param(
            _replace_technique(
                "tapping", zones=["neck"], pressure=PressureRange(min=2, max=2, default=2)
            ),
            "technique tapping: minimum pressure 2 exceeds the cap 1 of zone neck",
            id="pressure-above-neck-cap",
        ),
        pytest.param(
            _drop_technique("lymphatic_sweep"),
            "zone neck: no technique suits it",
            id="zone-left-without-technique",
        ),
        pytest.param(_drop_zone("neck"), "lacks zones ['neck']", id="zone-missing"),
        pytest.param(
            _replace_technique("tapping", how_to=["Relax your wrists.", "Tap your forehead."]),
            "technique tapping: how_to names zones ['forehead']",
            id="general-how-to-names-a-zone",
        ),
        pytest.param(
            _replace_technique(
                "warm_up_effleurage",
                how_to_on_zone={
                    **load_library().techniques["warm_up_effleurage"].how_to_on_zone,
                    "cheeks": ["Lay your fingers on your forehead, then glide over your cheek."],
                },
            ),
            "technique warm_up_effleurage: how_to_on_zone.cheeks names other zones ['forehead']",
            id="zone-how-to-sends-hands-elsewhere",
        ),
        pytest.param(
            _replace_technique(
                "tapping",
                how_to_on_zone={
                    **load_library().techniques["tapping"].how_to_on_zone,
                    "chin": ["Tap softly, from the middle out."],
                },
            ),
            "technique tapping: how_to_on_zone.chin never names it",
            id="zone-how-to-without-its-zone",
        ),
    ],
)
def test_library_cross_checks_reject_inconsistent_data(
    break_it: Callable[[Lists], Lists], problem: str
) -> None:
    zones, techniques, evidence = break_it(_shipped_lists())
    with pytest.raises(DataFileError) as caught:
        build_library(zones, techniques, evidence, version="test")
    assert problem in str(caught.value)


def test_a_technique_without_a_how_to_for_one_of_its_zones_is_refused() -> None:
    raw = load_library().techniques["tapping"].model_dump()
    del raw["how_to_on_zone"]["chin"]

    with pytest.raises(DataFileError, match=r"how_to_on_zone must give exactly the zones"):
        validate_data("techniques.yaml", raw, Technique)


@pytest.mark.parametrize(
    "finding",
    ["Tapping helps the skin.", "tapping helps the skin.", "Tapping helps the skin"],
    ids=["a-sentence", "a-full-stop", "a-capital"],
)
def test_a_finding_written_as_a_sentence_is_refused(finding: str) -> None:
    # A finding is worded for its level ("It is said that …"), so it must read after "that".
    raw = load_library().evidence["tapping_face"].model_dump() | {"finding": finding}
    with pytest.raises(DataFileError, match=r"^evidence\.yaml: finding: "):
        validate_data("evidence.yaml", raw, Evidence)
