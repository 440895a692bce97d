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


def home_line(day: dt.date) -> str:
    """Give the line the home page ("Today" in the menu) opens with on ``day``, e.g.
    "It is Saturday 5 December."."""
    return f"It is {day:%A} {day.day} {day:%B}."


def short_day_words(day: dt.date) -> str:
    """Give ``day`` as the pages write it without the year, e.g. "Saturday 5 December"."""
    return f"{day:%A} {day.day} {day:%B}"


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


def sign_up(page: Page, username: str, password: str) -> list[str]:
    """Make an account on the sign-up page; stays on the page of recovery codes shown once, and
    gives the codes."""
    page.goto(reverse("accounts:signup"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Make my account").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    return [code.strip() for code in page.locator("ol.recovery-codes code").all_inner_texts()]


def keep_recovery_codes(page: Page) -> None:
    """Say the recovery codes are kept, as a person does after printing them; lands on Today."""
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**" + reverse("home"))


def do_safety_check(page: Page, age: int) -> str:
    """Answer the safety questions from Today with nothing to report; give the decision page."""
    page.goto(reverse("home"))
    page.get_by_role("link", name="Start the safety check").click()
    page.get_by_label("Your age").fill(str(age))
    page.get_by_label("I have read this and I agree").check()
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url("**/intake/*/")
    return main_text(page)


def make_plan(page: Page, first_day: dt.date, *, baseline_week: bool = True) -> str:
    """Make a plan from Today whose first day is ``first_day`` (with a baseline week, its first
    measurement day, unless ``baseline_week`` is False); give the plan page."""
    page.goto(reverse("home"))
    page.get_by_role("link", name="Make my plan").click()
    page.get_by_label("First day of the plan").fill(first_day.isoformat())
    page.get_by_label("Start with a baseline week (recommended)").set_checked(baseline_week)
    page.get_by_role("button", name="Make my plan").click()
    page.wait_for_url("**/plan/")
    return main_text(page)


def open_home(page: Page) -> str:
    """Give the home page's text ("Today" in the menu: what to do next)."""
    page.goto(reverse("home"))
    return main_text(page)


def open_today(page: Page) -> str:
    """Give the text of Today's plan, the coach ("Session" in the menu): the week strip, the
    baseline day or today's session, the habit and when a verdict becomes possible."""
    page.goto(reverse("guide:today"))
    return main_text(page)


def todays_date(page: Page) -> str:
    """Give the day Today says it is, as written under its heading."""
    return page.locator(".today-date").inner_text().strip()


def offers_a_session(today_text: str) -> bool:
    """Whether Today offers a session still to do."""
    return "Start the session" in today_text and "already done today's session" not in today_text


def rate_skin(page: Page, scores: dict[str, int], *, from_today: bool = False) -> str:
    """Rate the skin today by tapping one number on each 0–10 row of buttons (rows by their
    label), from Today's link when ``from_today``; give the journal after."""
    if from_today:
        page.goto(reverse("guide:today"))
        page.get_by_role("link", name="Rate my skin today").click()
    else:
        page.goto(reverse("journal:rating"))
    for label, score in scores.items():
        row = page.get_by_role("group", name=label, exact=True)
        row.locator("label.scale-button").get_by_text(str(score), exact=True).click()
        assert row.get_by_role("radio", name=str(score), exact=True).is_checked(), (label, score)
    page.get_by_role("button", name="Save my rating").click()
    page.wait_for_url("**" + reverse("journal:index"))
    return main_text(page)


def post_rating(page: Page, day: dt.date, scores: dict[str, int]) -> None:
    """Save a rating for ``day`` through the rating form's own endpoint (the form's fields by
    name, as the buttons send them), without tapping through the page."""
    page.goto(reverse("journal:rating"))
    form = page.locator("form.rating-form")
    token = form.locator("input[name=csrfmiddlewaretoken]").input_value()
    names = {
        page.get_by_role("group", name=label, exact=True)
        .locator("input.scale-input")
        .first.get_attribute("name"): score
        for label, score in scores.items()
    }
    answer = page.request.post(
        reverse("journal:rating"),
        form={"csrfmiddlewaretoken": token, "date": day.isoformat(), "note": "", **names},
        headers={"Referer": page.url},
        max_redirects=0,
    )
    assert answer.status == 302, f"the rating was not saved ({answer.status}): {answer.text()}"
    # The journal says what was saved, as it does after the buttons.
    page.goto(reverse("journal:index"))
    said = page.locator(".messages").inner_text()
    # (The message pads the day with a zero, "03 February", where pages write "3 February".)
    assert re.search(rf"Saved your rating for 0?{day.day} {day:%B}\.", said), said


def upload_photo(page: Page, photo: Path, *, from_today: bool = False) -> None:
    """Upload a progress photo taken today (from Today's link when ``from_today``); lands on the
    photo list."""
    if from_today:
        page.goto(reverse("guide:today"))
        # Today offers the camera coach first and the upload form beside it; here, a file.
        take = page.get_by_role("link", name="Take today's photo")
        assert take.get_attribute("href") == reverse("photos:take")
        page.get_by_role("link", name="or upload one").first.click()
        page.wait_for_url("**" + reverse("photos:upload"))
    else:
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


def play_session(page: Page, speed: int, end_screen: str | None = None) -> str:
    """Play today's session in the player at ``speed`` times, answer the comfort questions and
    save; give the message after saving. With ``end_screen``, the end screen must celebrate (its
    lines, e.g. the streak) and is saved as screenshots of that name."""
    page.goto(reverse("guide:play") + f"?speed={speed}")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("#comfort-panel:not([hidden])", timeout=120_000)
    if end_screen:
        page.wait_for_selector("#celebrate:not([hidden])")
        lines = page.locator("#celebrate-lines li").all_inner_texts()
        assert lines, "the end screen celebrates nothing"
        shoot_both(page, end_screen)
    for question in ("Any pain during the session?", "Any redness that is still there now?"):
        group = page.get_by_role("group", name=question)
        assert not any(radio.is_checked() for radio in group.get_by_role("radio").all()), (
            f"{question!r} has an answer chosen before the person chose one"
        )
        group.get_by_role("radio", name="No", exact=True).check()
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


def home_sessions(home_text: str) -> tuple[int, int]:
    """Give (done, planned) from the home page's line "So far D of P planned sessions done"."""
    found = re.search(r"So far (\d+) of (\d+) planned sessions done", home_text)
    assert found, f"no count of sessions on the home page:\n{home_text}"
    return int(found[1]), int(found[2])


def streak(text: str) -> int:
    """Give the streak from Today's habit card or the progress page's Streak card."""
    found = re.search(r"(\d+)\s+planned sessions? done in a row", text)
    assert found, f"no streak on the page:\n{text[:1500]}"
    return int(found[1])


def this_week_done(progress_text: str) -> int:
    """Give the sessions done this week from the progress page's This week card (0 when no
    session was due yet)."""
    found = re.search(r"This week\s+\S+ %\s+(\d+) of \d+ planned so far", progress_text)
    return int(found[1]) if found else 0


def week_strip(page: Page) -> list[tuple[str, str, bool]]:
    """Give Today's week strip, Monday first: (date of the month, words, is today) per day."""
    days = page.locator("ol.week-strip li.strip-day")
    shown = []
    for index in range(days.count()):
        day = days.nth(index)
        words = day.locator(".strip-words").inner_text().replace("today:", "").strip()
        shown.append(
            (
                day.locator(".strip-date").inner_text().strip(),
                words,
                day.get_attribute("aria-current") == "date",
            )
        )
    return shown


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


def start_practice(page: Page, name: str) -> None:
    """Start a practice called ``name`` as the signed-in person; lands on the client list."""
    page.goto(reverse("practice:start"))
    page.fill("input[name=name]", name)
    page.get_by_role("button", name="Start my practice").click()
    page.wait_for_url("**/practice/clients/")
