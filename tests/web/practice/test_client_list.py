"""The client list: a practice's clients at a glance, one compact row each, searchable by name
and contact details, filtered and sorted by who needs attention, 25 a page, with a bounded
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


def _queries_for_list(web: Any, *, all_again: bool = False) -> int:
    """Give the queries of one look at the list (``all_again``: with every client's kept day to
    be worked out again, as on the first look of a day)."""
    from collagen_coach.web.practice.models import ClientAttention

    if all_again:
        ClientAttention.objects.update(computed_on=None)
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
    web.get(URL)
    new_day_for_3 = _queries_for_list(web, all_again=True)
    for_3 = _queries_for_list(web)
    for n in range(3, 30):
        give_history(make_practice_client(practice, f"Client {n:02}"), rating_weeks=1 + n % 10)

    new_day_for_30 = _queries_for_list(web, all_again=True)
    for_30 = _queries_for_list(web)

    assert len(web.get(URL).context["rows"]) == 25
    assert web.get(URL).context["total"] == 30
    assert for_30 == for_3
    assert for_3 <= 12
    # Every client's day worked out again (a new day) takes as many queries for 30 as for 3.
    assert new_day_for_30 == new_day_for_3


def test_each_client_shows_last_session_and_safety(
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
    assert cora.decision == "go"
    assert cora.resume_on is None
    assert dan.decision == "defer"
    assert dan.resume_on == today + dt.timedelta(days=7)


def test_a_client_without_history_shows_what_is_missing(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    answer = browser(studio["pat"]).get(URL)

    dan = _rows(answer)["Dan"]
    assert dan.last_session_on is None
    assert dan.decision == ""
    page = answer.content.decode()
    assert "no session yet" in page
    assert "no safety check" in page
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
    [
        ("cor", {"Cora"}),
        ("DAN", {"Dan"}),
        ("", {"Cora", "Dan"}),
        ("Gail", set()),
        ("cora@example", {"Cora"}),
        ("gail@example", set()),
    ],
    ids=[
        "part-of-a-name",
        "any-case",
        "empty-shows-all",
        "other-practices-client",
        "email",
        "other-practices-email",
    ],
)
def test_search_by_name_and_contact_details(
    search: str, found: set[str], studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    answer = browser(studio["pat"]).get(URL, {"q": search})

    assert set(_rows(answer)) == found
    if not found:
        assert f"No client matches “{search}”" in answer.content.decode()


def test_the_list_is_25_a_page(
    make_practice: Callable[..., Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.clients.models import Client

    practice, olive = make_practice()
    Client.objects.bulk_create(
        Client(display_name=f"Client {n:03}", practice=practice) for n in range(53)
    )
    web = browser(olive)

    first, last = web.get(URL), web.get(URL, {"page": 3})

    assert len(first.context["rows"]) == 25
    assert [row.client.display_name for row in last.context["rows"]] == [
        "Client 050",
        "Client 051",
        "Client 052",
    ]
    assert "Page 1 of 3" in first.content.decode()


def test_looking_at_the_list_is_one_event_in_the_audit_log(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import AuditEvent

    browser(studio["pat"]).get(URL, {"q": "cor"})

    event = AuditEvent.objects.get()
    assert (event.actor, event.client, event.action) == (studio["pat"], None, "view")
    assert event.what == "client list, search “cor”, page 1"
    assert event.practice == studio["practice"]


# ---------------------------------------------------------------------------------------------
# Filters and order by who needs attention (the rules are practice.attention's)

DAY = dt.date(2031, 3, 12)


@pytest.fixture
def signals(
    tmp_path: Any, make_practice: Callable[..., Any], make_practice_client: Callable[..., Any]
) -> Any:
    """A practice on DAY: Ann missed two sessions and reported pain (in the clinic, no note),
    Bea missed two sessions, Cleo is planned today, Dot has nothing; another practice's Gail
    missed sessions too. Gives (owner, other owner)."""
    from django.test import override_settings

    from collagen_coach.web.journal.models import SessionLog
    from collagen_coach.web.plans.services import save_program
    from web import builders
    from web.browser.live_server import Clock

    practice, olive = make_practice("Skin Studio", owner="olive")
    other, gina = make_practice("Glow Rooms", owner="gina")
    missed = [DAY - dt.timedelta(days=2), DAY - dt.timedelta(days=1)]
    made = {}
    for name in ("Dot", "Cleo", "Bea", "Ann"):
        made[name] = make_practice_client(practice, name)
    made["Gail"] = make_practice_client(other, "Gail")
    for name in ("Ann", "Bea", "Gail"):
        save_program(made[name], builders.program(start=missed[0], dates=missed))
    save_program(made["Cleo"], builders.program(start=DAY, dates=[DAY]))
    start = dt.datetime.combine(DAY - dt.timedelta(days=4), dt.time(9), tzinfo=dt.UTC)
    SessionLog.objects.create(
        client=made["Ann"],
        planned_date=start.date(),
        started_at=start,
        finished_at=start + dt.timedelta(minutes=20),
        status="completed",
        pain=True,
        place="clinic",
    )
    clock = Clock(tmp_path / "clock.txt")
    clock.set(DAY)
    with override_settings(CLOCK_FILE=str(clock.path)):
        yield olive, gina


def _names(answer: Any) -> list[str]:
    return [row.client.display_name for row in answer.context["rows"]]


@pytest.mark.parametrize(
    ("show", "names"),
    [
        ("all", ["Ann", "Bea", "Cleo", "Dot"]),
        ("attention", ["Ann", "Bea"]),
        ("today", ["Cleo"]),
        ("missed", ["Ann", "Bea"]),
        ("pain", ["Ann"]),
        ("note", ["Ann"]),
        ("restriction", []),
        ("verdict", []),
    ],
)
def test_the_list_filters_by_each_signal(
    show: str, names: list[str], signals: Any, browser: Callable[..., Any]
) -> None:
    answer = browser(signals[0]).get(URL, {"show": show})

    assert answer.status_code == 200
    assert _names(answer) == names


def test_the_lists_counts_agree_with_the_home_page(
    signals: Any, browser: Callable[..., Any]
) -> None:
    web = browser(signals[0])

    home = web.get(reverse("home")).context
    listed = {key: count for key, _, count, _ in web.get(URL).context["filters"]}

    assert {key: count for key, _, count in home["signal_links"]} == {
        key: listed[key] for key in ("missed", "pain", "restriction", "verdict", "note")
    }
    assert listed["attention"] == home["needing_total"] == 2
    assert listed["today"] == home["planned_total"] == 1
    assert listed["all"] == 4
    for key, _, count, _ in web.get(URL).context["filters"]:
        assert len(_names(web.get(URL, {"show": key}))) == count


def test_another_practices_clients_never_appear_nor_count(
    signals: Any, browser: Callable[..., Any]
) -> None:
    web = browser(signals[1])

    answer = web.get(URL, {"show": "missed"})

    assert _names(answer) == ["Gail"]
    assert {key: count for key, _, count, _ in answer.context["filters"]}["missed"] == 1


def test_most_to_look_at_first(signals: Any, browser: Callable[..., Any]) -> None:
    answer = browser(signals[0]).get(URL, {"sort": "attention"})

    assert _names(answer) == ["Ann", "Bea", "Cleo", "Dot"]  # Ann: 3 reasons, Bea: 1
    assert [len(row.day.reasons) for row in answer.context["rows"]] == [3, 1, 0, 0]


def test_planned_today_first(signals: Any, browser: Callable[..., Any]) -> None:
    answer = browser(signals[0]).get(URL, {"sort": "today"})

    assert _names(answer) == ["Cleo", "Ann", "Bea", "Dot"]


def test_a_search_and_a_filter_together_keep_each_other_in_the_links(
    signals: Any, browser: Callable[..., Any]
) -> None:
    answer = browser(signals[0]).get(URL, {"q": "a", "show": "missed"})

    assert _names(answer) == ["Ann", "Bea"]
    assert "?q=a&amp;show=pain" in answer.content.decode()


@pytest.mark.parametrize(
    ("params", "named"),
    [({"show": "vip"}, "no filter 'vip'"), ({"sort": "age"}, "no order 'age'")],
    ids=["unknown-filter", "unknown-order"],
)
def test_an_unknown_filter_or_order_is_refused_naming_what_is_allowed(
    params: dict[str, str], named: str, signals: Any, browser: Callable[..., Any]
) -> None:
    answer = browser(signals[0]).get(URL, params)

    assert answer.status_code == 400
    page = answer.content.decode()
    assert named in page.replace("&#x27;", "'")
    assert "Allowed:" in page
    assert _names(answer) == ["Ann", "Bea", "Cleo", "Dot"]


def test_search_by_the_contact_details_the_practice_keeps(
    make_practice: Callable[..., Any], browser: Callable[..., Any]
) -> None:
    """A client without an account is found by the email and phone the practice wrote down."""
    from collagen_coach.web.clients.models import Client

    practice, olive = make_practice()
    Client.objects.create(
        display_name="Rosa", practice=practice, email="rosa@example.org", phone="+44 7700 900123"
    )
    Client.objects.create(display_name="Vera", practice=practice)
    web = browser(olive)

    assert list(_rows(web.get(URL, {"q": "ROSA@EXAMPLE"}))) == ["Rosa"]
    assert list(_rows(web.get(URL, {"q": "900123"}))) == ["Rosa"]
