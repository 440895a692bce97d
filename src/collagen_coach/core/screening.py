"""Safety screening: intake answers in, a decision (go / modify / defer / refer) with reasons out.

The rules are data (``core/data/contraindications.yaml``); this module gives their schema, checks
that every answer the intake can hold has exactly one rule, and interprets them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from collagen_coach.core.errors import UserError, field_path
from collagen_coach.core.inputs import EARLIEST_DAY, check_day, check_past_day
from collagen_coach.core.library import load_data_file
from collagen_coach.core.techniques import ZONE_IDS, EvidenceLevel, ZoneId

DecisionKind = Literal["go", "modify", "defer", "refer"]

ProcedureKind = Literal[
    "botulinum_toxin",
    "dermal_filler",
    "chemical_peel",
    "laser",
    "microneedling",
    "thread_lift",
    "surgery",
]
PROCEDURE_KINDS: tuple[str, ...] = get_args(ProcedureKind)

CONDITIONS: tuple[str, ...] = (
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
)

MEDICATIONS: tuple[str, ...] = (
    "anticoagulant",
    "isotretinoin",
    "topical_retinoid",
    "corticosteroid",
)

# The technique ids a rule may exclude: the seed's five techniques plus the library's warm-up and
# finishing strokes.
TechniqueId = Literal[
    "circular_motions",
    "tapping",
    "kneading",
    "fascial_stretch",
    "pinching",
    "warm_up_effleurage",
    "lymphatic_sweep",
]
TECHNIQUE_IDS: tuple[str, ...] = get_args(TechniqueId)

MIN_AGE = 18
MAX_AGE = 110

_STRICTNESS: dict[DecisionKind, int] = {"go": 0, "modify": 1, "defer": 2, "refer": 3}


class Procedure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ProcedureKind
    zones: list[str] = Field(default_factory=list)
    date: dt.date


class Intake(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    age: int
    conditions: list[str] = Field(default_factory=list)
    medications: list[str] = Field(default_factory=list)
    procedures: list[Procedure] = Field(default_factory=list)
    as_of: dt.date | None = None


class Restriction(BaseModel):
    """What one matched rule asks for, and until when (``until`` None: while it applies)."""

    model_config = ConfigDict(frozen=True)

    rule: str
    decision: DecisionKind
    reason: str
    avoid_zones: list[str] = Field(default_factory=list)
    exclude_techniques: list[str] = Field(default_factory=list)
    max_pressure: int = Field(default=5, ge=1, le=5)
    until: dt.date | None = None


class Decision(BaseModel):
    """The screening result; ``restrictions`` keeps each matched rule's own end date."""

    model_config = ConfigDict(frozen=True)

    decision: DecisionKind
    reasons: list[str]
    avoid_zones: list[str]
    exclude_techniques: list[str]
    max_pressure: int = Field(ge=1, le=5)
    resume_on: dt.date | None
    restrictions: list[Restriction] = Field(default_factory=list)

    def restrictions_on(self, day: dt.date) -> list[Restriction]:
        """Give the screening limits that hold on ``day`` (a limit with an end date lifts on it).

        A decision made by hand (without per-rule detail) holds its limits until ``resume_on`` for
        a modify, for good otherwise. The planner and the checks on a hand-set step both read it.
        """
        restrictions = list(self.restrictions)
        if not restrictions:
            until = self.resume_on if self.decision == "modify" else None
            restrictions = [
                Restriction(
                    rule="decision",
                    decision=self.decision,
                    reason="; ".join(self.reasons) or "Screening asks for it.",
                    avoid_zones=list(self.avoid_zones),
                    exclude_techniques=list(self.exclude_techniques),
                    max_pressure=self.max_pressure,
                    until=until,
                )
            ]
        return [r for r in restrictions if r.until is None or day < r.until]


# --- the rules, as data -------------------------------------------------------------------------


