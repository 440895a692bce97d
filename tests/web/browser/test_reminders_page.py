"""The Reminders page in Chromium: readable on a laptop and a phone, no script or CSP error, the
service worker installed, and a reminder pushed to it shown as a notification."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from web.browser.pages import PageWatch, screenshot
from web.browser.readability import readability_problems

if TYPE_CHECKING:
    from playwright.sync_api import Page

PHONE = {"width": 390, "height": 844}

NOTIFICATIONS_JS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications({tag: "collagen-coach-reminder"});
  return shown.map((n) => ({title: n.title, body: n.body, url: n.data.url}));
}"""


def test_the_reminders_page_saves_her_choices_and_reads_well(
    signed_in_page: Callable[[str], Page], watch_page: Callable[[Page], PageWatch]
) -> None:
    page = signed_in_page("remi")
    watch = watch_page(page)
    page.goto("/reminders/")
    page.get_by_role("link", name="Reminders").first.wait_for()
    page.fill("input[name=at]", "07:45")
    page.check("input[name=by_email]")
    page.fill("input[name=email]", "remi@example.org")
    page.check("input[name=weekly]")
    page.get_by_role("button", name="Save my reminders").click()
    page.get_by_text("Your reminders are saved.").wait_for()
    assert page.input_value("input[name=at]") == "07:45"
    assert readability_problems(page) == []
    screenshot(page, "reminders-1280x800")

    page.set_viewport_size(PHONE)
    page.reload()
    assert readability_problems(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
    screenshot(page, "reminders-390x844")
    assert watch.script_errors == []
    assert watch.csp_violations == []


def test_a_reminder_pushed_to_the_device_is_shown_with_the_page_it_opens(
    signed_in_page: Callable[[str], Page],
) -> None:
    page = signed_in_page("pia")
    page.context.grant_permissions(["notifications"])
    cdp = page.context.new_cdp_session(page)
    registrations: list[Any] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.goto("/reminders/")
    page.get_by_text("Notifications are off for this device.").wait_for()
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")
    origin = page.url.split("/reminders/")[0]

    def live_registration() -> dict[str, Any] | None:
        """The newest registration DevTools reported for the site's whole scope, if any."""
        live = [
            r for r in registrations if r["scopeURL"] == f"{origin}/" and not r.get("isDeleted")
        ]
        return live[-1] if live else None

    for _ in range(50):  # DevTools' event may come a moment after the page's promise
        if live_registration():
            break
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    registration = live_registration()
    assert registration, f"DevTools reported no live registration for {origin}/: {registrations}"

    payload = {
        "title": "Time for your session",
        "body": "Today's session takes about 7 minutes.",
        "url": "/session/today/",
    }
    # A push that reaches a worker still starting can be dropped by the browser on a busy
    # machine; the app's tag makes a second delivery replace the first, never add to it.
    shown: list[dict[str, str]] = []
    for _ in range(3):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": origin,
                "registrationId": registration["registrationId"],
                "data": json.dumps(payload),
            },
        )
        for _ in range(50):
            shown = page.evaluate(NOTIFICATIONS_JS)
            if shown:
                break
            page.wait_for_timeout(100)
        if shown:
            break
    permission = page.evaluate("Notification.permission")
    assert shown, f"no notification shown (permission {permission}, registration {registration})"
    assert shown == [payload]
