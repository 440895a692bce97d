"""/api/clients: who a person may see, and adding a client to a practice (members only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient

from collagen_coach.web.clients.models import Client

from .conftest import World, audit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Caller = Callable[..., WebClient]


def _names(answer: Any) -> list[str]:
    return [c["name"] for c in answer.json()["items"]]


def test_a_self_carer_sees_only_themself(api_as: Caller, world: World) -> None:
    answer = api_as(world.ann_user).get("/api/clients")

    assert answer.status_code == 200
    assert answer.json()["count"] == 1
    (ann,) = answer.json()["items"]
    assert ann == {
        "id": world.ann.pk,
        "name": "Ann",
        "practice": None,
        "practitioner": None,
        "has_account": True,
        "is_me": True,
        "created_at": ann["created_at"],
    }


def test_a_practitioner_sees_their_practices_clients_and_themself(
    api_as: Caller, world: World
) -> None:
    answer = api_as(world.pat).get("/api/clients")

    assert _names(answer) == ["Cora", "Pat"]
    cora = answer.json()["items"][0]
    assert cora["practice"] == {"id": world.studio.pk, "name": "Skin Studio"}
    assert (cora["practitioner"], cora["has_account"], cora["is_me"]) == ("pat", True, False)


def test_a_practices_client_sees_only_themself(api_as: Caller, world: World) -> None:
    assert _names(api_as(world.cora_user).get("/api/clients")) == ["Cora"]


def test_the_list_can_be_searched_by_name(api_as: Caller, world: World) -> None:
    assert _names(api_as(world.olive).get("/api/clients", {"search": "cOr"})) == ["Cora"]


def test_the_list_comes_a_page_at_a_time(api_as: Caller, world: World) -> None:
    for n in range(5):
        Client.objects.create(display_name=f"Client {n}", practice=world.studio)
    caller = api_as(world.olive)

    first = caller.get("/api/clients", {"limit": 3})
    second = caller.get("/api/clients", {"limit": 3, "offset": 3})
    past_the_end = caller.get("/api/clients", {"limit": 3, "offset": 30})

    assert first.json()["count"] == second.json()["count"] == 7  # 5, Cora, and Olive herself
    assert _names(first) == ["Client 0", "Client 1", "Client 2"]
    assert _names(second) == ["Client 3", "Client 4", "Cora"]
    assert past_the_end.json() == {"items": [], "count": 7}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        pytest.param({"limit": 0}, "limit", id="limit-zero"),
        pytest.param({"limit": 201}, "limit", id="limit-over-200"),
        pytest.param({"offset": -1}, "offset", id="offset-negative"),
        pytest.param({"offset": 2**70}, "offset", id="offset-past-what-a-database-holds"),
        pytest.param({"limit": "ten"}, "limit", id="limit-not-a-number"),
    ],
)
def test_a_bad_page_answers_422_naming_the_parameter(
    api_as: Caller, world: World, query: dict[str, Any], field: str
) -> None:
    answer = api_as(world.olive).get("/api/clients", query)

    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == field
    assert answer.json()["detail"][0]["loc"] == ["query", field]


def test_a_member_adds_a_client_to_their_practice_in_their_care(
    api_as: Caller, world: World
) -> None:
    answer = api_as(world.pat).post(
        "/api/clients", {"name": "  Edna   May "}, content_type="application/json"
    )

    assert answer.status_code == 201
    edna = Client.objects.get(pk=answer.json()["id"])
    assert (edna.display_name, edna.practice, edna.owner) == ("Edna May", world.studio, world.pat)
    assert answer.json()["practitioner"] == "pat"


@pytest.mark.parametrize("who", ["ann_user", "cora_user"])
def test_only_members_may_add_clients(api_as: Caller, world: World, who: str) -> None:
    answer = api_as(getattr(world, who)).post(
        "/api/clients", {"name": "Edna"}, content_type="application/json"
    )

    assert answer.status_code == 403
    assert answer.json() == {"detail": "Only a practice's members may add clients."}
    assert not Client.objects.filter(display_name="Edna").exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        pytest.param({"name": "   "}, 400, "name", id="blank"),
        pytest.param({"name": ""}, 422, "name", id="empty"),
        pytest.param({}, 422, "name", id="missing"),
        pytest.param({"name": "x" * 201}, 422, "name", id="too-long"),
        pytest.param({"name": "Edna", "age": 3}, 422, "age", id="unknown-field"),
        pytest.param({"name": "Ed\x00na"}, 422, "name", id="nul-character"),
    ],
)
def test_a_bad_new_client_is_refused_and_nothing_is_added(
    api_as: Caller, world: World, body: dict[str, Any], status: int, field: str
) -> None:
    before = Client.objects.count()

    answer = api_as(world.pat).post("/api/clients", body, content_type="application/json")

    assert answer.status_code == status
    assert answer.json()["error"]["field"] == field
    assert answer.json()["message"].startswith(f"{field}: ")
    assert Client.objects.count() == before


def test_a_body_that_is_not_json_answers_400(api_as: Caller, world: World) -> None:
    answer = api_as(world.pat).post("/api/clients", "{name:", content_type="application/json")

    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "body"


def test_one_client_is_shown_to_their_practitioner(api_as: Caller, world: World) -> None:
    answer = api_as(world.pat).get(f"/api/clients/{world.cora.pk}")

    assert answer.status_code == 200
    assert answer.json()["name"] == "Cora"


@pytest.mark.parametrize(
    ("who", "whose"),
    [
        pytest.param("ann_user", "cora", id="self-carer-on-a-practice-client"),
        pytest.param("cora_user", "ann", id="practice-client-on-a-self-carer"),
        pytest.param("pat", "dora", id="practitioner-on-another-practices-client"),
        pytest.param("oscar", "cora", id="owner-on-another-practices-client"),
        pytest.param("pat", "ann", id="practitioner-on-a-self-carer"),
    ],
)
def test_a_client_one_may_not_see_answers_404(
    api_as: Caller, world: World, who: str, whose: str
) -> None:
    answer = api_as(getattr(world, who)).get(f"/api/clients/{getattr(world, whose).pk}")

    assert answer.status_code == 404
    assert answer.json() == {"detail": "no such client"}


def test_a_client_that_does_not_exist_answers_404(api_as: Caller, world: World) -> None:
    assert api_as(world.olive).get("/api/clients/999999").status_code == 404


@pytest.mark.parametrize("client_id", ["abc", "0", str(2**63)])
def test_an_id_that_cannot_be_one_answers_422(api_as: Caller, world: World, client_id: str) -> None:
    answer = api_as(world.olive).get(f"/api/clients/{client_id}")

    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "client_id"


def test_adding_a_client_is_in_the_audit_log(api_as: Caller, world: World) -> None:
    answer = api_as(world.pat).post(
        "/api/clients", {"name": "Edna"}, content_type="application/json"
    )

    assert audit(Client.objects.get(pk=answer.json()["id"])) == [("pat", "change", "client record")]
