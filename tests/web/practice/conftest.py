"""Fixtures for the practice pages: a practice with its people, and clients with a history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

PASSWORD = "a long passphrase 1"  # the fixtures' people all have this password


@pytest.fixture
def give_history() -> Callable[..., Any]:
    """Give a maker of a client's history as of today: a safety intake (with ``decision``'s
    kind), a plan with sessions from three weeks ago to next week, a session done on the last
    planned day up to ``today`` (``place``), and self-ratings over ``rating_weeks`` weeks."""
    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.services import save_intake
    from collagen_coach.web.journal.models import SessionLog
    from collagen_coach.web.journal.services import (
        finish_session_log,
        rate,
        record_step,
        start_session_log,
    )
    from collagen_coach.web.plans.services import save_program
    from web import builders

    def give(
        client: Any,
        *,
        today: dt.date | None = None,
        place: str = "home",
        rating_weeks: int = 3,
        intake: Intake | None = None,
    ) -> Any:
        today = today or dt.date.today()
        answers = intake or Intake(age=58, as_of=today)
        save_intake(client, answers, screen(answers, today=today))
        days = [today - dt.timedelta(days=21 - 2 * n) for n in range(14)]
        stored = save_program(client, builders.program(start=days[0], dates=days))
        done_day = max(d for d in days if d <= today)
        log = start_session_log(client, done_day, stored)
        for index, step in enumerate(log.steps):
            record_step(log, index, int(step["planned_s"]))
        finish_session_log(log, pain=False, redness=False)
        SessionLog.objects.filter(pk=log.pk).update(place=place)
        for week in range(rating_weeks + 1):
            rate(
                client,
                today - dt.timedelta(weeks=rating_weeks - week),
                firmness=5,
                elasticity=5,
                fine_lines=4,
                glow=6,
                sagging=3,
            )
        return stored

    return give


@pytest.fixture
def studio(
    make_practice: Callable[..., Any],
    make_practitioner: Callable[..., Any],
    make_practice_client: Callable[..., Any],
) -> dict[str, Any]:
    """A practice, Skin Studio, owned by olive, where pat works, with a client Cora (pat's, who
    signs in as cora) and a client Dan (no account yet); and another practice, Glow Rooms,
    owned by gina, where greg works, with a client Gail."""
    practice, olive = make_practice("Skin Studio", owner="olive")
    pat = make_practitioner(practice, "pat")
    cora = make_practice_client(practice, "Cora", practitioner=pat, account="cora")
    dan = make_practice_client(practice, "Dan", practitioner=pat)
    other, gina = make_practice("Glow Rooms", owner="gina")
    greg = make_practitioner(other, "greg")
    gail = make_practice_client(other, "Gail", practitioner=greg)
    return {
        "practice": practice,
        "olive": olive,
        "pat": pat,
        "cora": cora,
        "dan": dan,
        "other": other,
        "gina": gina,
        "greg": greg,
        "gail": gail,
    }


@pytest.fixture
def browser() -> Callable[..., Any]:
    """Give a maker of a Django test client signed in as ``user`` (None: signed out)."""
    from django.test import Client as TestClient

    def make(user: Any = None) -> TestClient:
        web = TestClient()
        if user is not None:
            web.force_login(user)
        return web

    return make


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Start every test with an empty cache (the progress dashboards kept from other tests)."""
    from django.core.cache import cache

    cache.clear()
