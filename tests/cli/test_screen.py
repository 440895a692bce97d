"""``collagen-coach screen``: the decision as JSON or in plain words, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from collagen_coach.cli import main
from collagen_coach.core.screening import load_rules
from collagen_coach.core.techniques import EVIDENCE_LEVEL_MEANING

AS_OF = "2026-11-24"
DECISION_KEYS = [
    "decision",
    "reasons",
    "avoid_zones",
    "exclude_techniques",
    "max_pressure",
    "resume_on",
    "restrictions",
]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def intake_file(tmp_path: Path, answers: Any) -> str:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return str(path)


def reason_of(rule_id: str) -> str:
    return next(r.reason for r in load_rules().rules if r.id == rule_id)


def flat(text: str) -> str:
    """Give ``text`` with line wrapping undone, so that wrapped sentences can be found."""
    return " ".join(text.split())


def test_json_has_the_decision_fields_and_the_restrictions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = intake_file(
        tmp_path,
        {
            "age": 58,
            "conditions": ["carotid_disease"],
            "procedures": [
                {"kind": "botulinum_toxin", "zones": ["forehead"], "date": "2026-11-20"}
            ],
            "as_of": AS_OF,
        },
    )
    code, out, err = run(["screen", path, "--json"], capsys)
    assert (code, err) == (0, "")
    decision = json.loads(out)
    assert list(decision) == DECISION_KEYS
    assert decision["decision"] == "modify"
    assert decision["reasons"] == [reason_of("carotid_disease"), reason_of("botulinum_toxin")]
    assert decision["avoid_zones"] == ["forehead", "neck"]
    assert decision["exclude_techniques"] == []
    assert decision["max_pressure"] == 2
    assert decision["resume_on"] == "2026-12-04"
    assert [(r["rule"], r["until"]) for r in decision["restrictions"]] == [
        ("carotid_disease", None),
        ("botulinum_toxin", "2026-12-04"),
    ]


@pytest.mark.parametrize(
    ("conditions", "decision", "headline"),
    [
        pytest.param([], "go", "GO AHEAD", id="go"),
        pytest.param(["fragile_skin"], "modify", "GO AHEAD, WITH CHANGES", id="modify"),
        pytest.param(["cold_sore"], "defer", "NOT YET: WAIT", id="defer"),
        pytest.param(["unexplained_lump"], "refer", "SEE A CLINICIAN FIRST", id="refer"),
    ],
)
def test_every_decision_exits_zero(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    conditions: list[str],
    decision: str,
    headline: str,
) -> None:
    path = intake_file(tmp_path, {"age": 62, "conditions": conditions, "as_of": AS_OF})
    code, out, _ = run(["screen", path, "--json"], capsys)
    assert (code, json.loads(out)["decision"]) == (0, decision)
    code, out, _ = run(["screen", path], capsys)
    assert code == 0
    assert headline in out


def test_plain_output_reads_as_advice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = intake_file(
        tmp_path,
        {
            "age": 70,
            "conditions": ["fragile_skin", "carotid_disease"],
            "procedures": [
                {"kind": "dermal_filler", "zones": ["nasolabial"], "date": "2026-11-20"}
            ],
            "as_of": AS_OF,
        },
    )
    code, out, err = run(["screen", path], capsys)
    assert (code, err) == (0, "")
    text = flat(out)
    assert flat(reason_of("fragile_skin")) in text
    assert flat(reason_of("dermal_filler")) in text
    assert "Leave alone: Smile lines, Neck." in text
    assert "Leave out: Kneading, Fascial stretch, Light pinching." in text
    assert "no firmer than 2 of 5" in text
    assert "Friday 4 December 2026" in text


def test_plain_output_of_a_defer_says_when_to_screen_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = intake_file(tmp_path, {"age": 50, "conditions": ["fever"], "as_of": AS_OF})
    _, out, _ = run(["screen", path], capsys)
    assert "Screen again on Friday 27 November 2026." in flat(out)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param({"age": 16}, "age: 16 is under 18", id="under-18"),
        pytest.param(
            {"age": 58, "conditions": ["gout"]}, "conditions[0]: unknown id 'gout'", id="unknown-id"
        ),
        pytest.param(
            {"age": 58, "procedures": [{"kind": "laser", "date": "2027-01-01"}], "as_of": AS_OF},
            "procedures[0].date: 2027-01-01 is after as_of 2026-11-24",
            id="future-procedure",
        ),
        pytest.param("not json {", "not valid JSON", id="not-json"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Any, message: str
) -> None:
    path = tmp_path / "intake.json"
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["screen", str(path), "--json"], capsys)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1
    assert message in err
    assert "Traceback" not in err


def test_missing_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.json"
    code, out, err = run(["screen", str(missing)], capsys)
    assert (code, out) == (2, "")
    assert err.strip() == f"collagen-coach: {missing}: file not found"


def test_plain_output_gives_each_reason_its_evidence_level_and_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = intake_file(tmp_path, {"age": 70, "conditions": ["fragile_skin"], "as_of": AS_OF})
    _, out, _ = run(["screen", path], capsys)
    rule = next(r for r in load_rules().rules if r.id == "fragile_skin")
    text = flat(out)
    level = f"Evidence: {rule.evidence} ({EVIDENCE_LEVEL_MEANING[rule.evidence]}) — "
    assert f"{flat(rule.reason)} {level}{flat(rule.source)}" in text


def test_a_go_carries_the_evidence_level_of_the_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = intake_file(tmp_path, {"age": 50, "as_of": AS_OF})
    _, out, _ = run(["screen", path], capsys)
    go = flat(load_rules().go_reason)
    assert f"{go} Evidence: EO ({EVIDENCE_LEVEL_MEANING['EO']})" in flat(out)
