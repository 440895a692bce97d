"""The technique library: zones, techniques and the evidence behind them, loaded from data files.

The data lives in ``core/data/{zones,techniques,evidence}.yaml``; this module gives the schema
those files must meet and cross-checks them (every zone and evidence id a technique names exists,
no technique asks for more pressure on a zone than the zone allows).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from collagen_coach.core.errors import DataFileError
from collagen_coach.core.library import load_data_file

ZoneId = Literal[
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
]
ZONE_IDS: tuple[str, ...] = get_args(ZoneId)

Concern = Literal["sagging", "fine_lines", "dullness", "low_elasticity", "puffiness"]
CONCERNS: tuple[str, ...] = get_args(Concern)

Experience = Literal["new", "some", "practised"]
EXPERIENCE_LEVELS: tuple[str, ...] = get_args(Experience)

Phase = Literal["foundation", "build", "maintain"]
PHASES: tuple[str, ...] = get_args(Phase)

EvidenceLevel = Literal["MA", "RCT", "CT", "PP", "EX", "EO", "NONE"]

EVIDENCE_LEVEL_MEANING: dict[str, str] = {
    "MA": "meta-analysis or systematic review of randomised trials",
    "RCT": "randomised controlled trial",
    "CT": "controlled but not clearly randomised, or split-face controlled",
    "PP": "uncontrolled before/after study",
    "EX": "laboratory, tissue or animal study only",
    "EO": "expert opinion or professional guidance",
    "NONE": "no study found",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# How a claim is worded for the evidence behind it: only trials may "find", and what no study has
# tested is "said", never stated (DESIGN.md: no claim says more than its evidence level allows).
CLAIM_WORDING: dict[str, str] = {
    "MA": "Reviews of several trials suggest that {finding}.",
    "RCT": "A randomised trial found that {finding}.",
    "CT": "A controlled study, not clearly randomised, suggests that {finding}.",
    "PP": "A study without a comparison group suggests that {finding}.",
    "EX": "Laboratory studies suggest that {finding}; no study has shown it in a living face.",
    "EO": "Practitioners hold that {finding}; that is their opinion, not a tested result.",
    "NONE": "It is said that {finding}, but no study has tested it.",
}


def claim_in_words(finding: str, level: str) -> str:
    """Give ``finding`` as a sentence worded for its evidence ``level``."""
    return CLAIM_WORDING[level].format(finding=finding)


class Evidence(_Strict):
    """One claim and the best evidence found for it (from EVIDENCE.md)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    # What the claim says, written to follow "that": lower-case start, no full stop.
    finding: str = Field(pattern=r"^[a-z].*[^.]$")
    level: EvidenceLevel
    citation: str
    caveat: str = ""

    @property
    def claim(self) -> str:
        """Give the claim as shown to a person, worded for its level (claim_in_words)."""
        return claim_in_words(self.finding.strip(), self.level)

    @property
    def label(self) -> str:
        """Give the short tag shown beside a claim, e.g. ``evidence: EO (expert opinion …)``."""
        return f"evidence: {self.level} ({EVIDENCE_LEVEL_MEANING[self.level]})"


class Zone(_Strict):
    id: ZoneId
    # How text names the zone ("cheek" also finds "cheeks" and "cheekbone"); see zones_named.
    words: list[str] = Field(min_length=1)
    name: str
    where: str
    sided: bool
    max_pressure: int = Field(ge=1, le=5)
    note: str = ""


class PressureRange(_Strict):
    min: int = Field(ge=1, le=5)
    max: int = Field(ge=1, le=5)
    default: int = Field(ge=1, le=5)

    @model_validator(mode="after")
    def _ordered(self) -> PressureRange:
        if not self.min <= self.default <= self.max:
            raise ValueError("pressure needs min <= default <= max")
        return self


TempoUnit = Literal["taps_per_s", "s_per_circle", "s_per_stroke", "s_per_hold", "s_per_pinch"]


class Tempo(_Strict):
    value: float = Field(gt=0)
    unit: TempoUnit
    cue: str  # the tempo in plain words, e.g. "about six light taps a second"


