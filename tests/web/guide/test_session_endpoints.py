"""The player's saves: start, each step, finish with comfort feedback (JSON endpoints)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.journal.models import SessionLog, SessionStatus

pytestmark = pytest.mark.postgres


def post_json(web: WebClient, url: str, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return web.post(url, data=data, content_type="application/json")


def started(web: WebClient) -> dict[str, Any]:
    response = post_json(web, reverse("guide:start"), {})
    assert response.status_code == 201, response.content
    return response.json()


def test_start_saves_a_log_in_progress_with_the_planned_steps(ready_to_play):
    web, ann, session = ready_to_play

    answer = started(web)

    log = SessionLog.objects.get(pk=answer["log"]["id"], client=ann)
    assert log.status == SessionStatus.IN_PROGRESS
    assert [(s["technique"], s["zone"], s["side"], s["planned_s"]) for s in log.steps] == [
        (s.technique, s.zone, s.side, s.duration_s) for s in session.steps
    ]
    assert [card["duration_s"] for card in answer["steps"]] == [60, 120, 120, 90]
    assert answer["log"]["step_url"] == reverse("guide:step", args=[log.pk])
    assert answer["gentler"] is False


def test_start_closes_a_session_left_unfinished_as_stopped_early(ready_to_play):
    web, _, _ = ready_to_play
    first = started(web)["log"]["id"]

    started(web)

    assert SessionLog.objects.get(pk=first).status == SessionStatus.ABANDONED


def test_start_without_a_plan_answers_400_naming_the_plan(browser_of):
    web, _ = browser_of("ann")

    response = post_json(web, reverse("guide:start"), {})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "plan"
    assert SessionLog.objects.count() == 0


def test_each_step_is_saved_as_it_ends(ready_to_play):
    web, _, _ = ready_to_play
    log = started(web)["log"]

    done = post_json(web, log["step_url"], {"step": 0, "done_s": 60, "skipped": False})
    skipped = post_json(web, log["step_url"], {"step": 1, "done_s": 12, "skipped": True})

    assert done.status_code == skipped.status_code == 200
    assert skipped.json() == {
        "log": log["id"],
        "step": 1,
        "status": "in_progress",
        "steps_done": 1,
        "steps_skipped": 1,
        "done_s": 72,
    }
    steps = SessionLog.objects.get(pk=log["id"]).steps
    assert [(s["done_s"], s["skipped"]) for s in steps] == [
        (60, False),
        (12, True),
        (None, False),
        (None, False),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"step": 9, "done_s": 10}, "step", id="step-out-of-range"),
        pytest.param({"step": "one", "done_s": 10}, "step", id="step-not-a-number"),
        pytest.param({"done_s": 10}, "step", id="step-missing"),
        pytest.param({"step": 0, "done_s": -5}, "done_s", id="negative-seconds"),
        pytest.param({"step": 0, "done_s": 1.5}, "done_s", id="fractional-seconds"),
        pytest.param({"step": 0, "done_s": 5, "skipped": "yes"}, "skipped", id="skipped-not-bool"),
        pytest.param({"step": 0, "done_s": 5, "ending": 1}, "ending", id="ending-not-bool"),
        pytest.param("not json", "body", id="not-json"),
        pytest.param([1, 2], "body", id="not-an-object"),
    ],
)
def test_a_bad_step_answers_400_naming_the_field_and_changes_nothing(ready_to_play, body, field):
    web, _, _ = ready_to_play
    log = started(web)["log"]

    response = post_json(web, log["step_url"], body)

    assert response.status_code == 400
    answer = response.json()
    assert answer["error"]["field"] == field
    assert answer["message"].startswith(f"{field}:")
    assert all(s["done_s"] is None for s in SessionLog.objects.get(pk=log["id"]).steps)


def test_the_last_save_gives_the_end_words_streak_and_week_for_both_endings(ready_to_play):
    web, _, _ = ready_to_play
    log = started(web)["log"]
    for index, seconds in enumerate([60, 120, 120]):
        post_json(web, log["step_url"], {"step": index, "done_s": seconds})

    plain = post_json(web, log["step_url"], {"step": 3, "done_s": 5, "skipped": True}).json()
    assert "ending" not in plain  # only the session's last save asks for it
    ending = post_json(
        web, log["step_url"], {"step": 3, "done_s": 5, "skipped": True, "ending": True}
    ).json()["ending"]

    assert ending["done"] == {
        "words": "Session complete. Well done.",
        "counts": True,
        "streak": "1 planned session done: the start of a new streak.",
        "week": "This week so far: 5 minutes of massage.",
    }
    assert ending["stopped"] == {
        "words": (
            "Session ended early. You did 3 of 4 steps in full: "
            "five minutes and five seconds of massage."
        ),
        "counts": False,
        "streak": "",
        "week": "This week so far: 5 minutes of massage.",
    }


def test_finishing_a_session_played_through_completes_it(ready_to_play):
    web, _, session = ready_to_play
    log = started(web)["log"]
    for index, planned in enumerate(session.steps):
        post_json(web, log["step_url"], {"step": index, "done_s": planned.duration_s})

    response = post_json(
        web, log["finish_url"], {"pain": False, "redness": False, "note": "pleasant"}
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "completed"
    assert answer["gentler_next"] is False
    saved = SessionLog.objects.get(pk=log["id"])
    assert (saved.status, saved.pain, saved.redness, saved.comfort_note) == (
        "completed",
        False,
        False,
        "pleasant",
    )
    assert saved.finished_at is not None


def test_a_session_stopped_early_is_kept_as_stopped_early(ready_to_play):
    web, _, _ = ready_to_play
    log = started(web)["log"]
    post_json(web, log["step_url"], {"step": 0, "done_s": 20, "skipped": True})

    response = post_json(web, log["finish_url"], {"pain": None, "redness": None, "stopped": True})

    assert response.json()["status"] == "abandoned"
    assert SessionLog.objects.get(pk=log["id"]).status == SessionStatus.ABANDONED


def test_pain_makes_the_next_session_gentler_and_today_says_so(ready_to_play):
    web, _, session = ready_to_play
    log = started(web)["log"]
    for index, planned in enumerate(session.steps):
        post_json(web, log["step_url"], {"step": index, "done_s": planned.duration_s})

    answer = post_json(web, log["finish_url"], {"pain": True, "redness": False}).json()

    assert answer["gentler_next"] is True
    assert "next session will be gentler" in answer["message"]
    today = web.get(reverse("guide:today"))
    assert "Gentler today" in today.content.decode()
    again = started(web)
    assert again["gentler"] is True
    assert [c["pressure"] for c in again["steps"]] == [1, 1, 1, 1]  # one lighter than 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"pain": "a little"}, "pain", id="pain-not-yes-no"),
        pytest.param({"redness": 1}, "redness", id="redness-not-yes-no"),
        pytest.param({"note": 5}, "note", id="note-not-text"),
        pytest.param({"note": "x" * 2001}, "note", id="note-too-long"),
        pytest.param({"note": "soft\x00er"}, "note", id="note-with-a-nul-character"),
        pytest.param("[" * 100_000 + "]" * 100_000, "body", id="json-nested-too-deeply"),
        pytest.param({"stopped": "no"}, "stopped", id="stopped-not-bool"),
    ],
)
def test_bad_comfort_feedback_answers_400_and_leaves_the_session_open(ready_to_play, body, field):
    web, _, _ = ready_to_play
    log = started(web)["log"]

    response = post_json(web, log["finish_url"], body)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert SessionLog.objects.get(pk=log["id"]).status == SessionStatus.IN_PROGRESS


def test_a_finished_session_takes_no_more_steps(ready_to_play):
    web, _, _ = ready_to_play
    log = started(web)["log"]
    post_json(web, log["finish_url"], {"stopped": True})

    response = post_json(web, log["step_url"], {"step": 0, "done_s": 5})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "session"


@pytest.mark.parametrize("endpoint", ["guide:step", "guide:finish"])
def test_another_persons_session_answers_404(ready_to_play, browser_of, endpoint):
    web, _, _ = ready_to_play
    log_id = started(web)["log"]["id"]
    bob, _ = browser_of("bob")

    response = post_json(bob, reverse(endpoint, args=[log_id]), {"step": 0, "done_s": 5})

    assert response.status_code == 404
    assert response.json()["error"]["field"] == "session"
    assert SessionLog.objects.get(pk=log_id).steps[0]["done_s"] is None


@pytest.mark.parametrize(
    ("name", "args"), [("guide:start", []), ("guide:step", [1]), ("guide:finish", [1])]
)
def test_signed_out_the_endpoints_answer_401(db, name, args):
    response = post_json(WebClient(), reverse(name, args=args), {})

    assert response.status_code == 401
    assert "signed out" in response.json()["message"]


def test_the_endpoints_need_the_csrf_token(ready_to_play):
    _, ann, _ = ready_to_play
    strict = WebClient(enforce_csrf_checks=True)
    strict.force_login(ann.account)

    refused = post_json(strict, reverse("guide:start"), {})
    page = strict.get(reverse("guide:play"))
    token = page.cookies["csrftoken"].value
    accepted = strict.post(
        reverse("guide:start"), data="{}", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201
