"""Fixtures for the guided session: a person whose plan has a session today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from web.builders import program, session_on, step

if TYPE_CHECKING:
    from django.test import Client as WebClient

    from collagen_coach.core.planning import Session
    from collagen_coach.web.clients.models import Client


@pytest.fixture
def planned_today() -> Callable[..., Session]:
    """Give a saver of a plan with ``session`` (default: the four-step one) planned today."""
    from collagen_coach.web.plans.services import save_program

    def plan(person: Client, session: Session | None = None) -> Session:
        today = dt.date.today()
        planned = program(dates=[today])
        if session is not None:
            planned = planned.model_copy(update={"sessions": [session]})
        save_program(person, planned)
        return planned.sessions[0]

    return plan


@pytest.fixture
def ready_to_play(
    browser_of: Callable[..., tuple[WebClient, Client]], planned_today: Callable[..., Any]
) -> tuple[WebClient, Client, Session]:
    """Give Ann signed in, with today's four-step session planned."""
    web, ann = browser_of("ann")
    session = planned_today(ann)
    return web, ann, session


def long_session(steps: int = 10, each_s: int = 180) -> Session:
    """Give a session of ``steps`` steps of ``each_s`` seconds today (30 minutes by default)."""
    zones = ["forehead", "cheeks", "jawline", "chin", "temples"]
    base = session_on(dt.date.today())
    return base.model_copy(
        update={
            "steps": [
                step("circular_motions" if n % 2 else "tapping", zones[n % len(zones)], each_s)
                for n in range(steps)
            ]
        }
    )
