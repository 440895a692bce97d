"""``serve --lan`` in Chromium: the sign-in page over HTTPS with no certificate error, a secure
context where the camera opens, signing in through it, and the page Use on your phone.

Chromium is told to trust the served certificate by its public key
(``--ignore-certificate-errors-spki-list``), as no certificate database tool (NSS's certutil) is
at hand to install the authority; that the chain, the name and the authority's name constraints
hold is checked by OpenSSL in tests/web/phone/test_certificates.py and tests/cli/test_serve_lan.py.
The server runs on this machine's home address when it has one, else on 127.0.0.2
(``lan_arguments``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cryptography import x509

from collagen_coach.web.phone import certificates, words
from web.browser.conftest import CHROMIUM_ARGS, PASSWORD
from web.browser.live_server import RunningServer, free_port, lan_arguments, running_server
from web.browser.pages import screenshot, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# A camera made up by Chromium, allowed without asking: what matters is whether the page may ask.
FAKE_CAMERA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
OPEN_CAMERA = """async () => {
  if (!navigator.mediaDevices) return "no mediaDevices";
  const stream = await navigator.mediaDevices.getUserMedia({video: true});
  const tracks = stream.getVideoTracks().length;
  stream.getTracks().forEach(t => t.stop());
  return tracks === 1 ? "camera open" : "no video track";
}"""


@pytest.fixture(scope="module")
def lan_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, str]]:
    """Give ``serve --lan`` running (without a worker) and its HTTPS address."""
    arguments, address = lan_arguments()
    port = free_port()
    home = tmp_path_factory.mktemp("lan") / "home"
    with running_server(home, *arguments, "--no-worker", port=port) as server:
        yield server, f"https://{address}:{port}"


@pytest.fixture(scope="module")
def trusting_chromium(
    browser: Browser, chromium_path: Path, lan_server: tuple[RunningServer, str]
) -> Iterator[Browser]:
    """Give a Chromium that trusts the served certificate (by its public key) and has a camera."""
    server, _ = lan_server
    chain = certificates.files_in(server.home).certificate.read_bytes()
    served = x509.load_pem_x509_certificates(chain)[0]
    pin = f"--ignore-certificate-errors-spki-list={certificates.spki_sha256(served)}"
    trusting = browser.browser_type.launch(
        executable_path=str(chromium_path), args=[*CHROMIUM_ARGS, pin, *FAKE_CAMERA]
    )
    yield trusting
    trusting.close()


def test_the_sign_in_page_opens_over_https_as_a_secure_page_where_the_camera_opens(
    trusting_chromium: Browser, lan_server: tuple[RunningServer, str]
) -> None:
    server, origin = lan_server
    server.sign_up("hana", PASSWORD)
    context = trusting_chromium.new_context(base_url=origin, viewport=PHONE)
    context.grant_permissions(["camera"], origin=origin)
    page = context.new_page()

    answer = page.goto("/accounts/login/")
    assert answer is not None
    security = answer.security_details()
    secure_context = page.evaluate("window.isSecureContext")
    camera = page.evaluate(OPEN_CAMERA)
    sign_in(page, "hana", PASSWORD)
    cookies = {c["name"]: c for c in context.cookies()}
    context.close()

    assert answer.status == 200
    assert security is not None
    assert security.get("issuer", "").startswith("collagen-coach on")
    assert security.get("protocol") in ("TLS 1.2", "TLS 1.3")
    assert secure_context is True
    assert camera == "camera open"
    assert page.url == origin + "/"  # signed in: on Today, through the https origin
    assert cookies["sessionid"]["secure"] is True


def test_the_phone_page_shows_the_address_and_its_code_on_the_computer(
    browser: Browser, lan_server: tuple[RunningServer, str]
) -> None:
    server, origin = lan_server
    context = browser.new_context(base_url=server.url.rstrip("/"), viewport=LAPTOP)
    page = context.new_page()
    page.goto("/phone/")

    figure = page.locator("figure.qr-code")
    box = figure.locator("svg").bounding_box()
    text = page.inner_text("main")
    shot = screenshot(page, "phone-page-laptop")
    page.set_viewport_size(PHONE)
    shot_narrow = screenshot(page, "phone-page-laptop-narrow")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert f"{origin}/phone/" in text
    assert box is not None
    assert box["width"] >= 200
    assert words.AFTERWARDS in text
    assert width <= PHONE["width"]
    assert shot.stat().st_size > 0
    assert shot_narrow.stat().st_size > 0


def test_on_the_phone_the_page_offers_the_certificate_first(
    trusting_chromium: Browser, lan_server: tuple[RunningServer, str]
) -> None:
    _, origin = lan_server
    context = trusting_chromium.new_context(base_url=origin, viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.click("text=Use on your phone")

    has_code = page.locator("figure.qr-code").count()
    shot = screenshot(page, "phone-page-on-the-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    with page.expect_download() as download:
        page.click("text=Download for Android")
    saved = Path(download.value.path()).read_bytes()  # before the context takes it away
    iphone_type = page.evaluate(
        "href => fetch(href).then(answer => answer.headers.get('content-type'))",
        page.get_attribute("text=Download for iPhone", "href"),
    )
    context.close()

    assert has_code == 0
    assert width <= PHONE["width"]
    assert shot.stat().st_size > 0
    assert download.value.suggested_filename == words.AUTHORITY_FILE_NAME
    assert iphone_type == "application/x-x509-ca-cert"
    assert (
        x509.load_der_x509_certificate(saved)
        .subject.rfc4514_string()
        .startswith("CN=collagen-coach on")
    )
