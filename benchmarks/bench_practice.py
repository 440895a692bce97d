"""Benchmark: a practice of 500 clients with five years of daily history each — the client list
and one client's timeline, against a bare Django view answered through the same middleware in
the same run.

The practice: an owner, 500 clients (no accounts), each with five years of history up to
yesterday: a session nearly every day (about 1,800 each, one a month in the clinic with a SOAP
note), a safety intake each year (a few deferred, with a date to resume), an earlier plan and the
current one (16 weeks, planned session rows included), a self-rating each week, a progress photo
and four Cutometer readings each quarter. Rows are written with ``bulk_create`` in large batches;
values are plausible and cheap to make (a fixed seed: the same run gives the same practice).

It goes into a throwaway SQLite file, or, when DATABASE_URL names a PostgreSQL server, into a
throwaway test database there. Each figure is the wall time of a whole request through
``django.test.Client`` (session, sign-in check, CSRF, CSP, the view and its template), signed in
as the practice's owner, with the number of database queries it made. The floor is a view that
returns a short ``HttpResponse``.

Run: .venv/bin/python benchmarks/bench_practice.py [--clients 500] [--years 5] [--requests 30]
     [--scaling 50x1]   (a smaller practice measured first, to show what grows)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOME = Path(tempfile.mkdtemp(prefix="collagen-coach-bench-"))
os.environ["COLLAGEN_COACH_HOME"] = str(HOME)
os.environ["DJANGO_SETTINGS_MODULE"] = "collagen_coach.web.settings"
# The made-up history is a test helper: it lives with the tests, not in the product.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client as WebClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from collagen_coach.core.screening import Intake, Procedure, screen  # noqa: E402
from collagen_coach.web.clients.models import Client, IntakeRecord  # noqa: E402
from collagen_coach.web.journal.models import (  # noqa: E402
    InstrumentReading,
    PhotoMeasurement,
    SelfRating,
    SessionLog,
    SessionStatus,
)
from collagen_coach.web.photos.models import Photo, PhotoStatus  # noqa: E402
from collagen_coach.web.plans.models import PlannedSession, StoredProgram  # noqa: E402
from collagen_coach.web.practice.models import (  # noqa: E402
    ClientAttention,
    Membership,
    Practice,
    Role,
    SessionNote,
)
from web.history import daily_program, photo_measurement  # noqa: E402


def bare(request: HttpRequest) -> HttpResponse:
    """The floor: a page that does nothing."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("collagen_coach.web.urls")),
]

BATCH = 5000  # rows per INSERT statement (SQLite's variable limit is handled by Django)
CLIENTS_PER_CHUNK = 20  # clients whose history is built and written together
CURRENT_PLAN_DAYS = 16 * 7  # the current plan: the last 12 weeks and the next 4
EARLIER_PLAN_DAYS = 12 * 7
MISSED_SHARE = 0.015  # days without a session: ≈ 1,800 sessions in five years


@dataclass(frozen=True)
class Made:
    """What the practice holds, counted."""

    clients: int
    sessions: int
    planned: int
    intakes: int
    notes: int
    ratings: int
    photos: int
    readings: int
    seconds: float


