"""The mail and site-address settings: SMTP chosen by EMAIL_HOST, a port and a site address
refused in words when they cannot be right."""

from __future__ import annotations

import pytest

from collagen_coach.core.errors import UserError
from collagen_coach.web.settings import clean_site_url, envport


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://studio.example.org", "https://studio.example.org"),
        ("https://studio.example.org/", "https://studio.example.org"),
        ("http://192.168.1.20:8000", "http://192.168.1.20:8000"),
        ("", ""),
    ],
)
def test_a_site_address_is_kept_without_its_trailing_slash(raw: str, expected: str) -> None:
    assert clean_site_url(raw) == expected


@pytest.mark.parametrize("raw", ["studio.example.org", "ftp://x.org", "https://x.org/app"])
def test_a_site_address_that_is_not_one_is_refused_with_an_example(raw: str) -> None:
    with pytest.raises(UserError) as refused:
        clean_site_url(raw)
    assert refused.value.field == "SITE_URL"
    assert "e.g. https://studio.example.org" in str(refused.value.allowed)


def test_an_unset_port_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMAIL_PORT", raising=False)
    assert envport("EMAIL_PORT", 587) == 587


@pytest.mark.parametrize("value", ["0", "70000", "smtp", "-1"])
def test_a_port_out_of_range_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("EMAIL_PORT", value)
    with pytest.raises(UserError) as refused:
        envport("EMAIL_PORT", 25)
    assert refused.value.allowed == "a whole number from 1 to 65535"
