"""The audit log: who viewed or changed which client's data and when, for the owner only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

AUDIT = "/practice/audit/"


def _record(user: Any, client: Any, action: str, what: str) -> None:
    from collagen_coach.web.clients.access import record_access

    request = RequestFactory().get("/")
    request.user = user
    record_access(request, client, action, what)


def test_the_owner_sees_every_event_newest_first(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    _record(studio["pat"], studio["cora"], "view", "timeline")
    _record(studio["pat"], studio["dan"], "change", "plan step 3")
    _record(studio["greg"], studio["gail"], "view", "timeline")  # another practice's

    answer = browser(studio["olive"]).get(AUDIT)

    events = list(answer.context["page"].object_list)
    assert [(e.actor_name, e.action, e.what, e.client_name) for e in events] == [
        ("pat", "change", "plan step 3", "Dan"),
        ("pat", "view", "timeline", "Cora"),
    ]
    assert "changed plan step 3" in answer.content.decode()


def test_the_log_filters_by_client(studio: dict[str, Any], browser: Callable[..., Any]) -> None:
    _record(studio["pat"], studio["cora"], "view", "timeline")
    _record(studio["pat"], studio["dan"], "view", "timeline")

    answer = browser(studio["olive"]).get(AUDIT, {"client": studio["cora"].pk})

    assert [e.client_name for e in answer.context["page"].object_list] == ["Cora"]


def test_another_practices_client_is_no_filter(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    _record(studio["pat"], studio["cora"], "view", "timeline")
    _record(studio["greg"], studio["gail"], "view", "timeline")

    answer = browser(studio["olive"]).get(AUDIT, {"client": studio["gail"].pk})

    assert answer.context["bad_filter"]
    assert [e.client_name for e in answer.context["page"].object_list] == ["Cora"]


def test_the_log_is_50_a_page(studio: dict[str, Any], browser: Callable[..., Any]) -> None:
    from collagen_coach.web.practice.models import AuditEvent

    AuditEvent.objects.bulk_create(
        AuditEvent(
            practice=studio["practice"],
            actor_name="pat",
            client=studio["cora"],
            client_name="Cora",
            action="view",
            what=f"timeline {n}",
        )
        for n in range(55)
    )
    web = browser(studio["olive"])

    first, second = web.get(AUDIT), web.get(AUDIT, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5


def test_a_client_who_left_stays_in_the_log_and_its_filter(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    browser(studio["cora"].account).post(
        reverse("practice:leave"), {"password": "a long passphrase 1"}
    )

    answer = browser(studio["olive"]).get(AUDIT)

    assert (studio["cora"].pk, "Cora") in answer.context["choices"]
    assert "left the practice" in answer.content.decode()


@pytest.mark.parametrize("who", ["pat", "gina"], ids=["a-practitioner", "another-owner"])
def test_only_the_owner_sees_this_practices_log(
    who: str, studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    _record(studio["pat"], studio["cora"], "view", "timeline")

    answer = browser(studio[who]).get(AUDIT)

    if who == "pat":
        assert answer.status_code == 404
    else:
        assert answer.status_code == 200
        assert list(answer.context["page"].object_list) == []


def _back_in_time(minutes: int) -> None:
    """Move every audit line ``minutes`` into the past, as if written that long ago."""
    import datetime as dt

    from django.db.models import F

    from collagen_coach.web.practice.models import AuditEvent

    AuditEvent.objects.update(at=F("at") - dt.timedelta(minutes=minutes))


def _lines(client: Any) -> list[tuple[str, str, str]]:
    from collagen_coach.web.practice.models import AuditEvent

    events = AuditEvent.objects.filter(client=client).order_by("at", "pk")
    return [(e.actor_name, e.action, e.what) for e in events]


def test_ten_views_of_a_record_in_a_minute_write_one_line_and_a_later_view_a_second(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import VIEWS_COALESCED_MINUTES

    web = browser(studio["pat"])
    progress = reverse("clinic:progress", args=[studio["cora"].pk])

    answers = {web.get(progress).status_code for _ in range(10)}
    after_ten = _lines(studio["cora"])
    _back_in_time(VIEWS_COALESCED_MINUTES + 1)
    web.get(progress)

    assert answers == {200}
    assert after_ten == [("pat", "view", "progress")]
    assert _lines(studio["cora"]) == [("pat", "view", "progress")] * 2


def test_a_view_just_inside_the_window_writes_nothing(studio: dict[str, Any]) -> None:
    from collagen_coach.web.practice.models import VIEWS_COALESCED_MINUTES

    _record(studio["pat"], studio["cora"], "view", "timeline")
    _back_in_time(VIEWS_COALESCED_MINUTES - 1)
    _record(studio["pat"], studio["cora"], "view", "timeline")

    assert _lines(studio["cora"]) == [("pat", "view", "timeline")]


def test_every_change_is_written_however_close_together(studio: dict[str, Any]) -> None:
    for _ in range(3):
        _record(studio["pat"], studio["cora"], "change", "plan step 3")

    assert _lines(studio["cora"]) == [("pat", "change", "plan step 3")] * 3


@pytest.mark.parametrize(
    ("who", "client", "what"),
    [("olive", "cora", "timeline"), ("pat", "dan", "timeline"), ("pat", "cora", "progress")],
    ids=["another-person", "another-client", "another-part"],
)
def test_views_are_coalesced_only_for_the_same_person_client_and_part(
    who: str, client: str, what: str, studio: dict[str, Any]
) -> None:
    from collagen_coach.web.practice.models import AuditEvent

    _record(studio["pat"], studio["cora"], "view", "timeline")
    _record(studio[who], studio[client], "view", what)

    assert AuditEvent.objects.filter(action="view").count() == 2


def test_the_log_says_how_views_are_listed(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import VIEWS_COALESCED_MINUTES

    page = browser(studio["olive"]).get(AUDIT).content.decode()

    assert f"within {VIEWS_COALESCED_MINUTES} minutes is listed once" in page