class Rule(BaseModel):
    """One contraindication rule: what triggers it, the decision it asks for and its effects."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    condition: str | None = None
    medication: str | None = None
    procedure: ProcedureKind | None = None
    decision: DecisionKind
    reason: str = Field(min_length=20)
    # A list of zones, or "treated_zones": the zones the procedure was done on.
    avoid_zones: list[ZoneId] | Literal["treated_zones"] = Field(default_factory=list)
    exclude_techniques: list[TechniqueId] = Field(default_factory=list)
    max_pressure: int = Field(default=5, ge=1, le=5)
    defer_days: int | None = Field(default=None, ge=1, le=365)
    for_days: int | None = Field(default=None, ge=1, le=365)
    evidence: EvidenceLevel
    source: str = Field(min_length=5)

    @property
    def trigger(self) -> tuple[str, str]:
        """Give what triggers the rule, e.g. ``("condition", "fever")``."""
        for kind in ("condition", "medication", "procedure"):
            value = getattr(self, kind)
            if value is not None:
                return kind, str(value)
        raise AssertionError("a validated rule has a trigger")  # pragma: no cover

    @property
    def has_effects(self) -> bool:
        return bool(self.avoid_zones or self.exclude_techniques or self.max_pressure < 5)

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        triggers = [k for k in ("condition", "medication", "procedure") if getattr(self, k)]
        if len(triggers) != 1:
            raise ValueError(
                f"rule {self.id}: needs exactly one of condition, medication, procedure"
            )
        if self.procedure is None:
            if self.for_days is not None:
                raise ValueError(f"rule {self.id}: for_days is for procedure rules only")
            if self.avoid_zones == "treated_zones":
                raise ValueError(f"rule {self.id}: treated_zones is for procedure rules only")
            if (self.decision == "defer") != (self.defer_days is not None):
                raise ValueError(f"rule {self.id}: defer_days is needed by, and only by, defer")
        else:
            if self.for_days is None:
                raise ValueError(f"rule {self.id}: a procedure rule needs for_days")
            if self.defer_days is not None:
                raise ValueError(f"rule {self.id}: a procedure rule times itself with for_days")
        if self.decision == "go" and self.has_effects:
            raise ValueError(f"rule {self.id}: a go rule cannot restrict anything")
        if self.decision == "modify" and not self.has_effects:
            raise ValueError(f"rule {self.id}: a modify rule must change something")
        return self


class RuleBook(BaseModel):
    """The contraindication rules, one per condition, medication and procedure kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    go_reason: str = Field(min_length=10)
    all_zones_avoided_reason: str = Field(min_length=10)
    rules: list[Rule]

    @model_validator(mode="after")
    def _one_rule_per_answer(self) -> RuleBook:
        known = {"condition": CONDITIONS, "medication": MEDICATIONS, "procedure": PROCEDURE_KINDS}
        problems: list[str] = []
        rule_ids = [r.id for r in self.rules]
        dupes = sorted({i for i in rule_ids if rule_ids.count(i) > 1})
        if dupes:
            problems.append(f"duplicate rule ids {dupes}")
        triggers = [r.trigger for r in self.rules]
        for kind, value in triggers:
            if value not in known[kind]:
                problems.append(f"a rule names an unknown {kind} {value!r}")
        repeated = sorted({f"{k} {v}" for k, v in triggers if triggers.count((k, v)) > 1})
        if repeated:
            problems.append(f"more than one rule for {repeated}")
        for kind, ids in known.items():
            missing = [i for i in ids if (kind, i) not in triggers]
            if missing:
                problems.append(f"no rule for {kind} {missing}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@cache
def load_rules() -> RuleBook:
    """Give the shipped contraindication rules (loaded and validated once per process).

    Raises DataFileError when the file is malformed or an intake answer lacks a rule.
    """
    return load_data_file("contraindications.yaml", RuleBook)


# --- checking intake answers --------------------------------------------------------------------


def _allowed(ids: tuple[str, ...]) -> str:
    return ", ".join(ids)


def check_intake(intake: Intake, as_of: dt.date, *, as_of_given: bool = True) -> None:
    """Check intake answers against the known ids and ranges; raise UserError on the first fault.

    ``as_of_given`` only changes the wording when a procedure is dated in the future.
    """
    if intake.age < MIN_AGE:
        raise UserError(
            "age", f"{intake.age} is under {MIN_AGE}; collagen-coach is for adults only"
        )
    if intake.age > MAX_AGE:
        raise UserError("age", f"{intake.age} is not a plausible age", f"{MIN_AGE} to {MAX_AGE}")
    for field, values, known in (
        ("conditions", intake.conditions, CONDITIONS),
        ("medications", intake.medications, MEDICATIONS),
    ):
        for i, value in enumerate(values):
            if value not in known:
                raise UserError(f"{field}[{i}]", f"unknown id {value!r}", _allowed(known))
    for i, procedure in enumerate(intake.procedures):
        for j, zone in enumerate(procedure.zones):
            if zone not in ZONE_IDS:
                raise UserError(
                    f"procedures[{i}].zones[{j}]", f"unknown zone {zone!r}", _allowed(ZONE_IDS)
                )
        if procedure.date > as_of:
            when = f"as_of {as_of.isoformat()}" if as_of_given else f"today, {as_of.isoformat()}"
            raise UserError(
                f"procedures[{i}].date",
                f"{procedure.date.isoformat()} is after {when}; give the date it was done",
            )


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_HINT = "must be a date written YYYY-MM-DD, e.g. 2026-11-24"


def _iso_date(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar date") from None
    raise ValueError(_DATE_HINT)


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class _ProcedureAnswer(BaseModel):
    """A procedure as written in intake JSON: strict types, ids checked afterwards."""

    model_config = ConfigDict(extra="forbid")

    kind: StrictStr
    zones: list[StrictStr] = Field(default_factory=list)
    date: IsoDate


class _IntakeAnswers(BaseModel):
    """Intake JSON with strict types: ``"58"`` or ``true`` is not an age."""

    model_config = ConfigDict(extra="forbid")

    age: StrictInt
    conditions: list[StrictStr] = Field(default_factory=list)
    medications: list[StrictStr] = Field(default_factory=list)
    procedures: list[_ProcedureAnswer] = Field(default_factory=list)
    as_of: IsoDate | None = None


def _ids_for(loc: tuple[int | str, ...]) -> tuple[str, ...] | None:
    """Give the ids allowed at ``loc`` (e.g. the conditions for ``conditions[2]``), if any."""
    by_field = {"conditions": CONDITIONS, "medications": MEDICATIONS}
    if loc and loc[0] in by_field:
        return by_field[str(loc[0])]
    if loc and loc[0] == "procedures":
        if "zones" in loc[2:]:
            return ZONE_IDS
        if loc[2:] == ("kind",):
            return PROCEDURE_KINDS
    return None


def _user_error(exc: ValidationError) -> UserError:
    """Give the first pydantic error as a UserError naming the field and what it accepts."""
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    field = field_path(loc)
    kind = error["type"]
    ids = _ids_for(loc)
    allowed = _allowed(ids) if ids else None
    if kind == "extra_forbidden":
        inside_procedure = len(loc) >= 3 and loc[0] == "procedures"
        fields = _ProcedureAnswer.model_fields if inside_procedure else _IntakeAnswers.model_fields
        return UserError(field, "is not a known field", ", ".join(fields))
    if kind == "missing":
        return UserError(field, "is required")
    if kind == "int_type":
        return UserError(field, "must be a whole number of years", f"{MIN_AGE} to {MAX_AGE}")
    if kind == "string_type":
        return UserError(field, "must be an id written as text", allowed)
    if kind == "list_type":
        return UserError(field, "must be a list of ids", allowed)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return UserError(field, "must be an object with kind, zones and date")
    if kind == "value_error":
        ctx: dict[str, Any] = error.get("ctx") or {}
        return UserError(field, str(ctx.get("error", error["msg"])))
    return UserError(field, error["msg"], allowed)


def parse_intake(raw: object, *, today: dt.date | None = None) -> Intake:
    """Give an Intake from parsed JSON, or raise UserError naming the first bad field.

    ``today`` (default: the real date) stands in for ``as_of`` when the intake gives none.
    """
    if not isinstance(raw, dict):
        raise UserError("intake", 'must be a JSON object with at least an age, e.g. {"age": 58}')
    try:
        answers = _IntakeAnswers.model_validate(raw)
    except ValidationError as exc:
        raise _user_error(exc) from None
    for i, answer in enumerate(answers.procedures):
        if answer.kind not in PROCEDURE_KINDS:
            raise UserError(
                f"procedures[{i}].kind", f"unknown kind {answer.kind!r}", _allowed(PROCEDURE_KINDS)
            )
    today = today or dt.date.today()
    if answers.as_of is not None:
        check_past_day("as_of", answers.as_of, today)
    intake = Intake.model_validate(answers.model_dump())
    as_of = intake.as_of or today
    check_intake(intake, as_of, as_of_given=intake.as_of is not None)
    for i, procedure in enumerate(intake.procedures):
        check_day(f"procedures[{i}].date", procedure.date, EARLIEST_DAY, as_of)
    return intake


# --- the engine ---------------------------------------------------------------------------------


def _restriction(rule: Rule, zones: list[str], until: dt.date | None) -> Restriction:
    return Restriction(
        rule=rule.id,
        decision=rule.decision,
        reason=rule.reason,
        avoid_zones=zones,
        exclude_techniques=list(rule.exclude_techniques),
        max_pressure=rule.max_pressure,
        until=until,
    )


def _matches(rule: Rule, intake: Intake, as_of: dt.date) -> Iterator[Restriction]:
    """Give one Restriction per way ``intake`` triggers ``rule`` on ``as_of``."""
    kind, value = rule.trigger
    if kind == "procedure":
        assert rule.for_days is not None  # guaranteed by Rule._consistent
        for procedure in intake.procedures:
            ends_on = procedure.date + dt.timedelta(days=rule.for_days)
            if procedure.kind != value or ends_on <= as_of:
                continue
            if rule.avoid_zones == "treated_zones":
                # No zones given: we cannot tell where it was done, so all of it counts as treated.
                treated = set(procedure.zones) or set(ZONE_IDS)
                zones = [z for z in ZONE_IDS if z in treated]
            else:
                zones = list(rule.avoid_zones)
            yield _restriction(rule, zones, ends_on)
        return
    answers = intake.conditions if kind == "condition" else intake.medications
    if value in answers:
        assert rule.avoid_zones != "treated_zones"  # guaranteed by Rule._consistent
        resume = as_of + dt.timedelta(days=rule.defer_days) if rule.defer_days else None
        yield _restriction(rule, list(rule.avoid_zones), resume)


def _first_zone_free(restrictions: list[Restriction]) -> dt.date | None:
    """Give the earliest date on which some zone is no longer avoided (None: none ever is)."""
    free_on: list[dt.date] = []
    for zone in ZONE_IDS:
        ends = [r.until for r in restrictions if zone in r.avoid_zones]
        if ends and all(end is not None for end in ends):
            free_on.append(max(end for end in ends if end is not None))
    return min(free_on, default=None)


def screen(
    intake: Intake, *, today: dt.date | None = None, rules: RuleBook | None = None
) -> Decision:
    """Give the screening decision for ``intake``: the strictest matched rule decides.

    ``as_of`` is the intake's own date, else ``today`` (default: the real date). ``rules`` defaults
    to the shipped contraindication rules. Raises UserError on answers the rules do not know.
    """
    book = rules if rules is not None else load_rules()
    as_of = intake.as_of or today or dt.date.today()
    check_intake(intake, as_of, as_of_given=intake.as_of is not None)

    order = {rule.id: n for n, rule in enumerate(book.rules)}
    matched = [r for rule in book.rules for r in _matches(rule, intake, as_of)]
    # Strictest first, then rule order; the sort is stable, so one rule's procedures keep theirs.
    matched.sort(key=lambda r: (-_STRICTNESS[r.decision], order[r.rule]))
    if not matched:
        return Decision(
            decision="go",
            reasons=[book.go_reason],
            avoid_zones=[],
            exclude_techniques=[],
            max_pressure=5,
            resume_on=None,
        )

    decision = matched[0].decision
    reasons = list(dict.fromkeys(r.reason for r in matched))
    avoid = [z for z in ZONE_IDS if any(z in r.avoid_zones for r in matched)]
    exclude = [t for t in TECHNIQUE_IDS if any(t in r.exclude_techniques for r in matched)]
    max_pressure = min(r.max_pressure for r in matched)

    resume_on: dt.date | None = None
    if decision == "defer":
        resume_on = max(r.until for r in matched if r.decision == "defer" and r.until)
    elif decision == "modify":
        resume_on = max((r.until for r in matched if r.until), default=None)
        if len(avoid) == len(ZONE_IDS):
            # Nothing is left to massage: that is a wait, until the first zone frees up.
            free_on = _first_zone_free(matched)
            if free_on is not None:
                decision, resume_on = "defer", free_on
                reasons.append(book.all_zones_avoided_reason)

    return Decision(
        decision=decision,
        reasons=reasons,
        avoid_zones=avoid,
        exclude_techniques=exclude,
        max_pressure=max_pressure,
        resume_on=resume_on,
        restrictions=matched,
    )
