"""A small world for the API: two practices with their members and clients, and a self-carer.

- Skin Studio: owner olive, practitioner pat, client Cora who signs in as cora.
- Other Place: owner oscar, client Dora (no account).
- ann: a self-carer.

``api_as(user)`` gives a Django test client that sends a fresh personal API token of ``user``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ..builders import program

# A fixed day well in the past, so "not in the future" checks never depend on when tests run.
DAY = dt.date(2025, 3, 3)


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    """Hash the test people's passwords quickly: the API never reads them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    olive: Any
    pat: Any
    cora_user: Any
    cora: Any
    oscar: Any
    dora: Any
    ann_user: Any
    ann: Any
    studio: Any
    other_place: Any


@pytest.fixture
def world(
    make_person: Callable[..., Any],
    make_practice: Callable[..., Any],
    make_practitioner: Callable[..., Any],
    make_practice_client: Callable[..., Any],
) -> World:
    studio, olive = make_practice("Skin Studio", owner="olive")
    pat = make_practitioner(studio, "pat")
    cora = make_practice_client(studio, "Cora", practitioner=pat, account="cora")
    other_place, oscar = make_practice("Other Place", owner="oscar")
    dora = make_practice_client(other_place, "Dora", practitioner=oscar)
    ann_user, ann = make_person("ann")
    return World(
        olive=olive,
        pat=pat,
        cora_user=cora.account,
        cora=cora,
        oscar=oscar,
        dora=dora,
        ann_user=ann_user,
        ann=ann,
        studio=studio,
        other_place=other_place,
    )


@pytest.fixture
def token_for(db: None) -> Callable[..., str]:
    """Give a maker of personal API tokens: ``token_for(user)`` → the token (stored as SHA-256)."""
    from collagen_coach.web.practice.models import ApiToken

    def make(user: Any, name: str = "tests") -> str:
        token, digest = ApiToken.new_token()
        ApiToken.objects.create(user=user, name=name, token_sha256=digest)
        return token

    return make


@pytest.fixture
def api_as(token_for: Callable[..., str]) -> Callable[..., Any]:
    """Give a maker of API callers: ``api_as(user)`` → a test client sending ``user``'s token."""
    from django.test import Client as WebClient

    def make(user: Any) -> WebClient:
        return WebClient(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


def with_intake(client: Any, **answers: Any) -> Any:
    """Give ``client`` a safety intake (age 58 unless given) dated ``DAY``; give the record."""
    from collagen_coach.core.screening import parse_intake, screen
    from collagen_coach.web.clients.services import save_intake

    intake = parse_intake({"age": 58, "as_of": DAY.isoformat(), **answers})
    return save_intake(client, intake, screen(intake))


def with_plan(client: Any, start: dt.date = DAY) -> Any:
    """Give ``client`` a plan of three four-step sessions every other day from ``start``."""
    from collagen_coach.web.plans.services import save_program

    return save_program(client, program(start=start))


def audit(client: Any) -> list[tuple[str, str, str]]:
    """Give the audit log's (who, action, what) for ``client``, oldest first."""
    from collagen_coach.web.practice.models import AuditEvent

    return [
        (e.actor_name, e.action, e.what)
        for e in AuditEvent.objects.filter(client=client).order_by("at", "pk")
    ]


def log_session(client: Any, day: dt.date) -> Any:
    """Give a session of the plan's, done on ``day`` with every step in full and no discomfort."""
    from collagen_coach.web.journal import services

    log = services.start_session_log(client, day)
    for index, step in enumerate(log.steps):
        services.record_step(log, index, int(step["planned_s"]))
    return services.finish_session_log(log, False, False)
