"""What a self-carer does in the browser, one function per step, found by role and label text.

The journey tests read as the person's days; when a page changes (the plan form, Today, the
rating form, the player's end screen), the step is changed here once.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from web.browser.pages import screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def day_words(day: dt.date) -> str:
    """Give ``day`` as the pages write it in full, e.g. "Saturday 5 December 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def today_line(day: dt.date) -> str:
    """Give the line Today opens with on ``day``, e.g. "It is Saturday 5 December."."""
    return f"It is {day:%A} {day.day} {day:%B}."


def shoot_both(page: Page, name: str) -> list[Path]:
    """Save ``page`` as full-page PNGs at desktop (1280×800) and phone (390×844) size."""
    paths = []
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        paths.append(screenshot(page, f"{name}-{size}"))
    page.set_viewport_size(DESKTOP)
    for path in paths:
        assert path.stat().st_size > 10_000, f"the screenshot {path.name} is nearly empty"
    return paths


def main_text(page: Page) -> str:
    return page.inner_text("main")


def sign_up(page: Page, username: str, password: str) -> None:
    """Make an account on the sign-up page; lands on Today."""
    page.goto(reverse("accounts:signup"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Make my account").click()
    page.wait_for_url("**/")


def do_safety_check(page: Page, age: int) -> str:
    """Answer the safety questions from Today with nothing to report; give the decision page."""
    page.goto(reverse("home"))
    page.get_by_role("link", name="Start the safety check").click()
    page.get_by_label("Your age").fill(str(age))
    page.get_by_label("I have read this and I agree").check()
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url("**/intake/*/")
    return main_text(page)


def make_plan(page: Page, first_day: dt.date) -> str:
    """Make a plan from Today whose first session is on ``first_day``; give the plan page."""
    page.goto(reverse("home"))
    page.get_by_role("link", name="Make my plan").click()
    page.get_by_label("First day of the plan").fill(first_day.isoformat())
    page.get_by_role("button", name="Make my plan").click()
    page.wait_for_url("**/plan/")
    return main_text(page)


def open_today(page: Page) -> str:
    page.goto(reverse("home"))
    return main_text(page)


def offers_a_session(today_text: str) -> bool:
    """Whether Today offers a session still to do."""
    return "Start today's session" in today_text


def rate_skin(page: Page, scores: dict[str, int]) -> str:
    """Rate the skin today on the rating form (scales by their label); give the journal after."""
    page.goto(reverse("journal:rating"))
    for label, score in scores.items():
        page.get_by_label(label, exact=True).fill(str(score))
    page.get_by_role("button", name="Save my rating").click()
    page.wait_for_url("**" + reverse("journal:index"))
    return main_text(page)


def upload_photo(page: Page, photo: Path) -> None:
    """Upload a progress photo taken today; lands on the photo list."""
    page.goto(reverse("photos:upload"))
    page.get_by_label("Your photo").set_input_files(str(photo))
    page.get_by_role("button", name="Upload the photo").click()
    page.wait_for_url("**" + reverse("photos:index"))


def photo_results(page: Page, count: int) -> list[str]:
    """Open the photo list and wait until ``count`` photos have their analysis (the list
    refreshes itself); give each photo's result as shown, newest first."""
    from playwright.sync_api import expect

    page.goto(reverse("photos:index"))
    done = page.locator(".photo-status .badge-warn, .photo-status .badge-good")
    expect(done).to_have_count(count, timeout=120_000)
    return [text.strip() for text in page.locator(".photo-status").all_inner_texts()]


def play_session(page: Page, speed: int) -> str:
    """Play today's session in the player at ``speed`` times, answer the comfort questions and
    save; give the end screen's message."""
    page.goto(reverse("guide:play") + f"?speed={speed}")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("#comfort-panel:not([hidden])", timeout=120_000)
    page.locator("input[name=pain][value=no]").check()
    page.locator("input[name=redness][value=no]").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("#done-panel:not([hidden])")
    return page.inner_text("#done-message")


def do_session_quickly(page: Page) -> dict[str, Any]:
    """Do today's session through the endpoints the player uses (start, each step at its full
    length, finish with comfort answers), as the player does, without waiting through it; give
    the finish answer."""
    page.goto(reverse("guide:play"))
    token = page.locator("#csrf-form input[name=csrfmiddlewaretoken]").input_value()
    headers = {"X-CSRFToken": token, "Accept": "application/json"}

    def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = page.request.post(url, data=body, headers=headers)
        assert answer.ok, f"{url} answered {answer.status}: {answer.text()}"
        json: dict[str, Any] = answer.json()
        return json

    started = post(reverse("guide:start"), {})
    log = started["log"]
    for index, step in enumerate(started["steps"]):
        post(log["step_url"], {"step": index, "done_s": step["duration_s"], "skipped": False})
    return post(log["finish_url"], {"pain": False, "redness": False, "note": "", "stopped": False})


def open_journal(page: Page, since: dt.date) -> str:
    """Give the journal's text for the days from ``since`` to today."""
    page.goto(reverse("journal:index") + f"?start={since.isoformat()}")
    return main_text(page)


def journal_days(page: Page) -> list[str]:
    """Give the journal's day headings as shown, newest first."""
    return [h.strip() for h in page.locator("section.journal-day h2").all_inner_texts()]


def journal_sessions_done(page: Page) -> int:
    return page.locator(".entry-session .badge", has_text="Session done").count()


def open_progress(page: Page) -> str:
    page.goto(reverse("progress:dashboard"))
    return main_text(page)


def overall_sessions(progress_text: str) -> tuple[int, int]:
    """Give (done, planned) from the progress page's Overall card."""
    found = re.search(r"Overall\s+\S+ %\s+(\d+) of (\d+) planned", progress_text)
    assert found, f"no Overall count on the progress page:\n{progress_text[:1500]}"
    return int(found[1]), int(found[2])


def todays_sessions(today_text: str) -> tuple[int, int]:
    """Give (done, planned) from Today's line "So far D of P planned sessions done"."""
    found = re.search(r"So far (\d+) of (\d+) planned sessions done", today_text)
    assert found, f"no count of sessions on Today:\n{today_text}"
    return int(found[1]), int(found[2])


def verdicts(page: Page, section: str) -> dict[str, str]:
    """Give each series' title and verdict words in a section of the progress page (by its
    heading, e.g. "Your self-ratings")."""
    cards = page.get_by_role("region", name=section).locator("article.series-card")
    shown = {}
    for index in range(cards.count()):
        card = cards.nth(index)
        shown[card.locator("h3").inner_text().strip()] = (
            card.locator(".verdict-line [data-words=verdict_words]").inner_text().strip()
        )
    return shown
