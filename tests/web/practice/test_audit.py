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
