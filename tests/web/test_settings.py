"""Settings read from the environment: a yes/no setting refuses a value that is neither; an
HTTPS proxy in front of the app is trusted once the settings say so."""

from __future__ import annotations

import subprocess
import sys
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


PROXY_ORIGIN = "https://192.168.1.20:8443"


def _through_the_proxy(**settings: object) -> int | None:
    """Give the status of a sign-in form sent through an HTTPS proxy (None: accepted), as the
    CSRF check judges it with these settings."""
    from django.middleware.csrf import CsrfViewMiddleware, _get_new_csrf_string
    from django.test import RequestFactory, override_settings

    token = _get_new_csrf_string()
    request = RequestFactory().post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token},
        HTTP_HOST="192.168.1.20:8443",
        HTTP_ORIGIN=PROXY_ORIGIN,
        HTTP_X_FORWARDED_PROTO="https",
    )
    request.COOKIES["csrftoken"] = token
    with override_settings(ALLOWED_HOSTS=["192.168.1.20"], **settings):
        middleware = CsrfViewMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
        middleware.process_request(request)
        response = middleware.process_view(request, lambda r: None, (), {})
    return None if response is None else response.status_code


def test_forms_through_an_https_proxy_are_accepted_once_the_settings_say_so(
    tmp_path: Path,
) -> None:
    env = {
        **embedded_env(tmp_path / "home"),
        "BEHIND_HTTPS_PROXY": "1",
        "CSRF_TRUSTED_ORIGINS": f" {PROXY_ORIGIN} , ",
    }
    read = subprocess.run(
        [
            sys.executable,
            "-c",
            "from collagen_coach.web import settings as s; "
            "print(s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert read.stdout.strip() == f"('HTTP_X_FORWARDED_PROTO', 'https') ['{PROXY_ORIGIN}']"
    proxy = {
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "CSRF_TRUSTED_ORIGINS": [PROXY_ORIGIN],
    }
    assert _through_the_proxy(**proxy) is None
    assert _through_the_proxy(SECURE_PROXY_SSL_HEADER=None, CSRF_TRUSTED_ORIGINS=[]) == 403
