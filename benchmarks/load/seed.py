"""Seed a database for the load test: self-carers and a practice, each person with weeks of
history, signed in ahead (a session per account, an API token per self-carer), so that the load
measures pages and not password hashing.

Each self-carer has an account, a safety check (go), a daily plan that began ``weeks`` weeks ago
and runs four weeks on, about 85 % of its past sessions done, a self-rating and a peptide dose most
days and a photo measurement a week (``tests/web/history.py`` makes the rows). The practice has an
owner, a practitioner and ``clients`` clients with the same history.

Run by ``benchmarks/bench_load.py`` in a process of its own, with DATABASE_URL set; it writes the
people it made, as JSON, to the file named by its one argument.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path

# The made-up history is a test helper: it lives with the tests, not in the product.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from collagen_coach.web.store import open_store

open_store()

from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402

from collagen_coach.core.screening import Intake, screen  # noqa: E402
from collagen_coach.web.clients.models import Client  # noqa: E402
from collagen_coach.web.clients.services import save_intake  # noqa: E402
from collagen_coach.web.journal.models import (  # noqa: E402
    PeptideIntake,
    PhotoMeasurement,
    SelfRating,
    SessionLog,
)
from collagen_coach.web.lib.dates import today as computer_today  # noqa: E402
from collagen_coach.web.plans.services import save_program  # noqa: E402
from collagen_coach.web.practice.models import ApiToken, Membership, Practice, Role  # noqa: E402
from web.history import daily_program, done_log, photo_measurement  # noqa: E402

AHEAD_DAYS = 28  # the plan runs four weeks past today
DONE_SHARE = 0.85


def history(client: Client, today: dt.date, weeks: int, rng: random.Random) -> int:
    """Give ``client`` a safety check, a daily plan and ``weeks`` weeks of history; give how
    many sessions were logged."""
    start = today - dt.timedelta(days=7 * weeks)
    intake = Intake(age=rng.randint(35, 70), as_of=start - dt.timedelta(days=1))
    save_intake(client, intake, screen(intake, today=intake.as_of))
    program = daily_program(start, 7 * weeks + AHEAD_DAYS)
    stored = save_program(client, program)
    logs, ratings, doses, photos = [], [], [], []
    for session in program.sessions:
        day = session.date
        if day >= today:
            break
        if rng.random() < DONE_SHARE:
            began = dt.datetime.combine(day, dt.time(7, rng.randrange(60)), tzinfo=dt.UTC)
            logs.append(done_log(client, stored, session, began))
        if rng.random() < 0.8:
            ratings.append(
                SelfRating(
                    client=client,
                    date=day,
                    firmness=rng.randint(4, 8),
                    elasticity=rng.randint(4, 8),
                    fine_lines=rng.randint(3, 7),
                    glow=rng.randint(4, 8),
                    sagging=rng.randint(3, 7),
                )
            )
        if rng.random() < 0.8:
            doses.append(PeptideIntake(client=client, date=day, grams="5.00", product="Verisol"))
        if (day - start).days % 7 == 0:
            photos.append(photo_measurement(client, day, rng))
    SessionLog.objects.bulk_create(logs, batch_size=1000)
    SelfRating.objects.bulk_create(ratings, batch_size=1000)
    PeptideIntake.objects.bulk_create(doses, batch_size=1000)
    PhotoMeasurement.objects.bulk_create(photos, batch_size=500)
    return len(logs)


def signed_in(user: object) -> str:
    """Give the key of a new signed-in session of ``user`` (as ``django.contrib.auth.login``
    stores it)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    session.create()
    return str(session.session_key)


def seed(self_carers: int, clients: int, weeks: int) -> dict[str, object]:
    """Make the people; give what the load test needs to act as them."""
    rng = random.Random(20261205)
    today = computer_today()
    users = get_user_model()
    password = make_password("a long passphrase 1")  # hashed once: the load never signs in
    carers = []
    sessions = 0
    for n in range(self_carers):
        with transaction.atomic():
            user = users.objects.create(username=f"carer{n:03d}", password=password)
            client = Client.objects.create(display_name=f"Carer {n:03d}", account=user)
            sessions += history(client, today, weeks, rng)
            token, digest = ApiToken.new_token()
            ApiToken.objects.create(user=user, name="load test", token_sha256=digest)
            carers.append({"session": signed_in(user), "token": token, "client": client.pk})
    with transaction.atomic():
        practice = Practice.objects.create(name="Studio Load")
        owner = users.objects.create(username="owner", password=password)
        Membership.objects.create(practice=practice, user=owner, role=Role.OWNER)
        practitioner = users.objects.create(username="practitioner", password=password)
        Membership.objects.create(practice=practice, user=practitioner, role=Role.PRACTITIONER)
    client_ids = []
    for n in range(clients):
        with transaction.atomic():
            client = Client.objects.create(
                display_name=f"Client {n:03d}",
                practice=practice,
                owner=practitioner if n % 2 else owner,
            )
            sessions += history(client, today, weeks, rng)
            client_ids.append(client.pk)
    members = [{"session": signed_in(u)} for u in (owner, practitioner) for _ in range(20)]
    return {
        "today": today.isoformat(),
        "weeks": weeks,
        "sessions_logged": sessions,
        "self_carers": carers,
        "practitioners": members,
        "clients": client_ids,
    }


if __name__ == "__main__":
    out, counts = Path(sys.argv[1]), [int(a) for a in sys.argv[2:5]]
    made = seed(*counts)
    out.write_text(json.dumps(made), encoding="utf-8")
    print(
        f"seeded {counts[0]} self-carers and {counts[1]} clients, {counts[2]} weeks each "
        f"({made['sessions_logged']} sessions logged)"
    )
