"""Fixtures for storage tests: the local client and CSV files written on the fly."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from web.chromium import CHROMIUM, CHROMIUM_ARGS
from web.mail_server import Inbox, serve_mail

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from collagen_coach.web.clients.models import Client

# Django models are imported inside fixtures: this file may load before Django is set up.


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Start every test with an empty cache: no failed sign-ins counted against 127.0.0.1 by
    earlier tests (web.throttle), no dashboard or page kept from another test's client."""
    from django.core.cache import cache, caches

    from collagen_coach.web.progress.services import forget_recent_boards

    cache.clear()
    caches["kept"].clear()
    forget_recent_boards()


@pytest.fixture
def self_carer(db: None) -> Client:
    """The local client of the embedded app."""
    from collagen_coach.web.clients.services import local_client

    return local_client()


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Give a writer of files into the test's temporary directory (``name``, ``encoding``)."""

    def write(text: str, name: str = "cutometer.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def make_person(db: None) -> Callable[..., tuple[Any, Client]]:
    """Give a maker of signed-up people: ``make_person("ann")`` → (user, their client)."""
    from django.contrib.auth import get_user_model

    from collagen_coach.web.clients.models import Client

    def make(username: str = "ann", password: str = "a long passphrase 1") -> tuple[Any, Client]:
        user = get_user_model().objects.create_user(username, f"{username}@example.org", password)
        client = Client.objects.create(display_name=username.title(), account=user)
        return user, client

    return make


@pytest.fixture
def browser_of(make_person: Callable[..., tuple[Any, Client]]) -> Callable[..., Any]:
    """Give a maker of signed-in Django test clients: ``browser_of("ann")`` → (client, person)."""
    from django.test import Client as TestClient

    def make(username: str = "ann") -> tuple[TestClient, Client]:
        user, person = make_person(username)
        web = TestClient()
        web.force_login(user)
        return web, person

    return make


@pytest.fixture
def make_practice(make_person: Callable[..., tuple[Any, Client]]) -> Callable[..., Any]:
    """Give a maker of practices: ``make_practice("Skin Studio", owner="olive")`` →
    (practice, owner user). The owner is a signed-up person with the owner's membership."""
    from collagen_coach.web.practice.models import Membership, Practice, Role

    def make(name: str = "Skin Studio", owner: str = "olive") -> tuple[Any, Any]:
        user, _ = make_person(owner)
        practice = Practice.objects.create(name=name)
        Membership.objects.create(practice=practice, user=user, role=Role.OWNER)
        return practice, user

    return make


@pytest.fixture
def make_practitioner(make_person: Callable[..., tuple[Any, Client]]) -> Callable[..., Any]:
    """Give a maker of practitioners: ``make_practitioner(practice, "pat")`` → user."""
    from collagen_coach.web.practice.models import Membership, Role

    def make(practice: Any, username: str = "pat") -> Any:
        user, _ = make_person(username)
        Membership.objects.create(practice=practice, user=user, role=Role.PRACTITIONER)
        return user

    return make


@pytest.fixture
def make_practice_client(make_person: Callable[..., tuple[Any, Client]]) -> Callable[..., Client]:
    """Give a maker of a practice's clients: ``make_practice_client(practice, "Cora",
    practitioner=user, account="cora")`` → Client; with ``account`` the client can sign in."""
    from collagen_coach.web.clients.models import Client

    def make(
        practice: Any, name: str = "Cora", practitioner: Any = None, account: str | None = None
    ) -> Client:
        if account is None:
            return Client.objects.create(display_name=name, practice=practice, owner=practitioner)
        _, client = make_person(account)
        client.display_name, client.practice, client.owner = name, practice, practitioner
        client.save()
        return client

    return make


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd), which the app's mail goes to."""
    yield from serve_mail(settings)


# --- Chromium, for every browser test (one Playwright for the whole run) ---


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Give Debian's Chromium; skip (or, under CI=true, fail) when it is not installed."""
    if not CHROMIUM.exists():
        message = f"browser tests need Chromium at {CHROMIUM} (scripts/test installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI=true: the browser tests must run")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    """Give Chromium, headless, driven by Playwright, for the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
