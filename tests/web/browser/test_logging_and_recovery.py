"""Logging in seconds and getting back in, in a real Chromium at 1280 × 800 and 390 × 844: the
rating's button rows by keyboard, the peptides form from the last dose, the calendar in the
browser's time zone, and a forgotten password reset with a recovery code from sign-up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from web.browser.live_server import RunningServer
from web.browser.pages import screenshot, sign_in
from web.browser.readability import readability_problems

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "a long passphrase 1"
NEW_PASSWORD = "my garden has roses 42"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
ZONE = "America/New_York"  # the browser's; the served app's own zone is the computer's


@pytest.fixture(params=list(SIZES))
def visitor(
    request: pytest.FixtureRequest, browser: Browser, served_app: RunningServer
) -> Iterator[Page]:
    """Give a signed-out page of the given size, in New York's time zone."""
    phone = request.param == "phone"
    context = browser.new_context(
        base_url=served_app.url.rstrip("/"),
        viewport=SIZES[request.param],
        timezone_id=ZONE,
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.size_name = request.param  # type: ignore[attr-defined]
    yield page
    context.close()


def fits(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the screen"
    assert readability_problems(page) == []


def shoot(page: Page, name: str) -> None:
    screenshot(page, f"logging-{page.size_name}-{name}")  # type: ignore[attr-defined]


def test_a_rating_is_given_by_keyboard_and_a_dose_from_the_last_one(
    visitor: Page, served_app: RunningServer
) -> None:
    page = visitor
    username = f"rita-{page.size_name}"  # type: ignore[attr-defined]
    served_app.sign_up(username, PASSWORD)
    sign_in(page, username, PASSWORD)

    page.goto(reverse("journal:rating"))
    assert page.locator("input.scale-input:checked").count() == 0  # nothing chosen at first
    fits(page)
    shoot(page, "01-rating-empty")
    # Keyboard alone: Space picks the first button of a row, an arrow key moves along it.
    for scale, moves in (("firmness", 6), ("elasticity", 5), ("fine_lines", 7), ("glow", 6)):
        page.focus(f"#id_{scale}_0")
        page.keyboard.press("Space")
        for _ in range(moves):
            page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Save my rating").click()
    assert "Not rated yet" in page.inner_text("main")  # sagging was left alone
    shoot(page, "02-rating-not-rated")
    page.focus("#id_sagging_0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Save my rating").click()
    page.wait_for_url("**/journal/")
    # Firmness runs 0 → 10; fine lines run 10 → 0 (better on the right), so 7 moves give 3.
    summary = page.inner_text("main")
    assert "firmness 6, elasticity 5, fine lines 3, glow 6, sagging 9" in summary

    page.goto(reverse("journal:peptides"))
    page.fill("input[name=grams]", "2.5")
    page.fill("input[name=product]", "Peptan")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/journal/")
    page.goto(reverse("journal:peptides"))
    assert page.input_value("input[name=grams]") == "2.5"
    assert page.input_value("input[name=product]") == "Peptan"
    fits(page)
    shoot(page, "03-peptides-from-last-dose")

    page.goto(reverse("journal:index"))
    page.locator(".entry-rating .entry-edit").click()
    shoot(page, "04-rating-correct")
    page.get_by_role("button", name=re.compile("^Delete this rating")).click()
    fits(page)
    shoot(page, "05-rating-delete-confirm")
    page.get_by_role("button", name="Yes, delete it").click()
    page.wait_for_url("**/journal/")
    assert "Self-rating" not in page.inner_text("main")


def test_the_calendar_starts_in_the_browsers_time_zone(
    visitor: Page, served_app: RunningServer
) -> None:
    page = visitor
    username = f"cal-{page.size_name}"  # type: ignore[attr-defined]
    served_app.sign_up(username, PASSWORD)
    sign_in(page, username, PASSWORD)
    page.goto(reverse("clients:intake"))
    page.fill("input[name=age]", "61")
    page.check("input[name=consent]")
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url("**/intake/*/")
    page.goto(reverse("plans:profile"))
    page.get_by_role("button", name="Make my plan").click()
    page.wait_for_url("**/plan/")

    page.goto(reverse("journal:calendar"))
    assert page.input_value("select[name=tz]") == ZONE
    assert "Filled in from this device: America/New York." in page.inner_text("main")
    fits(page)
    shoot(page, "06-calendar")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the calendar").click()
    ics = download.value.path().read_text()
    assert f"DTSTART;TZID={ZONE}:" in ics
    assert re.search(r"DTSTART;TZID=America/New_York:\d{8}T080000", ics)


def test_a_forgotten_password_is_reset_with_a_code_from_sign_up(visitor: Page) -> None:
    page = visitor
    username = f"rosa-{page.size_name}"  # type: ignore[attr-defined]
    page.goto(reverse("accounts:signup"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Make my account").click()
    codes = page.locator("ol.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert page.get_by_role("button", name="Print the codes").is_visible()
    fits(page)
    shoot(page, "07-recovery-codes-shown-once")
    page.emulate_media(media="print")
    shoot(page, "08-recovery-codes-printed")
    page.emulate_media(media="screen")
    page.get_by_role("link", name="I have kept them: continue").click()
    with page.expect_navigation():
        page.evaluate("() => document.querySelector('form.sign-out').submit()")

    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name="Use a recovery code").click()
    page.fill("input[name=username]", username)
    page.fill("input[name=code]", "wrong-code")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.get_by_role("button", name="Set my new password").click()
    assert "do not match" in page.inner_text("main")
    fits(page)
    shoot(page, "09-recover-wrong-code")
    page.fill("input[name=code]", codes[0].upper())
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.get_by_role("button", name="Set my new password").click()
    assert "You have 9 of 10 codes left" in page.inner_text("main")
    shoot(page, "10-recover-done")
    page.get_by_role("link", name="Sign in with my new password").click()
    sign_in(page, username, NEW_PASSWORD)
    page.goto(reverse("accounts:recovery_codes"))
    assert "9 of 10" in page.inner_text("main")
    fits(page)
    shoot(page, "11-recovery-codes-settings")
