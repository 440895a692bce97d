"""A self-carer's whole journey in Chromium, against the app as `collagen-coach serve` runs it.

Sign up → safety check → plan → guided session at test speed → journal → photo upload and
analysis by the background worker → progress dashboard and report → export → delete everything.
Each page is saved as a screenshot in out/screenshots/journey-*.png to be looked at.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from web.browser.live_server import RunningServer
from web.browser.pages import PageWatch, screenshot
from web.browser.readability import readability_problems

# Also run against PostgreSQL (scripts/test's second run): the served app gets a fresh database.
pytestmark = pytest.mark.postgres

if TYPE_CHECKING:
    from playwright.sync_api import Page

FACES = Path(__file__).resolve().parents[2] / "fixtures" / "faces"
PASSWORD = "my own long passphrase 7"
USERNAME = "margaret"


UNREADABLE: dict[str, list[str]] = {}


def _shoot(page: Page, step: str) -> None:
    """Save the page as a screenshot and note anything on it that is hard to read or to tap."""
    path = screenshot(page, f"journey-{step}")
    assert path.stat().st_size > 10_000, f"the screenshot of {step} is nearly empty"
    problems = readability_problems(page)
    if problems:
        UNREADABLE[step] = problems


def _no_trouble(watched: PageWatch, where: str) -> None:
    assert watched.csp_violations == [], f"{where}: {watched.csp_violations}"
    assert watched.script_errors == [], f"{where}: {watched.script_errors}"
    assert {u: s for u, s in watched.answers.items() if s >= 500} == {}, where


def test_a_self_carer_goes_from_sign_up_to_deleting_everything(
    page: Page, served_app: RunningServer, watch_page: Callable[[Page], PageWatch]
) -> None:
    watched = watch_page(page)

    # Sign up: lands on Today, which points at the safety check first.
    page.goto(reverse("accounts:signup"))
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Make my account").click()
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**/")
    assert "safety check" in page.inner_text("main").lower()
    _shoot(page, "01-today-new")

    # Safety check: anti-wrinkle injections in the forehead five days ago mean "modify": the
    # forehead is left alone for now, shown on the face map, with the day it may be massaged again.
    page.get_by_role("link", name="Start the safety check").click()
    page.fill("input[name=age]", "61")
    page.check("input[name=medications][value=topical_retinoid]")
    page.select_option("select[name=procedures-0-kind]", "botulinum_toxin")
    page.check("input[name=procedures-0-zones][value=forehead]")
    five_days_ago = dt.date.today() - dt.timedelta(days=5)
    page.fill("input[name=procedures-0-date]", five_days_ago.isoformat())
    page.check("input[name=consent]")
    _shoot(page, "02-intake")
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url("**/intake/*/")
    decision = page.inner_text("main").lower()
    assert "retinoid" in decision
    _shoot(page, "03-decision")
    assert page.locator("svg.face-map .zone-avoid[data-zone=forehead]").count() == 1
    _shoot(page, "03-decision")

    # Plan: made from the profile form's answers; the page shows the phases and the steps' why.
    page.goto(reverse("plans:profile"))
    _shoot(page, "04-profile")
    # The baseline week is offered ticked; this journey plays a session today, so it skips it.
    page.uncheck("input[name=baseline_week]")
    page.get_by_role("button", name="Make my plan").click()
    page.wait_for_url("**/plan/")
    plan = page.inner_text("main").lower()
    assert "foundation" in plan
    assert "why" in plan
    _shoot(page, "05-plan")

    # Guided session at 60 times speed: started, shown mid-step, finished with comfort answers.
    page.goto(reverse("guide:today"))
    _shoot(page, "06-session-today")
    page.goto(reverse("guide:play") + "?speed=60")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("#live-panel:not([hidden])")
    page.wait_for_selector("#player-face .zone-active")
    _shoot(page, "07-session-playing")
    page.wait_for_selector("#comfort-panel:not([hidden])", timeout=120_000)
    page.check("input[name=pain][value=no]")
    page.check("input[name=redness][value=no]")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("#done-panel:not([hidden])")
    _shoot(page, "08-session-done")

    # Journal: rate the skin, log a dose of peptides; the journal lists the session and both.
    page.goto(reverse("journal:rating"))
    for scale, score in {
        "firmness": 5,
        "elasticity": 5,
        "fine_lines": 6,
        "glow": 4,
        "sagging": 5,
    }.items():
        # Each scale is a row of 0–10 buttons: tap the number's button (the radio's label).
        button = page.locator(f"input[name={scale}][value='{score}']").get_attribute("id")
        page.locator(f"label[for='{button}']").click()
    page.get_by_role("button", name="Save my rating").click()
    page.goto(reverse("journal:peptides"))
    page.fill("input[name=grams]", "10")
    page.locator("main form button[type=submit]").first.click()
    page.goto(reverse("journal:index"))
    journal = page.inner_text("main").lower()
    assert "session" in journal
    assert "peptides" in journal
    assert "rating" in journal or "firmness" in journal
    _shoot(page, "09-journal")

    # Photo: guidance, upload, then the worker analyses it in the background.
    page.goto(reverse("photos:guidance"))
    _shoot(page, "10-photo-guidance")
    page.goto(reverse("photos:upload"))
    page.set_input_files("input[type=file]", str(FACES / "obama.jpg"))
    page.get_by_role("button", name="Upload the photo").click()
    page.wait_for_url("**/photos/")
    _shoot(page, "11-photo-queued")
    # The list refreshes itself (htmx) until the worker has analysed the photo.
    page.wait_for_selector(".photo-status .badge-warn, .photo-status .badge-good", timeout=120_000)
    page.get_by_role("link", name="See the results").first.click()
    page.wait_for_url("**/photos/*/")
    detail = page.inner_text("main").lower()
    assert "resolution" in detail or "expression" in detail, detail[:500]
    overlay = page.locator("img[src*='/overlay/']")
    assert overlay.count() == 1
    _shoot(page, "12-photo-analysed")

    # Progress dashboard: charts drawn, report downloadable as PDF.
    page.goto(reverse("progress:dashboard"))
    page.wait_for_selector("canvas")
    _shoot(page, "13-dashboard")
    with page.expect_download() as report:
        page.get_by_role("link", name="PDF").first.click()
    assert report.value.suggested_filename.endswith(".pdf")
    assert Path(report.value.path()).read_bytes()[:5] == b"%PDF-"

    # Export: a zip holding the records and the photo.
    page.goto(reverse("my_data:index"))
    _shoot(page, "14-my-data")
    with page.expect_download() as export:
        page.get_by_role("button", name="Download everything (zip)").click()
    names = zipfile.ZipFile(io.BytesIO(Path(export.value.path()).read_bytes())).namelist()
    assert any(name.endswith(".json") for name in names), names
    assert any(name.lower().endswith((".jpg", ".jpeg")) for name in names), names

    # Delete everything: confirmed with the username and password; then the account is gone.
    page.goto(reverse("my_data:delete"))
    page.fill("input[name=confirm]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    _shoot(page, "15-delete")
    page.get_by_role("button", name="Delete everything now").click()
    page.wait_for_url("**/accounts/**")
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith(reverse("accounts:login"))
    _shoot(page, "16-signed-out-after-delete")
    _no_trouble(watched, "the journey")
    assert UNREADABLE == {}, "\n".join(f"{k}: {v}" for k, v in UNREADABLE.items())