def _intake_variants(today: dt.date) -> list[tuple[dict[str, Any], dict[str, Any], str]]:
    """Give a few intakes and their screening decisions as stored: go, modify, and defer."""
    variants = [
        Intake(age=58, as_of=today),
        Intake(age=63, conditions=["broken_capillaries"], as_of=today),
        Intake(age=55, conditions=["fragile_skin"], as_of=today),
        Intake(age=61, conditions=["cold_sore"], as_of=today),
        Intake(
            age=60,
            procedures=[
                Procedure(kind="dermal_filler", zones=["cheeks"], date=today - dt.timedelta(days=3))
            ],
            as_of=today,
        ),
    ]
    out = []
    for intake in variants:
        decision = screen(intake, today=today)
        out.append(
            (intake.model_dump(mode="json"), decision.model_dump(mode="json"), decision.decision)
        )
    return out


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def make_practice(n_clients: int, years: float, today: dt.date, seed: int = 20261130) -> Any:
    """Make a practice with ``n_clients`` clients and ``years`` of history each; give its owner
    and what was made."""
    rng = random.Random(seed)
    began = time.perf_counter()
    days = round(years * 365.25)
    first = today - dt.timedelta(days=days)
    owner = get_user_model().objects.create_user(
        f"owner{n_clients}x{years}", None, "a long passphrase 1"
    )
    practice = Practice.objects.create(name=f"Studio of {n_clients} clients")
    Membership.objects.create(practice=practice, user=owner, role=Role.OWNER)
    practitioner = get_user_model().objects.create_user(
        f"pract{n_clients}x{years}", None, "a long passphrase 1"
    )
    Membership.objects.create(practice=practice, user=practitioner, role=Role.PRACTITIONER)
    clients = Client.objects.bulk_create(
        [
            Client(
                display_name=f"Client {i:04d} {rng.choice(NAMES)}",
                practice=practice,
                owner=practitioner if i % 2 else owner,
            )
            for i in range(n_clients)
        ],
        batch_size=BATCH,
    )
    variants = _intake_variants(today)
    current = daily_program(today - dt.timedelta(days=CURRENT_PLAN_DAYS - 28), CURRENT_PLAN_DAYS)
    earlier = daily_program(first, EARLIER_PLAN_DAYS)
    stored_plans = [
        (earlier, earlier.model_dump(mode="json"), False),
        (current, current.model_dump(mode="json"), True),
    ]
    steps_done = [
        {
            "technique": s.technique,
            "zone": s.zone,
            "side": s.side,
            "planned_s": s.duration_s,
            "done_s": s.duration_s,
            "skipped": False,
        }
        for s in current.sessions[0].steps
    ]
    planned_steps = [s.model_dump(mode="json") for s in current.sessions[0].steps]
    counts = dict.fromkeys(
        ("sessions", "planned", "intakes", "notes", "ratings", "photos", "readings"), 0
    )
    done = 0
    for chunk in _chunks(clients, CLIENTS_PER_CHUNK):
        with transaction.atomic():
            programs = StoredProgram.objects.bulk_create(
                [
                    StoredProgram(
                        client=client,
                        profile=dumped["profile"],
                        decision=dumped["decision"],
                        program=dumped,
                        planner=program.planner,
                        is_current=is_current,
                    )
                    for client in chunk
                    for program, dumped, is_current in stored_plans
                ],
                batch_size=BATCH,
            )
            planned = [
                PlannedSession(
                    program=stored,
                    date=session.date,
                    phase=session.phase,
                    steps=planned_steps,
                    duration_s=session.duration_s,
                )
                for stored, (program, _, _) in zip(programs, stored_plans * len(chunk), strict=True)
                for session in program.sessions
            ]
            PlannedSession.objects.bulk_create(planned, batch_size=BATCH)
            counts["planned"] += len(planned)
            current_of = {p.client_id: p for p in programs if p.is_current}
            intakes = []
            for client in chunk:
                for year in range(max(1, round(years))):
                    answers, decision, kind = variants[0 if rng.random() < 0.7 else 1]
                    if year == round(years) - 1 and rng.random() < 0.1:
                        answers, decision, kind = variants[3]  # deferred now, resumes soon
                    elif year == round(years) - 1 and rng.random() < 0.2:
                        answers, decision, kind = variants[2 if rng.random() < 0.5 else 4]
                    intakes.append(
                        IntakeRecord(
                            client=client,
                            answers=answers,
                            decision=decision,
                            decision_kind=kind,
                            as_of=first + dt.timedelta(days=365 * year),
                            consent_text="I agree to the screening and to massage as planned.",
                            consented_at=timezone.now(),
                            recorded_by=owner,
                        )
                    )
            IntakeRecord.objects.bulk_create(intakes, batch_size=BATCH)
            counts["intakes"] += len(intakes)
            home_logs: list[SessionLog] = []
            clinic_logs: list[SessionLog] = []
            for client in chunk:
                for n in range(days):
                    day = first + dt.timedelta(days=n)
                    clinic = day.day == 15
                    if not clinic and rng.random() < MISSED_SHARE:
                        continue
                    start = dt.datetime.combine(day, dt.time(7, 30), tzinfo=dt.UTC)
                    log = SessionLog(
                        client=client,
                        planned_date=day,
                        program=current_of[client.pk] if n >= days - 84 else None,
                        started_at=start,
                        finished_at=start + dt.timedelta(seconds=270),
                        status=SessionStatus.COMPLETED,
                        steps=steps_done,
                        pain=False,
                        redness=rng.random() < 0.02,
                        place="clinic" if clinic else "home",
                    )
                    (clinic_logs if clinic else home_logs).append(log)
            SessionLog.objects.bulk_create(home_logs, batch_size=BATCH)
            clinic_logs = SessionLog.objects.bulk_create(clinic_logs, batch_size=BATCH)
            counts["sessions"] += len(home_logs) + len(clinic_logs)
            notes = [
                SessionNote(
                    client_id=log.client_id,
                    session_log=log,
                    author=practitioner,
                    subjective="Feels firmer along the jaw; no tenderness.",
                    objective="No redness after the session; pressure 2 tolerated.",
                    assessment="Routine well tolerated.",
                    plan="Keep the home routine; review in four weeks.",
                    shared_with_client=rng.random() < 0.5,
                )
                for log in clinic_logs
            ]
            SessionNote.objects.bulk_create(notes, batch_size=BATCH)
            counts["notes"] += len(notes)
            ratings = [
                SelfRating(
                    client=client,
                    date=first + dt.timedelta(days=n),
                    firmness=rng.randint(4, 8),
                    elasticity=rng.randint(4, 8),
                    fine_lines=rng.randint(3, 7),
                    glow=rng.randint(4, 8),
                    sagging=rng.randint(3, 7),
                )
                for client in chunk
                for n in range(0, days, 7)
            ]
            SelfRating.objects.bulk_create(ratings, batch_size=BATCH)
            counts["ratings"] += len(ratings)
            quarters = [first + dt.timedelta(days=n) for n in range(0, days, 91)]
            measurements = PhotoMeasurement.objects.bulk_create(
                [photo_measurement(client, day, rng) for client in chunk for day in quarters],
                batch_size=500,
            )
            Photo.objects.bulk_create(
                [
                    Photo(
                        client_id=m.client_id,
                        taken_on=m.date,
                        original_name=m.file_name,
                        image=f"client-{m.client_id}/bench-{m.pk}.jpg",
                        status=PhotoStatus.DONE,
                        attempts=1,
                        measurement=m,
                        analysed_at=timezone.now(),
                    )
                    for m in measurements
                ],
                batch_size=BATCH,
            )
            counts["photos"] += len(measurements)
            readings = [
                InstrumentReading(
                    client=client,
                    date=day,
                    instrument="cutometer",
                    parameter="R2",
                    zone=zone,
                    side=side,
                    value=round(rng.uniform(0.55, 0.85), 3),
                    source=f"cutometer-{day:%Y-%m}.csv",
                )
                for client in chunk
                for day in quarters
                for zone in ("cheeks", "jawline")
                for side in ("left", "right")
            ]
            InstrumentReading.objects.bulk_create(readings, batch_size=BATCH)
            counts["readings"] += len(readings)
        done += len(chunk)
        print(
            f"\r  made {done}/{n_clients} clients, "
            f"{counts['sessions']:,} sessions ({time.perf_counter() - began:.0f} s)",
            end="",
            flush=True,
        )
    print()
    return owner, clients, Made(clients=len(clients), seconds=time.perf_counter() - began, **counts)


