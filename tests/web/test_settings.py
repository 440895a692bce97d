"""Settings read from the environment: a yes/no setting refuses a value that is neither."""

from __future__ import annotations

from pathlib import Path

import pytest

from collagen_coach.core.errors import UserError
from collagen_coach.web.settings import envbool
from web.processes import embedded_env, run_cli


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("True", True),
        ("yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("FALSE", False),
        ("no", False),
        ("off", False),
        ("", False),
    ],
)
def test_a_yes_no_setting_reads_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("DEBUG", value)
    assert envbool("DEBUG") is expected


def test_an_unset_yes_no_setting_means_no(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEBUG", raising=False)
    assert envbool("DEBUG") is False


@pytest.mark.parametrize("value", ["ture", "2", "debug", "y es"])
def test_a_value_that_is_neither_yes_nor_no_is_refused_naming_what_is_allowed(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SECURE_COOKIES", value)
    with pytest.raises(UserError) as refused:
        envbool("SECURE_COOKIES")
    assert refused.value.field == "SECURE_COOKIES"
    assert repr(value) in refused.value.problem
    assert "1, true, yes or on" in str(refused.value.allowed)


def test_the_command_line_says_in_one_line_that_debug_is_misspelt(tmp_path: Path) -> None:
    env = {**embedded_env(tmp_path / "home"), "DEBUG": "ture"}
    result = run_cli("journal", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "collagen-coach: DEBUG: 'ture' is neither yes nor no "
        "(allowed: 1, true, yes or on for yes; 0, false, no, off or empty for no)"
    ], result.stderr
    assert "Traceback" not in result.stderr
