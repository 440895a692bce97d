"""The client list: a practice's clients at a glance, searchable, 50 a page, with a bounded
number of queries whatever the number of clients and the length of their history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

URL = "/practice/clients/"


def _rows(answer: Any) -> dict[str, Any]:
    """Give the listed rows by client name."""
    return {row.client.display_name: row for row in answer.context["rows"]}


def _queries_for_list(web: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = web.get(URL)
    assert answer.status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_30_clients_as_for_3(
    make_practice: Callable[..., Any],
    make_practice_client: Callable[..., Any],
    give_history: Callable[..., Any],
    browser: Callable[..., Any],
) -> None:
    practice, olive = make_practice()
    for n in range(3):
        give_history(make_practice_client(practice, f"Client {n:02}"))
    web = browser(olive)
    web.get(URL)  # the first request also loads the session
    for_3 = _queries_for_list(web)
    for n in range(3, 30):
        give_history(make_practice_client(practice, f"Client {n:02}"), rating_weeks=1 + n % 10)

    for_30 = _queries_for_list(web)

    assert len(web.get(URL).context["rows"]) == 30
    assert for_30 == for_3
    assert for_3 <= 8


def test_each_client_shows_last_session_week_safety_and_progress(
    studio: dict[str, Any],
    give_history: Callable[..., Any],
    browser: Callable[..., Any],
) -> None:
    from collagen_coach.core.screening import Intake

    today = dt.date.today()
    give_history(studio["cora"], place="clinic", rating_weeks=3)
    flare = Intake(age=60, conditions=["rosacea_flare"], as_of=today)
    give_history(studio["dan"], intake=flare, rating_weeks=10)

    rows = _rows(browser(studio["pat"]).get(URL))

    cora, dan = rows["Cora"], rows["Dan"]
    assert cora.last_session_on is not None
    assert cora.last_session_on <= today
    assert cora.place_words == "in the clinic"
    assert cora.done_this_week in (0, 1)  # the done session may fall in last week
    assert cora.planned_this_week >= 3  # every other day
    assert cora.decision == "go"
    assert cora.resume_on is None
    assert dan.decision == "defer"
    assert dan.resume_on == today + dt.timedelta(days=7)
    assert cora.verdict_words == "not enough data yet"  # 3 weeks of ratings
    assert dan.verdict_words.startswith("not worked out yet")  # 10 weeks, never analysed


def test_adherence_this_week_counts_sessions_done_of_those_planned(
    studio: dict[str, Any],
    give_history: Callable[..., Any],
    browser: Callable[..., Any],
) -> None:
    from collagen_coach.core.adherence import week_start
    from collagen_coach.web.plans.models import PlannedSession

    give_history(studio["cora"])
    monday = week_start(dt.date.today())
    planned = PlannedSession.objects.filter(
        program__client=studio["cora"], program__is_current=True, date__gte=monday
    ).filter(date__lte=monday + dt.timedelta(days=6))
    done_day = studio["cora"].session_logs.get().planned_date

    row = _rows(browser(studio["pat"]).get(URL))["Cora"]

    assert row.planned_this_week == planned.count()
    assert row.planned_later_this_week == planned.filter(date__gt=dt.date.today()).count()
    assert row.done_this_week == (1 if done_day >= monday else 0)


def test_a_progress_analysis_done_today_gives_the_latest_verdict_without_a_query_more(
    studio: dict[str, Any],
    give_history: Callable[..., Any],
    browser: Callable[..., Any],
) -> None:
    from collagen_coach.web.progress.services import progress_dashboard

    give_history(studio["dan"], rating_weeks=10)
    web = browser(studio["pat"])
    web.get(URL)
    before = _queries_for_list(web)
    board = progress_dashboard(studio["dan"], dt.date.today())

    after = _queries_for_list(web)
    row = _rows(web.get(URL))["Dan"]

    assert after == before
    assert row.verdict == "counts"
    assert row.verdict_counts == board.verdict_counts
    assert "no change detected" in row.verdict_words


def test_a_client_without_history_shows_what_is_missing(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    answer = browser(studio["pat"]).get(URL)

    dan = _rows(answer)["Dan"]
    assert dan.last_session_on is None
    assert dan.decision == ""
    assert dan.verdict_words == "not enough data yet"
    page = answer.content.decode()
    assert "none yet" in page
    assert "not done yet" in page
    assert reverse("practice:invite", kwargs={"client_id": studio["dan"].pk}) in page
    assert reverse("clinic:timeline", kwargs={"client_id": studio["dan"].pk}) in page


def test_only_the_practices_own_clients_are_listed(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    ours = _rows(browser(studio["olive"]).get(URL))
    theirs = _rows(browser(studio["greg"]).get(URL))

    assert set(ours) == {"Cora", "Dan"}
    assert set(theirs) == {"Gail"}


@pytest.mark.parametrize(
    ("search", "found"),
    [("cor", {"Cora"}), ("DAN", {"Dan"}), ("", {"Cora", "Dan"}), ("Gail", set())],
    ids=["part-of-a-name", "any-case", "empty-shows-all", "other-practices-client"],
)
def test_search_by_name(
    search: str, found: set[str], studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    answer = browser(studio["pat"]).get(URL, {"q": search})

    assert set(_rows(answer)) == found
    if not found:
        assert "No client's name contains" in answer.content.decode()


def test_the_list_is_50_a_page(
    make_practice: Callable[..., Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.clients.models import Client

    practice, olive = make_practice()
    Client.objects.bulk_create(
        Client(display_name=f"Client {n:03}", practice=practice) for n in range(53)
    )
    web = browser(olive)

    first, second = web.get(URL), web.get(URL, {"page": 2})

    assert len(first.context["rows"]) == 50
    assert [row.client.display_name for row in second.context["rows"]] == [
        "Client 050",
        "Client 051",
        "Client 052",
    ]
    assert "Page 1 of 2" in first.content.decode()


def test_looking_at_the_list_is_one_event_in_the_audit_log(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import AuditEvent

    browser(studio["pat"]).get(URL, {"q": "cor"})

    event = AuditEvent.objects.get()
    assert (event.actor, event.client, event.action) == (studio["pat"], None, "view")
    assert event.what == "client list, search “cor”, page 1"
    assert event.practice == studio["practice"]
