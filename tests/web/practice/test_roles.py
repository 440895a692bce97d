"""Who may open each practice page: anonymous, a self-carer, a practice's client, a
practitioner of another practice, a practitioner and the owner (of Skin Studio)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROLES = ("anonymous", "self_carer", "client", "other_practitioner", "practitioner", "owner")
LOGIN = "login"  # a redirect to the sign-in page
HOME = "clients"  # a redirect to the client list

# page -> expected answer per role, in the order of ROLES
EXPECTED: dict[str, tuple[Any, ...]] = {
    "practice:start": (LOGIN, 200, 409, HOME, HOME, HOME),
    "practice:team": (LOGIN, 404, 404, 404, 404, 200),
    "practice:clients": (LOGIN, 404, 404, 200, 200, 200),
    "practice:add_client": (LOGIN, 404, 404, 200, 200, 200),
    "practice:invite": (LOGIN, 404, 404, 404, 200, 200),
    "practice:my_practitioner": (LOGIN, 404, 200, 404, 404, 404),
    "practice:leave": (LOGIN, 404, 200, 404, 404, 404),
    "practice:audit": (LOGIN, 404, 404, 404, 404, 200),
}


def _user(role: str, studio: dict[str, Any], make_person: Callable[..., Any]) -> Any:
    if role == "anonymous":
        return None
    if role == "self_carer":
        return make_person("sam")[0]
    return {
        "client": studio["cora"].account,
        "other_practitioner": studio["greg"],
        "practitioner": studio["pat"],
        "owner": studio["olive"],
    }[role]


def _outcome(answer: Any) -> Any:
    """Give an answer as the table writes it."""
    if answer.status_code == 302:
        if answer["Location"].startswith(reverse("accounts:login") + "?next="):
            return LOGIN
        if answer["Location"] == reverse("practice:clients"):
            return HOME
        return f"302 to {answer['Location']}"
    return answer.status_code


@pytest.mark.parametrize("page", EXPECTED, ids=lambda page: page.split(":")[1])
def test_each_role_gets_what_the_table_says(
    page: str,
    studio: dict[str, Any],
    make_person: Callable[..., Any],
    browser: Callable[..., Any],
) -> None:
    kwargs = {"client_id": studio["dan"].pk} if page == "practice:invite" else {}
    url = reverse(page, kwargs=kwargs)

    got = {role: _outcome(browser(_user(role, studio, make_person)).get(url)) for role in ROLES}

    assert got == dict(zip(ROLES, EXPECTED[page], strict=True))


def test_a_practitioner_of_another_practice_cannot_invite_this_practices_client(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import Invitation

    answer = browser(studio["greg"]).post(
        reverse("practice:invite", kwargs={"client_id": studio["dan"].pk})
    )

    assert answer.status_code == 404
    assert not Invitation.objects.exists()
