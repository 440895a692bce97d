"""Smoke tests of the served app in Chromium: the first page a new person sees, and signing in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.urls import reverse

from web.browser.pages import PageWatch, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_the_signup_page_loads_with_every_asset_and_breaks_no_rule_of_the_policy(
    page: Page, watch_page: Callable[[Page], PageWatch]
) -> None:
    watched = watch_page(page)

    answer = page.goto(reverse("accounts:signup"), wait_until="networkidle")

    assert answer is not None
    assert answer.status == 200
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("input[name=password1]").is_visible()
    assert watched.csp_violations == []
    assert watched.console_errors == []
    assert watched.script_errors == []
    assert watched.failed_requests == []
    static = watched.static_answers()
    assert any(url.endswith("/static/css/app.css") for url in static), static
    assert {url: status for url, status in static.items() if status != 200} == {}
    assert screenshot(page, "signup").stat().st_size > 0


def test_a_person_signed_in_by_the_harness_sees_todays_page(
    signed_in_page: Callable[[str], Page],
) -> None:
    page = signed_in_page("dora")

    answer = page.goto(reverse("home"))

    assert answer is not None
    assert answer.status == 200
    assert page.url.endswith(reverse("home"))
    assert "Sign out" in page.inner_text("header")
