"""Today's session on a phone without the network, in a real Chromium: the installed app's
service worker keeps the session page, the session plays and is saved on the phone offline, and
it arrives in the journal once, when the phone is back online.

Playwright's sync API runs an event loop in this thread, so Django is told that its synchronous
database calls here are safe (they are: the test waits while the page works).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.journal.models import SessionLog, SessionStatus
from collagen_coach.web.phone.models import SentLater
from collagen_coach.web.plans.services import save_program
from web.browser.pages import screenshot
from web.builders import program

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
PLAY = reverse("guide:play") + "?speed=600"  # the four-step session (390 s) in under a second
CONTROLLED = "() => navigator.serviceWorker.controller !== null"
# Whether a page is kept (any argument) or this one (its path): the caches answer a promise, and a
# polled predicate cannot wait for one, so each poll starts a look and reads the last one's answer.
KEPT_PAGES = """(path) => {
  if (!window.keptLook) {
    window.keptLook = (async () => {
      let found = false;
      for (const name of await caches.keys()) {
        if (!name.startsWith("coach-pages-")) continue;
        found = found || !path || Boolean(await (await caches.open(name)).match(path));
      }
      window.keptAnswer = found;
      window.keptLook = null;
    })();
  }
  return window.keptAnswer === true;
}"""
NO_KEPT_PAGE = """() => {
  if (!window.keptLook) {
    window.keptLook = caches.keys().then((names) => {
      window.nothingKept = !names.some((name) => name.startsWith("coach-pages-"));
      window.keptLook = null;
    });
  }
  return window.nothingKept === true;
}"""


@pytest.fixture
def ann_on_her_phone(
    browser: Browser, live_server: Any, make_person: Callable[..., Any]
) -> Iterator[tuple[BrowserContext, Page, Any]]:
    """Give Ann's browser context and page, signed in, with today's four-step session planned."""
    user, ann = make_person("ann")
    save_program(ann, program(dates=[dt.date.today()]))
    web = WebClient()
    web.force_login(user)
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": web.cookies["sessionid"].value, "url": live_server.url}]
    )
    yield context, context.new_page(), ann
    context.close()


def test_todays_session_plays_offline_and_is_recorded_once_when_back_online(
    ann_on_her_phone: tuple[BrowserContext, Page, Any],
) -> None:
    context, page, ann = ann_on_her_phone

    # Online: Today installs the service worker; the session page is kept once it is opened.
    page.goto(reverse("guide:today"))
    page.wait_for_function(CONTROLLED)
    page.goto(PLAY)
    page.wait_for_function(CONTROLLED)
    page.wait_for_function(KEPT_PAGES, arg=PLAY)

    # Offline: the session page comes from the phone, with its steps, timers and face map.
    context.set_offline(True)
    answer = page.reload()
    assert answer is not None
    assert answer.from_service_worker
    assert "4 steps, about 7 minutes" in page.inner_text("#ready-panel")
    assert page.locator("#player-face").count() == 1
    screenshot(page, "offline-01-session-page-laptop")

    # It plays without the network and is saved on the phone at the end.
    page.click("#start-button")
    page.wait_for_selector("#comfort-panel:not([hidden])")
    page.wait_for_selector("#player[data-ended=unknown]")  # no end words from the server
    screenshot(page, "offline-01b-comfort-questions-laptop")
    page.check("input[name=pain][value=no]")
    page.check("input[name=redness][value=no]")
    page.fill("#comfort-note", "on the train")
    page.click("#comfort-form button[type=submit]")
    page.wait_for_selector("#player[data-status=kept]")
    assert page.inner_text("#done-message") == (
        "Saved on this phone \u2014 it will be sent when you are back online."
    )
    assert page.inner_text("#phone-note") == (
        "You are offline: this page is as it was when you last opened it."
    )
    assert not SessionLog.objects.filter(client=ann).exists()
    screenshot(page, "offline-02-saved-on-the-phone-laptop")
    page.set_viewport_size(PHONE)
    screenshot(page, "offline-03-saved-on-the-phone-phone")
    # Another page of the app, opened meanwhile, says what waits to be sent.
    today = context.new_page()
    today.set_viewport_size(PHONE)
    today.goto(reverse("guide:today"))
    today.wait_for_selector("#phone-note:has-text('1 session')")
    assert today.inner_text("#phone-note") == (
        "You are offline: this page is as it was when you last opened it. "
        "1 session is saved on this phone; it will be sent when you are back online."
    )
    screenshot(today, "offline-03b-today-waiting-phone")
    today.close()

    # Back online: the session arrives in the journal, once, and the page says so.
    context.set_offline(False)
    page.wait_for_selector("#player[data-status=completed]")
    assert "is in your journal. Well done." in page.inner_text("#done-message")
    screenshot(page, "offline-04-sent-phone")
    page.goto(reverse("journal:index"))  # a new page sends whatever is still waiting: nothing
    page.wait_for_load_state("networkidle")
    assert page.locator("#phone-note").count() == 0
    log = SessionLog.objects.get(client=ann)
    assert log.status == SessionStatus.COMPLETED
    assert [s["done_s"] for s in log.steps] == [60, 120, 120, 90]
    assert (log.pain, log.redness, log.comfort_note) == (False, False, "on the train")
    assert SentLater.objects.filter(client=ann, session_log=log).count() == 1


def test_a_page_never_opened_shows_the_offline_page_and_signing_out_forgets_kept_pages(
    ann_on_her_phone: tuple[BrowserContext, Page, Any],
) -> None:
    context, page, _ = ann_on_her_phone
    page.set_viewport_size(PHONE)
    page.goto(reverse("guide:today"))
    page.wait_for_function(CONTROLLED)
    page.wait_for_function(KEPT_PAGES, arg=reverse("guide:today"))

    context.set_offline(True)
    page.goto(reverse("progress:dashboard"))
    assert page.inner_text("h1") == "You are offline"
    screenshot(page, "offline-05-offline-page-phone")
    page.goto(reverse("guide:today"))  # kept: shown as it was, with a line saying so
    assert "You are offline: this page is as it was when you last opened it." in (
        page.inner_text("#phone-note")
    )
    screenshot(page, "offline-06-today-kept-phone")

    context.set_offline(False)
    page.set_viewport_size(LAPTOP)
    page.goto(reverse("journal:index"))
    page.locator("form[data-sign-out] button:visible").first.click()
    page.wait_for_url("**/accounts/login/**")
    page.wait_for_function(NO_KEPT_PAGE)
    context.set_offline(True)
    page.goto(reverse("guide:today"))
    assert page.inner_text("h1") == "You are offline"


def test_the_manifest_and_its_icons_are_what_chromium_reads(
    ann_on_her_phone: tuple[BrowserContext, Page, Any],
) -> None:
    _, page, _ = ann_on_her_phone
    page.goto(reverse("guide:today"))
    href = page.get_attribute("link[rel=manifest]", "href")
    assert href is not None

    manifest = page.request.get(href).json()

    for icon in manifest["icons"]:
        answer = page.request.get(icon["src"])
        assert answer.ok, icon["src"]
        assert answer.headers["content-type"] == "image/png"
