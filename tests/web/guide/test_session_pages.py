"""Today's session overview and the player page."""

from __future__ import annotations

import json

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import SessionStatus

pytestmark = pytest.mark.postgres


def player_data(page) -> dict:
    html = page.content.decode()
    start = html.index('id="player-data" type="application/json">') + len(
        'id="player-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_without_a_plan_today_says_so_and_links_to_making_one(browser_of):
    web, _ = browser_of("ann")

    page = web.get(reverse("guide:today")).content.decode()

    assert "You have no plan yet" in page
    assert reverse("plans:plan") in page
    assert reverse("guide:play") not in page


def test_today_shows_phase_steps_minutes_and_a_start_button(ready_to_play):
    web, _, _ = ready_to_play

    page = web.get(reverse("guide:today")).content.decode()

    assert "Foundation phase" in page
    assert "4 steps · about 7 minutes" in page  # 390 s, halves round up
    for text in ("Tapping", "Forehead", "Left cheek", "Right cheek", "1 min 30 s"):
        assert text in page
    assert f'href="{reverse("guide:play")}"' in page


def test_an_unfinished_session_is_offered_to_resume_or_close(ready_to_play):
    web, ann, session = ready_to_play
    log = journal.start_session_log(ann, session.date)

    page = web.get(reverse("guide:today")).content.decode()

    assert f"{reverse('guide:play')}?log={log.pk}" in page
    assert reverse("guide:abandon", args=[log.pk]) in page
    assert "Start the session" not in page


def test_marking_an_unfinished_session_stopped_early(ready_to_play):
    web, ann, session = ready_to_play
    log = journal.start_session_log(ann, session.date)

    response = web.post(reverse("guide:abandon", args=[log.pk]))

    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == SessionStatus.ABANDONED


def test_the_player_carries_the_steps_and_the_test_speed(ready_to_play):
    web, _, _ = ready_to_play

    page = web.get(reverse("guide:play") + "?speed=60")

    data = player_data(page)
    assert data["speed"] == 60
    assert data["log"] is None
    first = data["steps"][0]
    assert (first["name"], first["zone"], first["motion"], first["duration_s"]) == (
        "Tapping",
        "forehead",
        "dots",
        60,
    )
    assert first["cue"].startswith("First: tapping, forehead, one minute.")
    assert first["pressure_words"] == "2 of 5, light"
    assert [s["motion"] for s in data["steps"]] == ["dots", "circles", "circles", "stretch"]


@pytest.mark.parametrize(("given", "speed"), [("0", 1), ("601", 600), ("fast", 1), ("7", 7)])
def test_the_test_speed_is_kept_between_1_and_600(ready_to_play, given, speed):
    web, _, _ = ready_to_play

    assert player_data(web.get(reverse("guide:play") + f"?speed={given}"))["speed"] == speed


def test_resuming_goes_on_from_the_first_step_not_reached(ready_to_play):
    web, ann, session = ready_to_play
    log = journal.start_session_log(ann, session.date, session=session)
    journal.record_step(log, 0, 60)

    data = player_data(web.get(reverse("guide:play") + f"?log={log.pk}"))

    assert data["log"]["id"] == log.pk
    assert [s["done_s"] for s in data["steps"]] == [60, None, None, None]
    assert data["steps"][1]["pressure"] == 2  # from the plan, not the technique's default


def test_another_persons_session_cannot_be_resumed_or_closed(ready_to_play, browser_of):
    _, ann, session = ready_to_play
    log = journal.start_session_log(ann, session.date)
    bob, _ = browser_of("bob")

    assert bob.get(reverse("guide:play") + f"?log={log.pk}").status_code == 404
    assert bob.post(reverse("guide:abandon", args=[log.pk])).status_code == 404
    log.refresh_from_db()
    assert log.status == SessionStatus.IN_PROGRESS


@pytest.mark.parametrize("name", ["guide:today", "guide:play"])
def test_signed_out_the_pages_lead_to_sign_in(db, name):
    response = WebClient().get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