class Technique(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    name: str
    role: Literal["warm_up", "main", "finishing"]
    zones: list[ZoneId] = Field(min_length=1)
    motion: str
    direction: str
    pressure: PressureRange
    tempo: Tempo
    default_duration_s: int = Field(ge=10, le=600)
    # How to do it anywhere, then what to do on each of its zones: a step shows both, and the
    # zone's part names only that zone (checked against every zone's words on load).
    how_to: list[str] = Field(min_length=2)
    how_to_on_zone: dict[ZoneId, list[str]]
    cautions: list[str] = Field(min_length=1)
    addresses: list[Concern]
    evidence: str
    # The phase from which a client of each experience level may use it (beginners start gently).
    introduced_in: dict[Experience, Phase]

    @model_validator(mode="after")
    def _how_to_for_every_zone(self) -> Technique:
        if set(self.how_to_on_zone) != set(self.zones):
            raise ValueError(
                f"how_to_on_zone must give exactly the zones {sorted(self.zones)}, "
                f"not {sorted(self.how_to_on_zone)}"
            )
        empty = sorted(z for z, lines in self.how_to_on_zone.items() if not lines)
        if empty:
            raise ValueError(f"how_to_on_zone has no steps for {empty}")
        return self

    def how_to_on(self, zone: str) -> list[str]:
        """Give the how-to steps for doing this technique on ``zone``: general, then the zone's."""
        return [*self.how_to, *self.how_to_on_zone[zone]]  # type: ignore[index]

    @field_validator("introduced_in")
    @classmethod
    def _every_experience_level(cls, value: dict[Experience, Phase]) -> dict[Experience, Phase]:
        missing = set(EXPERIENCE_LEVELS) - set(value)
        if missing:
            raise ValueError(f"introduced_in lacks {sorted(missing)}")
        return value


class _ZonesFile(_Strict):
    version: int
    zones: list[Zone]


class _TechniquesFile(_Strict):
    version: int
    techniques: list[Technique]


class _EvidenceFile(_Strict):
    version: int
    evidence: list[Evidence]


class Library(_Strict):
    """Zones, techniques and evidence, cross-checked."""

    version: str
    zones: dict[str, Zone]
    techniques: dict[str, Technique]
    evidence: dict[str, Evidence]

    def techniques_for_zone(self, zone: str) -> list[Technique]:
        """Give the techniques that suit ``zone``, in library order."""
        return [t for t in self.techniques.values() if zone in t.zones]

    def evidence_for(self, technique_id: str) -> Evidence:
        return self.evidence[self.techniques[technique_id].evidence]


def zones_named(text: str, zones: Iterable[Zone]) -> set[str]:
    """Give the ids of the ``zones`` that ``text`` names by one of their words (any case).

    A word matches at the start of a word and may run on: "cheek" finds "cheekbones".
    """
    return {
        zone.id
        for zone in zones
        if any(re.search(r"\b" + re.escape(word), text, re.IGNORECASE) for word in zone.words)
    }


def _how_to_problems(technique: Technique, zones: list[Zone]) -> list[str]:
    """Give why ``technique``'s how-to could send hands where a step does not go."""
    problems = []
    for line in technique.how_to:
        named = zones_named(line, zones)
        if named:
            problems.append(
                f"technique {technique.id}: how_to names zones {sorted(named)}; "
                "put that in how_to_on_zone"
            )
    for zone_id, lines in technique.how_to_on_zone.items():
        named = set().union(*(zones_named(line, zones) for line in lines))
        if zone_id not in named:
            problems.append(f"technique {technique.id}: how_to_on_zone.{zone_id} never names it")
        others = sorted(named - {zone_id})
        if others:
            problems.append(
                f"technique {technique.id}: how_to_on_zone.{zone_id} names other zones {others}"
            )
    return problems


def build_library(
    zones: list[Zone], techniques: list[Technique], evidence: list[Evidence], version: str
) -> Library:
    """Give a Library after checking the three lists against each other.

    Raises DataFileError on duplicate ids, unknown references or unsafe pressure.
    """
    problems: list[str] = []
    ids_by_kind: dict[str, list[str]] = {
        "zone": [z.id for z in zones],
        "technique": [t.id for t in techniques],
        "evidence": [e.id for e in evidence],
    }
    for kind, ids in ids_by_kind.items():
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            problems.append(f"duplicate {kind} ids {dupes}")
    missing_zones = set(ZONE_IDS) - {z.id for z in zones}
    if missing_zones:
        problems.append(f"zones.yaml lacks zones {sorted(missing_zones)}")
    zone_by_id = {z.id: z for z in zones}
    evidence_ids = {e.id for e in evidence}
    for t in techniques:
        problems.extend(_how_to_problems(t, zones))
        if t.evidence not in evidence_ids:
            problems.append(f"technique {t.id}: unknown evidence id {t.evidence!r}")
        for zid in t.zones:
            zone = zone_by_id.get(zid)
            if zone is not None and t.pressure.min > zone.max_pressure:
                problems.append(
                    f"technique {t.id}: minimum pressure {t.pressure.min} exceeds the cap "
                    f"{zone.max_pressure} of zone {zid}"
                )
    for z in zones:
        if not any(z.id in t.zones for t in techniques):
            problems.append(f"zone {z.id}: no technique suits it")
    if problems:
        raise DataFileError("technique library: " + "; ".join(problems))
    return Library(
        version=version,
        zones={z.id: z for z in zones},
        techniques={t.id: t for t in techniques},
        evidence={e.id: e for e in evidence},
    )


@cache
def load_library() -> Library:
    """Give the shipped technique library (loaded and validated once per process)."""
    zones = load_data_file("zones.yaml", _ZonesFile)
    techniques = load_data_file("techniques.yaml", _TechniquesFile)
    evidence = load_data_file("evidence.yaml", _EvidenceFile)
    version = f"zones@{zones.version}+techniques@{techniques.version}+evidence@{evidence.version}"
    return build_library(zones.zones, techniques.techniques, evidence.evidence, version)
