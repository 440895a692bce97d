"""Delete everything: after typing one's user name (or "delete") and password, every record,
every photo file and the account are gone, and the person is signed out; anything else deletes
nothing, and another person's data is never touched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.records import KEPT_FIGURES, PRACTICE_RECORDS, record_kinds
from collagen_coach.web.lib.dates import today
from collagen_coach.web.photos.models import client_folder
from web.history import make_history

from .test_export import add_photo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DELETE = reverse("my_data:delete")
PASSWORD = "a long passphrase 1"  # the one make_person gives


def rows_of(client_pk: int) -> dict[str, int]:
    """Give, for every model with a foreign key to Client, how many rows point at ``client_pk``."""
    counts = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Client:
                key = f"{model._meta.label}.{field.name}"
                counts[key] = model._default_manager.filter(**{field.name: client_pk}).count()
    return counts


def filled(person: Client) -> list[Path]:
    """Give ``person`` a fortnight's history and two photos; give the photos' files."""
    make_history(person, today=today(), days=14, photos=2)
    photos = [add_photo(person), add_photo(person)]
    files = [Path(f.path) for p in photos for f in (p.image, p.overlay)]
    assert all(f.is_file() for f in files)
    return files


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    for method in ("get", "post"):
        answer = getattr(WebClient(), method)(DELETE)
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("accounts:login"))


def test_the_page_asks_for_the_user_name_and_password(browser_of: Callable[..., Any]) -> None:
    web, _ = browser_of("ann")
    page = web.get(DELETE)
    assert page.status_code == 200
    assert "Type your user name, or the word delete" in page.text
    assert "Your password" in page.text


@pytest.mark.parametrize("typed", ["ann", "delete", "DELETE"])
def test_deleting_removes_every_record_every_photo_and_the_account(
    browser_of: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
    typed: str,
) -> None:
    web, ann = browser_of("ann")
    _, bob = browser_of("bob")
    ann_files, bob_files = filled(ann), filled(bob)
    bob_rows = rows_of(bob.pk)
    ann_pk, ann_user_pk = ann.pk, ann.account_id

    with django_capture_on_commit_callbacks(execute=True):
        answer = web.post(DELETE, {"confirm": typed, "password": PASSWORD})

    assert answer.status_code == 302
    assert answer["Location"] == reverse("accounts:login")
    assert set(rows_of(ann_pk).values()) == {0}
    assert not Client.objects.filter(pk=ann_pk).exists()
    assert not get_user_model().objects.filter(pk=ann_user_pk).exists()
    assert not any(f.exists() for f in ann_files)
    # Signed out: the next page asks to sign in.
    assert web.get(reverse("progress:dashboard"))["Location"].startswith(reverse("accounts:login"))
    # Bob's records and files are as they were.
    assert rows_of(bob.pk) == bob_rows
    assert all(f.is_file() for f in bob_files)


@pytest.mark.parametrize(
    ("typed", "password", "message"),
    [
        pytest.param("bob", PASSWORD, "is neither your user name nor the word delete", id="name"),
        pytest.param("", PASSWORD, "This field is required", id="nothing-typed"),
        pytest.param("ann", "not my password", "That is not your password", id="password"),
    ],
)
def test_a_wrong_confirmation_deletes_nothing(
    browser_of: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
    typed: str,
    password: str,
    message: str,
) -> None:
    web, ann = browser_of("ann")
    files = filled(ann)
    before = rows_of(ann.pk)
    with django_capture_on_commit_callbacks(execute=True):
        answer = web.post(DELETE, {"confirm": typed, "password": password})
    assert answer.status_code == 400
    assert message in answer.text
    assert "Nothing was deleted" in answer.text or message == "This field is required"
    assert rows_of(ann.pk) == before
    assert all(f.is_file() for f in files)
    assert web.get(reverse("my_data:index")).status_code == 200  # still signed in


def test_every_kind_of_record_is_found_from_the_models_but_the_practices_own() -> None:
    labels = {kind.label for kind in record_kinds()}
    for model in apps.get_models():
        if any(f.is_relation and f.related_model is Client for f in model._meta.concrete_fields):
            expected = model._meta.label_lower not in PRACTICE_RECORDS | KEPT_FIGURES
            assert (model._meta.label_lower in labels) is expected, model._meta.label_lower


def test_deleting_forgets_the_sign_in_history_and_the_photo_folder(
    browser_of: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
    settings: Any,
) -> None:
    web, ann = browser_of("ann")
    browser_of("bob")
    for name in ("ann", "bob"):
        seen = {"username": name, "ip_address": "192.0.2.7", "user_agent": "Firefox"}
        AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=2)
        AccessLog.objects.create(**seen)
        AccessFailureLog.objects.create(**seen, locked_out=False)
    # Her photos were deleted one by one earlier: the folder is empty, yet it names her.
    folder = Path(settings.PHOTO_ROOT) / client_folder(ann.pk)
    folder.mkdir(parents=True, exist_ok=True)

    with django_capture_on_commit_callbacks(execute=True):
        answer = web.post(DELETE, {"confirm": "delete", "password": PASSWORD})

    assert answer.status_code == 302
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert set(model.objects.values_list("username", flat=True)) == {"bob"}, model
    assert not folder.exists()
