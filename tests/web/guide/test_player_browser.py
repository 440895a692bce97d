"""The player in a real Chromium: a whole session saved step by step, and a clock that keeps time.

Playwright's sync API runs an event loop in this thread, so Django is told that its synchronous
database calls here are safe (they are: the test waits while the page works).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as WebClient

from collagen_coach.web.journal.models import SessionLog, SessionStatus
from web.guide.conftest import long_session

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.slow

# How far a step change may land from its planned deadline.
TOLERANCE_MS = 250


@pytest.fixture
def page_of(browser: Any, live_server: Any, make_person: Any) -> Iterator[Any]:
    """Give a maker of Chromium pages signed in as a new person on the live server (Chromium
    is the run's one, ``web.conftest.browser``: Playwright's sync API runs once per thread)."""
    contexts: list[Any] = []

    def make(username: str) -> tuple[Any, Any]:
        user, person = make_person(username)
        web = WebClient()
        web.force_login(user)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": web.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        return context.new_page(), person

    yield make
    for context in contexts:
        context.close()


def test_a_whole_session_at_speed_60_is_saved_step_by_step_and_completed(
    live_server, page_of, planned_today
):
    page, ann = page_of("ann")
    session = planned_today(ann)  # four steps, 390 s: 6.5 s at speed 60

    page.goto(f"{live_server.url}/session/play/?speed=60")
    page.click("#start-button")
    page.wait_for_selector("#comfort-panel:not([hidden])", timeout=20_000)
    page.wait_for_selector("#player[data-ended]")  # the last save is answered
    page.check("input[name=pain][value=no]")
    page.check("input[name=redness][value=no]")
    page.fill("#comfort-note", "felt good")
    page.click("#comfort-form button[type=submit]")
    page.wait_for_selector("#done-panel:not([hidden])")

    log = SessionLog.objects.get(client=ann)
    assert log.status == SessionStatus.COMPLETED
    assert [(s["done_s"], s["skipped"]) for s in log.steps] == [
        (step.duration_s, False) for step in session.steps
    ]
    assert (log.pain, log.redness, log.comfort_note) == (False, False, "felt good")
    assert "Well done" in page.inner_text("#done-message")


def shown_step(page: Any) -> int:
    return int(page.get_attribute("#player", "data-step"))


def moved_past(page: Any, step: int) -> bool:
    """Whether the page shows a later step, or the end of the session, than ``step``."""
    return shown_step(page) != step or page.get_attribute("#player", "data-state") == "comfort"


def change_time_ms(page: Any, deadline_ms: float, step_before: int) -> float:
    """Give when the page moved past ``step_before``, running the page's clock in 10 ms steps
    from 250 ms before ``deadline_ms`` (page time, ms since the page's clock was installed)."""
    now = page.evaluate("performance.now()")
    page.clock.run_for(int(deadline_ms - TOLERANCE_MS - now))
    assert not moved_past(page, step_before), "the step changed more than 250 ms early"
    for _ in range(2 * TOLERANCE_MS // 10):
        page.clock.run_for(10)
        if moved_past(page, step_before):
            return page.evaluate("performance.now()")
    raise AssertionError(f"step {step_before} did not end within 250 ms of its deadline")


def test_step_changes_land_on_their_deadlines_over_a_long_session_with_a_pause(
    live_server, page_of, planned_today
):
    page, ann = page_of("ann")
    session = planned_today(ann, long_session(steps=10, each_s=180))  # 30 minutes
    durations_ms = [step.duration_s * 1000 for step in session.steps]
    page.clock.install()
    page.goto(f"{live_server.url}/session/play/")
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    with page.expect_response("**/session/api/start/"):
        page.click("#start-button")
    page.wait_for_selector("#live-panel:not([hidden])")
    started_ms = page.evaluate("performance.now()")  # time stands still until run_for

    errors_ms = []
    deadline = started_ms
    paused_ms = 100_000
    for index, duration in enumerate(durations_ms):
        deadline += duration
        if index == 3:  # pause 100 s a minute into the fourth step, then resume
            page.clock.run_for(60_000)
            page.click("#pause-button")
            assert page.inner_text("#pause-button") == "Resume"
            page.clock.run_for(paused_ms)
            assert shown_step(page) == 3
            page.click("#pause-button")  # now labelled Resume
            assert page.get_attribute("#player", "data-state") == "running"
            deadline += paused_ms
        changed = change_time_ms(page, deadline, index)
        errors_ms.append(changed - deadline)

    page.wait_for_selector("#comfort-panel:not([hidden])")
    page.wait_for_selector("#player[data-ended]")  # the last save is answered
    print(f"\nstep changes vs deadlines over {len(errors_ms)} steps (ms): {errors_ms}")
    assert max(abs(e) for e in errors_ms) <= TOLERANCE_MS
    log = SessionLog.objects.get(client=ann)
    assert [s["done_s"] for s in log.steps] == [step.duration_s for step in session.steps]


# Records what the player says instead of speaking it (headless Chromium has no voices).
RECORD_SPEECH = """
(() => {
  window.__spoken = [];
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  const recorder = {
    speak: (utterance) => window.__spoken.push(utterance.text),
    cancel: () => {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: recorder, configurable: true });
})();
"""


def spoken(page: Any) -> list[str]:
    return page.evaluate("window.__spoken")


def started_on_a_still_clock(page: Any, url: str) -> None:
    """Open the player with the page's clock held still, and start the session."""
    page.add_init_script(RECORD_SPEECH)
    page.clock.install()
    page.goto(url)
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    with page.expect_response("**/session/api/start/"):
        page.click("#start-button")
    page.wait_for_selector("#live-panel:not([hidden])")


def ended_with(page: Any, words: str) -> None:
    """Wait until the player has said ``words`` as the session's last cue."""
    page.wait_for_function(
        "words => window.__spoken[window.__spoken.length - 1] === words", arg=words
    )


def test_every_cue_of_a_whole_session_is_said_once_in_order_then_complete_once(
    live_server, page_of, planned_today
):
    page, ann = page_of("ann")
    planned_today(ann)
    started_on_a_still_clock(page, f"{live_server.url}/session/play/")
    cards = page.evaluate("JSON.parse(document.getElementById('player-data').textContent)")
    # The cards come back from the start call; the page's own copy has the same cues.
    expected = [cue["text"] for card in cards["steps"] for cue in card["cues"]]
    for _ in range(8):  # 390 s in 60-second steps: timers fire as the clock passes them
        page.clock.run_for(60_000)
    page.wait_for_selector("#comfort-panel:not([hidden])")
    ended_with(page, "Session complete. Well done.")

    said = spoken(page)
    assert said == [*expected, "Session complete. Well done."]
    assert said.count("Session complete. Well done.") == 1
    # Only the last step (the jaw, both sides) switches sides; the cheeks are one side a step.
    assert said.count("Switch sides: now the same on your left side.") == 1
    assert page.inner_text("#comfort-title") == "Session complete. Well done."
    assert "planned session" in page.inner_text("#celebrate")
    assert "This week so far: 7 minutes of massage." in page.inner_text("#celebrate")


def test_a_session_skipped_through_says_what_was_done_not_complete(
    live_server, page_of, planned_today
):
    page, ann = page_of("ann")
    planned_today(ann)
    started_on_a_still_clock(page, f"{live_server.url}/session/play/")
    for _ in range(4):
        page.clock.run_for(2_000)
        page.click("#skip-button")
    page.wait_for_selector("#comfort-panel:not([hidden])")
    words = "Session ended. You did none of the 4 steps in full."
    ended_with(page, words)

    said = spoken(page)
    assert not [text for text in said if "complete" in text]
    assert said.count(words) == 1
    assert page.inner_text("#comfort-title") == words
    assert "planned session" not in page.inner_text("#player")


def test_the_comfort_questions_start_unanswered_and_must_be_answered(
    live_server, page_of, planned_today
):
    page, ann = page_of("ann")
    planned_today(ann)
    page.goto(f"{live_server.url}/session/play/?speed=600")
    page.click("#start-button")
    page.wait_for_selector("#comfort-panel:not([hidden])", timeout=20_000)
    page.wait_for_selector("#player[data-ended]")  # the last save is answered
    assert page.eval_on_selector_all("#comfort-form input:checked", "inputs => inputs.length") == 0

    page.check("input[name=pain][value=no]")
    page.click("#comfort-form button[type=submit]")
    error = page.inner_text("#comfort-error")
    assert error == "Please answer the redness question: choose No, Yes or “I'd rather not say”."
    assert page.get_attribute("#redness-question", "aria-invalid") == "true"
    assert SessionLog.objects.get(client=ann).status == SessionStatus.IN_PROGRESS

    page.check("input[name=redness][value=unsaid]")
    page.click("#comfort-form button[type=submit]")
    page.wait_for_selector("#done-panel:not([hidden])")
    log = SessionLog.objects.get(client=ann)
    assert (log.status, log.pain, log.redness) == (SessionStatus.COMPLETED, False, None)
