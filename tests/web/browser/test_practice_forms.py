"""A practitioner's forms in a real Chromium, at desktop and phone size: adding a client with
contact details, the invitation's copy button (it copies the real link), a self-carer asked
before her history is shared, and the plan editor's Up and Down buttons.
Screenshots: out/screenshots/practice-forms-*.png.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from web.browser.live_server import RunningServer
from web.browser.person import (
    do_safety_check,
    keep_recovery_codes,
    shoot_both,
    sign_up,
    start_practice,
)
from web.browser.readability import readability_problems

pytestmark = pytest.mark.postgres

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PASSWORD = "a long passphrase 1"


def test_a_practitioners_forms_in_chromium(browser: Browser, served_app: RunningServer) -> None:
    base = served_app.url.rstrip("/")
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    olga = context.new_page()
    sign_up(olga, "olga", PASSWORD)
    keep_recovery_codes(olga)
    start_practice(olga, "Calm Rooms")

    # Adding a client: a bad phone number is named; then the details are kept and shown.
    olga.goto(reverse("practice:add_client"))
    olga.fill("input[name=name]", "Sam Reed")
    olga.fill("input[name=phone]", "call me")
    olga.select_option("select[name=preferred_contact]", "text")
    olga.get_by_role("button", name="Add the client").click()
    assert "call me is not a phone number" in olga.inner_text("main")
    shoot_both(olga, "practice-forms-01-add-client-refused")
    assert not readability_problems(olga), "practice-forms-01-add-client-refused"
    olga.fill("input[name=phone]", "+44 20 7946 0958")
    olga.fill("input[name=email]", "sam@example.org")
    olga.select_option("select[name=age_band]", "55-64")
    olga.get_by_role("button", name="Add the client").click()
    olga.wait_for_url("**/practice/invite/*/")
    client_id = int(re.findall(r"/invite/(\d+)/", olga.url)[0])
    shoot_both(olga, "practice-forms-02-invite")
    assert not readability_problems(olga), "practice-forms-02-invite"

    # The copy button copies the link shown, which starts with the site's own address.
    olga.get_by_role("button", name="Make the invitation link").click()
    link = olga.locator("#invite-link").inner_text().strip()
    assert link.startswith(base + "/practice/join/")
    olga.get_by_role("button", name="Copy the link").click()
    olga.get_by_text("Copied. Paste it into your email or message.").wait_for()
    assert olga.evaluate("navigator.clipboard.readText()") == link
    shoot_both(olga, "practice-forms-03-link-copied")
    assert not readability_problems(olga), "practice-forms-03-link-copied"

    olga.goto(reverse("clinic:timeline", kwargs={"client_id": client_id}))
    assert "+44 20 7946 0958" in olga.inner_text("main")
    shoot_both(olga, "practice-forms-04-client-page")
    assert not readability_problems(olga), "practice-forms-04-client-page"

    # Her details are changed from her record, and shown there.
    olga.get_by_role("link", name="Change the details").click()
    olga.fill("textarea[name=contact_notes]", "Prefers mornings.")
    shoot_both(olga, "practice-forms-04a-client-details")
    assert not readability_problems(olga), "practice-forms-04a-client-details"
    olga.get_by_role("button", name="Save the details").click()
    olga.get_by_text("Sam Reed's details are saved.").wait_for()
    assert "Prefers mornings." in olga.inner_text("main")

    # Sam has no account yet: her reminder emails are set on her record, once she agreed.
    olga.get_by_role("link", name="Reminders").last.click()
    olga.fill("input[name=at]", "07:30")
    olga.check("input[name=by_email]")
    olga.get_by_role("button", name="Save her reminders").click()
    assert "Tick this once the client has agreed" in olga.inner_text("main")
    assert olga.input_value("input[name=email]") == "sam@example.org"  # her contact address
    olga.check("input[name=agreed]")
    olga.get_by_role("button", name="Save her reminders").click()
    olga.get_by_text("Sam Reed's reminders are saved.").wait_for()
    assert olga.input_value("input[name=at]") == "07:30"
    shoot_both(olga, "practice-forms-04b-client-reminders")
    assert not readability_problems(olga), "practice-forms-04b-client-reminders"

    # A self-carer with her own safety check opens the link: she is asked first.
    sam = browser.new_context(base_url=base, viewport={"width": 390, "height": 844}).new_page()
    sign_up(sam, "sam", PASSWORD)
    keep_recovery_codes(sam)
    do_safety_check(sam, 60)
    sam.goto(link)
    assert "Share them with Calm Rooms?" in sam.inner_text("main")
    shoot_both(sam, "practice-forms-05-consent")
    assert not readability_problems(sam), "practice-forms-05-consent"
    sam.get_by_role("button", name="I agree: share my records and join").click()
    sam.wait_for_url("**/practice/mine/")

    # The plan editor of her own record, now the practice's client: a safety check, a plan.
    olga.goto(reverse("practice:clients"))
    href = olga.get_by_role("link", name="Sam Reed").first.get_attribute("href") or ""
    client_id = int(re.findall(r"/practice/clients/(\d+)/", href)[0])
    olga.goto(reverse("clinic:intake", kwargs={"client_id": client_id}))
    olga.fill("input[name=age]", "60")
    olga.check("input[name=consent]")
    shoot_both(olga, "practice-forms-06-clinic-intake")
    assert not readability_problems(olga), "practice-forms-06-clinic-intake"
    olga.get_by_role("button", name="Save and see the result").click()
    olga.goto(reverse("clinic:plan", kwargs={"client_id": client_id}))
    olga.get_by_role("button", name="Make the plan and assign it as home routine").click()
    olga.wait_for_load_state()
    olga.get_by_role("link", name=re.compile("Edit")).first.click()
    olga.wait_for_load_state()
    before = olga.locator("select[name$=-technique]").evaluate_all("els => els.map(e => e.value)")
    olga.get_by_role("button", name="Move step 2 down").click()
    olga.wait_for_load_state()
    after = olga.locator("select[name$=-technique]").evaluate_all("els => els.map(e => e.value)")
    assert after[:3] == [before[0], before[2], before[1]] or "cannot come after" in olga.inner_text(
        "main"
    )
    shoot_both(olga, "practice-forms-07-plan-editor")
    assert not readability_problems(olga), "practice-forms-07-plan-editor"
