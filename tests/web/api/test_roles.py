"""Who may read a practice client's records through the API: the same people as on the pages.

Cora is a client of Skin Studio (owner olive, practitioner pat) and signs in as cora; oscar owns
another practice; ann is a self-carer. Every client-scoped read is tried by each of them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as WebClient

from .conftest import World, with_intake, with_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

READS = ["", "/intakes", "/plan", "/sessions", "/journal", "/photos", "/progress"]
EXPECTED = {
    "anonymous": 401,
    "ann_user": 404,  # a self-carer, on another person's client
    "oscar": 404,  # the owner of another practice
    "pat": 200,  # Cora's practitioner
    "olive": 200,  # the owner of Cora's practice
    "cora_user": 200,  # Cora herself
}


@pytest.mark.parametrize("read", READS, ids=lambda r: r or "/")
@pytest.mark.parametrize("who", list(EXPECTED))
def test_a_practice_clients_records_are_read_by_her_practice_and_herself_only(
    api_as: Callable[..., WebClient], world: World, who: str, read: str
) -> None:
    with_intake(world.cora)
    with_plan(world.cora)
    caller = WebClient() if who == "anonymous" else api_as(getattr(world, who))

    answer = caller.get(f"/api/clients/{world.cora.pk}{read}")

    assert answer.status_code == EXPECTED[who], answer.content
    assert answer["Content-Type"].startswith("application/json")


def test_another_practices_client_is_not_in_the_list(
    api_as: Callable[..., WebClient], world: World
) -> None:
    names = {c["name"] for c in api_as(world.olive).get("/api/clients").json()["items"]}

    assert "Dora" not in names
    assert "Cora" in names
