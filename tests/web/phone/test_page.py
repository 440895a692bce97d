"""Use on your phone: the page, the certificate a phone downloads, and the cookies of answers
over HTTPS."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from django.urls import reverse

from collagen_coach.web.phone import certificates, words
from collagen_coach.web.settings import home_network_urls

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

URL = "https://192.168.1.20:8000"


@pytest.fixture
def served_on_home_network(settings: Any, tmp_path: Path) -> x509.Certificate:
    """The settings as ``serve --lan`` leaves them, with its certificate made in a data folder
    of this test's own; give the authority."""
    settings.HOME = tmp_path
    settings.HOME_NETWORK_URLS = [URL, "https://kitchen-pc.local:8000"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "192.168.1.20"]
    address = ipaddress.IPv4Address("192.168.1.20")
    certificates.prepare(tmp_path, [address], ["kitchen-pc", "kitchen-pc.local"])
    authority = certificates.read_authority(certificates.files_in(tmp_path))
    assert authority is not None
    return authority


def test_without_serve_lan_the_page_says_how_to_start_it(client: Any, settings: Any) -> None:
    settings.HOME_NETWORK_URLS = []

    page = client.get(reverse("phone:index")).content.decode()

    assert words.COMMAND in page
    assert "<svg" not in page
    assert reverse("phone:certificate") not in page


def test_with_serve_lan_the_page_shows_the_address_its_code_and_the_steps(
    client: Any, served_on_home_network: x509.Certificate
) -> None:
    page = client.get(reverse("phone:index")).content.decode()

    assert f"{URL}/phone/" in page
    assert "https://kitchen-pc.local:8000/phone/" in page
    assert page.count("<svg") == 1
    assert certificates.fingerprint(served_on_home_network) in page
    assert reverse("phone:certificate") in page
    assert reverse("phone:certificate_file") in page
    for step in (*words.IPHONE_STEPS, *words.ANDROID_STEPS):
        assert step.replace("&", "&amp;") in page


def test_on_the_phone_itself_the_code_is_left_out_and_the_steps_stay(
    client: Any, served_on_home_network: x509.Certificate
) -> None:
    page = client.get(reverse("phone:index"), secure=True, HTTP_HOST="192.168.1.20").content

    assert b"<svg" not in page
    assert words.ON_THE_PHONE.replace("'", "&#x27;").encode() in page
    assert words.IPHONE_STEPS[1].encode() in page


@pytest.mark.parametrize(
    ("address", "content_type"),
    [
        pytest.param("phone:certificate", "application/x-x509-ca-cert", id="iPhone: a CA's type"),
        pytest.param("phone:certificate_file", "application/octet-stream", id="Android: a file"),
    ],
)
def test_the_certificate_downloads_as_each_phone_takes_an_authority(
    client: Any, served_on_home_network: x509.Certificate, address: str, content_type: str
) -> None:
    answer = client.get(reverse(address))

    assert answer.status_code == 200
    assert answer["Content-Type"] == content_type
    assert answer["Content-Disposition"] == f'attachment; filename="{words.AUTHORITY_FILE_NAME}"'
    assert x509.load_der_x509_certificate(answer.content) == served_on_home_network


def test_no_certificate_before_serve_lan_made_one(
    client: Any, settings: Any, tmp_path: Path
) -> None:
    settings.HOME = tmp_path

    assert client.get(reverse("phone:certificate")).status_code == 404
    assert client.get(reverse("phone:certificate_file")).status_code == 404


@pytest.mark.parametrize(("secure", "cookie_secure"), [(True, True), (False, "")])
def test_cookies_set_over_https_are_secure_and_over_http_they_work(
    client: Any, secure: bool, cookie_secure: bool | str
) -> None:
    answer = client.get(reverse("accounts:login"), secure=secure)

    assert answer.cookies["csrftoken"]["secure"] == cookie_secure


@pytest.mark.parametrize(
    ("raw", "urls"),
    [
        ("", []),
        (
            "https://192.168.1.20:8000/,https://kitchen-pc.local:8000/",
            ["https://192.168.1.20:8000", "https://kitchen-pc.local:8000"],
        ),
    ],
)
def test_serve_lan_hands_its_addresses_to_the_settings(raw: str, urls: list[str]) -> None:
    assert home_network_urls(raw) == urls


def test_a_plain_http_address_is_not_taken_for_a_home_network_one() -> None:
    from collagen_coach.core.errors import UserError

    with pytest.raises(UserError, match="is not an HTTPS address"):
        home_network_urls("http://192.168.1.20:8000")
