"""Adding a client with the contact details a practice keeps: checked with one clear message
each, shown on the client's page, and in the client's own export."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DETAILS = {
    "name": "Eve Stone",
    "email": "eve@example.org",
    "phone": "+44 20 7946 0958",
    "birth_date": "1962-04-17",
    "age_band": "",
    "preferred_contact": "text",
    "contact_notes": "Prefers mornings.",
}


def eve_added(studio: dict[str, Any], browser: Callable[..., Any]) -> tuple[Any, Any]:
    """Give Pat's signed-in test client, and Eve, whom Pat added with DETAILS."""
    from collagen_coach.web.clients.models import Client

    web = browser(studio["pat"])
    web.post(reverse("practice:add_client"), DETAILS)
    return web, Client.objects.get(display_name="Eve Stone")


def test_a_client_is_added_with_contact_details_shown_on_their_page(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    web, eve = eve_added(studio, browser)
    assert (eve.email, eve.phone, eve.birth_date, eve.preferred_contact, eve.contact_notes) == (
        "eve@example.org",
        "+44 20 7946 0958",
        dt.date(1962, 4, 17),
        "text",
        "Prefers mornings.",
    )
    page = web.get(reverse("clinic:timeline", args=[eve.pk])).content.decode()
    for shown in (
        "eve@example.org",
        "+44 20 7946 0958",
        "17 April 1962",
        "a text message",
        "Prefers mornings.",
    ):
        assert shown in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "eve-at-example"}, "email", "Give an email address such as cora@example.org."),
        (
            {"phone": "call me"},
            "phone",
            "call me is not a phone number: use digits, spaces and + ( ) - only.",
        ),
        ({"phone": "12 34"}, "phone", "12 34 has 4 digits: a phone number has 7 to 15."),
        ({"birth_date": "2015-01-01"}, "birth_date", "That makes the client"),
        (
            {"birth_date": "2999-01-01"},
            "birth_date",
            "The date of birth is after today: check the year.",
        ),
        (
            {"birth_date": "17/04/62"},
            "birth_date",
            "Give the date of birth as a day on the calendar, e.g. 1962-04-17.",
        ),
        (
            {"age_band": "55-64"},
            "age_band",
            "Give a date of birth or an age band, not both: clear one of them.",
        ),
        (
            {"age_band": "", "birth_date": "", "preferred_contact": "owl"},
            "preferred_contact",
            "Choose email, a phone call or a text message.",
        ),
        (
            {"email": "", "preferred_contact": "email"},
            "email",
            "Give an email address, or choose another way to reach them.",
        ),
        (
            {"phone": "", "preferred_contact": "phone"},
            "phone",
            "Give a phone number, or choose another way to reach them.",
        ),
    ],
    ids=[
        "bad-email",
        "letters-in-phone",
        "short-phone",
        "a-child",
        "born-in-the-future",
        "date-not-iso",
        "birth-date-and-band",
        "unknown-way",
        "email-wanted-none-given",
        "phone-wanted-none-given",
    ],
)
def test_bad_contact_details_get_one_clear_message_and_add_nobody(
    studio: dict[str, Any],
    browser: Callable[..., Any],
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    from collagen_coach.web.clients.models import Client

    answer = browser(studio["pat"]).post(reverse("practice:add_client"), {**DETAILS, **changes})

    assert answer.status_code == 400
    errors = answer.context["form"].errors[field]
    assert len(errors) == 1
    assert errors[0].startswith(message)
    assert not Client.objects.filter(display_name="Eve Stone").exists()


def test_an_age_band_may_stand_in_for_a_date_of_birth(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.clients.models import Client

    web = browser(studio["pat"])
    web.post(reverse("practice:add_client"), {**DETAILS, "birth_date": "", "age_band": "55-64"})

    eve = Client.objects.get(display_name="Eve Stone")
    assert (eve.birth_date, eve.age_band) == (None, "55-64")
    assert "55 to 64" in web.get(reverse("clinic:timeline", args=[eve.pk])).content.decode()


def test_the_clients_contact_details_are_in_their_own_export(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.clients.models import Client
    from collagen_coach.web.my_data.services import write_export

    browser(studio["pat"]).post(reverse("practice:add_client"), DETAILS)
    eve = Client.objects.get(display_name="Eve Stone")
    out = io.BytesIO()

    write_export(eve, None, out)

    records = json.loads(zipfile.ZipFile(out).read("records.json"))["records"]
    (row,) = records["clients.client"]
    assert (row["email"], row["phone"], row["birth_date"], row["preferred_contact"]) == (
        "eve@example.org",
        "+44 20 7946 0958",
        "1962-04-17",
        "text",
    )
    assert row["contact_notes"] == "Prefers mornings."


def test_a_clients_details_are_changed_on_their_own_page_and_a_bad_one_changes_nothing(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import AuditEvent

    web, eve = eve_added(studio, browser)
    page = reverse("practice:edit_client", args=[eve.pk])
    shown = web.get(page).content.decode()
    assert 'value="+44 20 7946 0958"' in shown  # the form starts from what is kept
    record = web.get(reverse("clinic:timeline", args=[eve.pk])).content.decode()
    assert f'href="{page}"' in record

    refused = web.post(page, {**DETAILS, "name": "Eve Moss", "phone": "call me"})
    assert refused.status_code == 400
    assert "call me is not a phone number" in refused.content.decode()
    eve.refresh_from_db()
    assert (eve.display_name, eve.phone) == ("Eve Stone", "+44 20 7946 0958")

    changed = {**DETAILS, "name": "Eve  Moss", "phone": "020 7946 0000", "contact_notes": ""}
    saved = web.post(page, changed, follow=True)
    assert saved.redirect_chain[-1][0] == reverse("clinic:timeline", args=[eve.pk])
    assert "Eve Moss&#x27;s details are saved." in saved.content.decode()
    eve.refresh_from_db()
    assert (eve.display_name, eve.phone, eve.contact_notes) == ("Eve Moss", "020 7946 0000", "")
    assert AuditEvent.objects.filter(client=eve, what="contact details").count() == 1
