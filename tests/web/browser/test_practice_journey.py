"""A practitioner and her client, each in their own Chromium, against `collagen-coach serve`.

The practitioner signs up, starts a practice, adds and invites a client, does the safety check on
the client's behalf, makes the plan, is refused a step that screening excludes, saves an allowed
edit and writes a shared SOAP note; the client joins by the link, sees the routine and the note,
and does a session at test speed; the practitioner then sees that session on the timeline.
Screenshots: out/screenshots/practice-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from web.browser.live_server import RunningServer
from web.browser.pages import PageWatch, screenshot
from web.browser.person import start_practice
from web.browser.readability import readability_problems

# Also run against PostgreSQL (scripts/test's second run): the served app gets a fresh database.
pytestmark = pytest.mark.postgres

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "a long passphrase 1"
UNREADABLE: dict[str, list[str]] = {}


def _shoot(page: Page, step: str) -> None:
    screenshot(page, f"practice-{step}")
    problems = readability_problems(page)
    if problems:
        UNREADABLE[step] = problems


def _sign_up(page: Page, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Make my account").click()
    page.get_by_role("link", name="I have kept them: continue").click()  # the recovery codes
    page.wait_for_load_state()


def test_a_practitioner_cares_for_a_client_who_does_her_home_routine(
    browser: Browser, served_app: RunningServer, watch_page: Callable[[Page], PageWatch]
) -> None:
    base = served_app.url.rstrip("/")
    thea = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800}).new_page()
    cora = browser.new_context(base_url=base, viewport={"width": 390, "height": 844}).new_page()
    watched = [watch_page(thea), watch_page(cora)]
    today = dt.date.today().isoformat()

    # The practitioner signs up and starts her practice.
    thea.goto(reverse("accounts:signup"))
    _sign_up(thea, "thea")
    start_practice(thea, "Glow Studio")

    # She adds a client and makes an invitation link.
    thea.goto(reverse("practice:add_client"))
    thea.fill("input[name=name]", "Cora Lane")
    thea.get_by_role("button", name="Add the client").click()
    thea.goto(reverse("practice:clients"))
    _shoot(thea, "01-clients")
    timeline = thea.get_by_role("link", name="Cora Lane").first.get_attribute("href")
    assert timeline is not None
    client_id = int(re.search(r"/practice/clients/(\d+)/", timeline).group(1))  # type: ignore[union-attr]
    thea.goto(reverse("practice:invite", kwargs={"client_id": client_id}))
    thea.get_by_role("button", name="Make the invitation link").click()
    link = thea.locator(".invite-link").inner_text().strip()
    assert "/practice/join/" in link
    _shoot(thea, "02-invitation")

    # Safety check on the client's behalf: an anticoagulant leaves out pinching.
    thea.goto(reverse("clinic:intake", kwargs={"client_id": client_id}))
    thea.fill("input[name=age]", "63")
    thea.check("input[name=medications][value=anticoagulant]")
    thea.check("input[name=consent]")
    thea.get_by_role("button", name="Save and see the result").click()
    thea.wait_for_load_state()
    assert "pinching" in thea.inner_text("main").lower()
    _shoot(thea, "03-decision")

    # The plan, assigned as the home routine.
    thea.goto(reverse("clinic:plan", kwargs={"client_id": client_id}))
    thea.get_by_role("button", name="Make the plan and assign it as home routine").click()
    thea.wait_for_load_state()
    _shoot(thea, "04-plan")

    # Editing today's session: pinching is not offered, and the limits name it.
    edit = reverse("clinic:plan_edit", kwargs={"client_id": client_id}) + f"?date={today}"
    thea.goto(edit)
    offered = thea.locator("select[name=steps-0-technique] option").all_inner_texts()
    assert "Light pinching" not in offered, offered  # screening leaves it out: not offered
    limits = thea.inner_text("main").lower()
    assert "pinching" in limits, limits[:800]  # the limits above the steps say what is left out
    _shoot(thea, "05-plan-edit-limits")
    thea.goto(edit)
    thea.fill("input[name=steps-0-duration_s]", "75")
    thea.get_by_role("button", name="Save and assign as home routine").click()
    thea.wait_for_load_state()
    assert "75" in thea.inner_text("main") or "1 min 15" in thea.inner_text("main")

    # A SOAP note, shared with the client.
    thea.goto(reverse("clinic:note_new", kwargs={"client_id": client_id}))
    thea.fill("textarea[name=subjective]", "Skin feels tight in the mornings.")
    thea.fill("textarea[name=objective]", "Mild dryness on both cheeks.")
    thea.fill("textarea[name=assessment]", "Tolerates light pressure well.")
    thea.fill("textarea[name=plan]", "Keep to level 2; add a second minute on the cheeks.")
    thea.check("input[name=shared_with_client]")
    _shoot(thea, "06-note")
    thea.get_by_role("button", name="Save the note").click()
    thea.wait_for_load_state()

    # The client follows the link, makes her account and joins.
    cora.goto(link)
    cora.get_by_role("link", name="Make my account").click()
    _sign_up(cora, "cora")
    cora.get_by_role("button", name=re.compile("^Join Glow Studio")).click()
    cora.wait_for_load_state()
    cora.goto(reverse("practice:my_practitioner"))
    portal = cora.inner_text("main")
    assert "Glow Studio" in portal
    assert "Tolerates light pressure well." in portal
    _shoot(cora, "07-client-portal")
    cora.goto(reverse("plans:plan"))
    assert "1 min 15" in cora.inner_text("main")
    _shoot(cora, "08-client-plan")

    # She does today's session at 60 times speed.
    cora.goto(reverse("guide:play") + "?speed=60")
    cora.get_by_role("button", name="Start", exact=True).click()
    cora.wait_for_selector("#comfort-panel:not([hidden])", timeout=120_000)
    cora.check("input[name=pain][value=no]")
    cora.check("input[name=redness][value=no]")
    cora.get_by_role("button", name="Save").click()
    cora.wait_for_selector("#done-panel:not([hidden])")

    # The practitioner sees it on the client's timeline.
    thea.goto(reverse("clinic:timeline", kwargs={"client_id": client_id}))
    shown = thea.inner_text("main").lower()
    assert "at home" in shown or "home session" in shown, shown[:1500]
    _shoot(thea, "09-timeline")
    thea.goto(reverse("practice:audit"))
    assert "cora lane" in thea.inner_text("main").lower()
    _shoot(thea, "10-audit")

    for watch in watched:
        assert watch.csp_violations == []
        assert watch.script_errors == []
    assert UNREADABLE == {}, "\n".join(f"{k}: {v}" for k, v in UNREADABLE.items())