NAMES = ["Ada", "Bea", "Cora", "Dana", "Edith", "Flora", "Greta", "Hilda", "Iris", "June"]


def timings(
    fn: Callable[[], Any], n: int, before: Callable[[], Any] | None = None
) -> tuple[list[float], list[float]]:
    """Give the wall times and the processor times (this process's, which on SQLite includes
    the database's work) of ``n`` calls of ``fn`` in seconds, after one warm-up call; ``before``
    runs before each call, untimed."""
    fn()
    times, cpu = [], []
    for _ in range(n):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def fetch(web: WebClient, url: str) -> HttpResponse:
    response = web.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def queries(web: WebClient, url: str) -> tuple[int, int]:
    """Give the number of queries one request for ``url`` makes, and the page's size."""
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        page = fetch(web, url)
    return len(captured), len(page.content)


def measure(owner: Any, clients: list[Client], made: Made, requests: int) -> None:
    """Print the figures for one practice."""
    web = WebClient(SERVER_NAME="localhost")
    web.force_login(owner)
    client = clients[len(clients) // 2]
    pages = [
        ("bare view", "/bench/bare/"),
        ("client list", reverse("practice:clients")),
        ("client list, search", reverse("practice:clients") + "?q=Greta"),
        ("client list, last page", reverse("practice:clients") + "?page=last"),
        ("client list, needs attention", reverse("practice:clients") + "?show=attention"),
        ("client list, most to look at first", reverse("practice:clients") + "?sort=attention"),
        ("the practice's day (home)", reverse("home")),
        ("timeline", reverse("clinic:timeline", kwargs={"client_id": client.pk})),
    ]
    print(
        f"{made.clients} clients: {made.sessions:,} sessions ({made.sessions / made.clients:.0f} "
        f"each), {made.planned:,} planned-session rows, {made.intakes:,} intakes, "
        f"{made.notes:,} notes, {made.ratings:,} ratings, {made.photos:,} photos, "
        f"{made.readings:,} readings; made in {made.seconds:.0f} s"
    )
    # The kept signals made, as the photo worker's sweep makes them in a running app (the
    # practice was written with bulk_create, which no receiver sees).
    fetch(web, reverse("practice:clients"))
    floor: tuple[float, float, float] | None = None
    for name, url in pages:
        count, size = queries(web, url)
        times, cpu = timings(lambda: fetch(web, url), requests)  # noqa: B023
        median, high, cpu_median = statistics.median(times), p95(times), statistics.median(cpu)
        if floor is None:
            floor = (median, high, cpu_median)
            ratio = ""
        else:
            ratio = (
                f" ({median / floor[0]:.0f}× / {high / floor[1]:.0f}× the bare view; "
                f"processor {cpu_median / floor[2]:.0f}×)"
            )
        print(
            f"  {name}: median {median * 1000:.2f} ms, p95 {high * 1000:.2f} ms, "
            f"processor median {cpu_median * 1000:.2f} ms{ratio}, "
            f"{count} queries, {size / 1024:.0f} KiB"
        )
    # The first visit of a day works every client's kept signals out again (the photo worker
    # does it ahead when it runs; here nothing does).
    url = reverse("practice:clients")
    times, cpu = timings(lambda: fetch(web, url), 5, before=_a_new_day)
    assert floor is not None
    print(
        f"  client list, first visit of a day (every client's signals worked out again): "
        f"median {statistics.median(times) * 1000:.2f} ms, processor median "
        f"{statistics.median(cpu) * 1000:.2f} ms ({statistics.median(times) / floor[0]:.0f}× the "
        f"bare view), 5 requests"
    )


def _a_new_day() -> None:
    ClientAttention.objects.update(computed_on=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--years", type=float, default=5)
    parser.add_argument("--requests", type=int, default=30, help="requests per figure")
    parser.add_argument(
        "--scaling",
        default="",
        help="smaller practices measured first, e.g. 50x1,50x5 (clients x years)",
    )
    args = parser.parse_args()
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.DEBUG = False
    postgres = connection.vendor == "postgresql"
    if postgres:
        # A name of its own, so that a test run on the same server is never disturbed.
        connection.settings_dict["TEST"]["NAME"] = f"bench_practice_{os.getpid()}"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    today = dt.date.today()
    sizes = [tuple(s.split("x")) for s in args.scaling.split(",") if s]
    sizes.append((str(args.clients), str(args.years)))
    try:
        print(
            f"database: {connection.vendor}; {args.requests} requests per figure; times are "
            "whole requests through django.test.Client, signed in as the practice's owner"
        )
        for n_clients, years in sizes:
            owner, clients, made = make_practice(int(n_clients), float(years), today)
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            measure(owner, clients, made, args.requests)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                print(f"database size: {cursor.fetchone()[0]}")
        else:
            size = Path(settings.DATABASES["default"]["NAME"]).stat().st_size
            print(f"database size: {size / 2**20:.0f} MiB")
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        else:
            connection.close()
        shutil.rmtree(HOME, ignore_errors=True)  # the SQLite file is close to 1 GB at full size
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"Django {django.get_version()}"
    )


if __name__ == "__main__":
    sys.exit(main())
