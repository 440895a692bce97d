"""Benchmark: the progress dashboard on a month and on five years of daily history, against a bare
Django view answered through the same middleware in the same run.

The history (``tests/web/history.py``): a daily plan, about 85 % of its sessions
done, a self-rating most days, peptides most days and photo measurements spread evenly, each
photo with 184 numbers (11 zones × 2 sides × 8–10 metrics). It goes into a throwaway SQLite file,
or, when DATABASE_URL names a PostgreSQL server, into a throwaway test database there.

Each figure is the wall time of a whole request through ``django.test.Client`` (session, sign-in
check, CSRF, CSP, the view and its template). The floor is a view that returns a short
``HttpResponse``: what any page costs before it does anything. Each visit is timed right after
a bare request, and each figure is compared with the median of its own bare requests, so a
machine whose load changes during the run moves both alike.

Run: .venv/bin/python benchmarks/bench_dashboard.py [--requests N] [--sizes 30,1826]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client as WebClient  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402

from collagen_coach.web.clients.models import Client  # noqa: E402
from collagen_coach.web.journal.models import PhotoMeasurement  # noqa: E402
from collagen_coach.web.journal.services import rate  # noqa: E402
from collagen_coach.web.lib.dates import today as todays_date  # noqa: E402
from collagen_coach.web.progress.models import ProgressPage  # noqa: E402
from collagen_coach.web.progress.services import forget_recent_boards  # noqa: E402
from collagen_coach.web.progress.stored_page import follow_change  # noqa: E402
from web.history import make_history  # noqa: E402

SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 7, "sagging": 3}


def bare(request: HttpRequest) -> HttpResponse:
    """The floor: a page that does nothing."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("collagen_coach.web.urls")),
]


def timed(fn: Callable[[], Any]) -> float:
    """Give the wall time of one call of ``fn`` in seconds."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def forget() -> None:
    """Forget every made dashboard (the stored analysis stays): the next visit makes it."""
    cache.clear()
    forget_recent_boards()
    ProgressPage.objects.all().delete()


def fetch(web: WebClient, url: str) -> HttpResponse:
    response = web.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="requests per figure")
    parser.add_argument("--sizes", default="30,1826", help="days of history, comma-separated")
    parser.add_argument("--photos", default="8,250", help="photos for each size")
    args = parser.parse_args()
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["localhost"]
    postgres = connection.vendor == "postgresql"
    if postgres:
        # A name of its own, so that a test run on the same server is never disturbed.
        connection.settings_dict["TEST"]["NAME"] = f"bench_dashboard_{os.getpid()}"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    today = todays_date()  # the day a followed change makes the page for
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
        photos = [int(p) for p in args.photos.split(",")]
        print(
            f"database: {connection.vendor}; {args.requests} requests per figure; "
            "times are whole requests through django.test.Client"
        )
        for days, n_photos in zip(sizes, photos, strict=True):
            user = get_user_model().objects.create_user(f"p{days}", None, "a long passphrase 1")
            client = Client.objects.create(display_name=f"Person {days}", account=user)
            made = time.perf_counter()
            history = make_history(client, today=today, days=days, photos=n_photos)
            made = time.perf_counter() - made
            web = WebClient(SERVER_NAME="localhost")
            web.force_login(user)
            forget()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                page = fetch(web, "/progress/")
                first = time.perf_counter() - start
            first_queries = len(captured)
            with CaptureQueriesContext(connection) as captured:
                fetch(web, "/progress/")
            cached_queries = len(captured)
            with CaptureQueriesContext(connection) as captured:
                fetch(web, "/bench/bare/")
            bare_queries = len(captured)
            # Each visit is timed just after a bare view, whose times are its figure's floor:
            # the machine's load moves both alike.
            floors: dict[str, list[float]] = {}

            def visit(figure: str) -> float:
                floors.setdefault(figure, []).append(timed(lambda: fetch(web, "/bench/bare/")))  # noqa: B023
                return timed(lambda: fetch(web, "/progress/"))  # noqa: B023

            fetch(web, "/progress/")
            board = [visit("unchanged") for _ in range(args.requests)]

            def uncached() -> float:
                forget()
                return visit("fresh")

            fresh = [uncached() for _ in range(max(3, args.requests // 5))]
            forget()
            with CaptureQueriesContext(connection) as captured:
                fetch(web, "/progress/")
            store_queries = len(captured)
            after_rating, after_photo, behind, saving = [], [], [], []
            for n in range(max(3, args.requests // 2)):
                # Saving a rating queues its following; then what the worker does with it.
                start = time.perf_counter()
                rate(client, today - dt.timedelta(days=n), **SCORES)
                saving.append(time.perf_counter() - start)
                follow_change(client, today, ["ratings"])
                after_rating.append(visit("after_rating"))
                photo = PhotoMeasurement.objects.filter(client=client).order_by("-pk").first()
                assert photo is not None
                photo.pk, photo.date = None, today - dt.timedelta(days=n)
                photo.save()  # the worker has not followed it yet
                with CaptureQueriesContext(connection) as captured:
                    behind.append(visit("behind"))
                behind_queries = len(captured) - bare_queries
                photo.pk = None
                photo.save()
                follow_change(client, today, ["photos"])  # what the worker does after a photo
                after_photo.append(visit("after_photo"))
            print(
                f"{days} days: {history.sessions_planned} sessions planned, "
                f"{history.sessions_done} done, {history.ratings} ratings, "
                f"{history.peptide_doses} peptide doses, {history.photos} photos "
                f"(made in {made:.1f} s); page {len(page.content) / 1024:.0f} KiB"
            )
            every_floor = [t for times in floors.values() for t in times]
            print(
                f"  bare view: median {statistics.median(every_floor) * 1000:.2f} ms, p95 "
                f"{p95(every_floor) * 1000:.2f} ms, {bare_queries} queries"
            )
            for name, figure, times, queries in (
                ("made in the visit (analysis stored, page not)", "fresh", fresh, store_queries),
                ("first visit after a rating", "after_rating", after_rating, cached_queries),
                (
                    "first visit after a photo (worker done)",
                    "after_photo",
                    after_photo,
                    cached_queries,
                ),
                ("first visit after a photo (worker behind)", "behind", behind, behind_queries),
                ("unchanged data", "unchanged", board, cached_queries),
            ):
                floor = statistics.median(floors[figure])
                print(
                    f"  dashboard, {name}: median {statistics.median(times) * 1000:.1f} ms, "
                    f"p95 {p95(times) * 1000:.1f} ms; its floor {floor * 1000:.2f} ms: "
                    f"{statistics.median(times) / floor:.0f}× the bare view; {queries} queries"
                )
            print(
                f"  first request after the history was made (nothing stored yet): "
                f"{first * 1000:.0f} ms, {first_queries} queries; saving a rating (its following "
                f"queued for the worker): median {statistics.median(saving) * 1000:.0f} ms"
            )
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"Django {django.get_version()}"
    )


if __name__ == "__main__":
    sys.exit(main())
