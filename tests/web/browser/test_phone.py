"""Every main page on a phone screen (390 × 844): nothing wider than the screen, and readable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from web.browser.live_server import RunningServer
from web.browser.pages import screenshot, sign_in
from web.browser.readability import readability_problems

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PAGES = [
    "home",
    "clients:intake",
    "plans:profile",
    "guide:today",
    "journal:index",
    "journal:rating",
    "photos:guidance",
    "photos:upload",
    "progress:dashboard",
    "my_data:index",
]


@pytest.fixture(scope="module")
def phone(browser: Browser, served_app: RunningServer) -> Iterator[Page]:
    served_app.sign_up("phoebe", "a long passphrase 1")
    context = browser.new_context(
        base_url=served_app.url.rstrip("/"),
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    sign_in(page, "phoebe", "a long passphrase 1")
    yield page
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_the_page_fits_a_phone_screen_and_reads_well(phone: Page, name: str) -> None:
    phone.goto(reverse(name))
    phone.wait_for_load_state("networkidle")
    overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    screenshot(phone, f"phone-{name.replace(':', '-')}")
    assert overflow <= 0, f"{name} is {overflow} px wider than the phone's screen"
    assert readability_problems(phone) == []
