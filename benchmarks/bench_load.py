"""Benchmark: collagen-coach under load, measured with Locust, against a bare view served by the
same server in the same run.

What it does, all on this computer (127.0.0.1 only):

1. makes a throwaway PostgreSQL database (``--database-url``, dropped and made again) and seeds
   it (``load/seed.py``): self-carers and a practice's clients, each with weeks of history;
2. starts ``collagen-coach serve --no-worker`` on it, with the floor's address added
   (``load/load_settings.py``: only this benchmark serves it);
3. runs Locust headless, bounded in users, spawn rate and time, one phase after another:
   each single address alone with ``--users`` users (the floor, the Today page, the coach's
   Today, the API's list of sessions), then the whole scenario (self-carers and practitioners)
   with ``--users`` and with ``--many`` users;
4. prints each phase's requests, failures, requests/s, p50 and p95, and each page's throughput
   as a share of the floor's.

Run: .venv/bin/python benchmarks/bench_load.py [--users 50] [--many 200] [--seconds 30]
     [--self-carers 60] [--clients 40] [--weeks 12] [--threads 4]
     [--database-url postgres://postgres@127.0.0.1:5432/collagen_coach_load]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
LOAD = ROOT / "benchmarks" / "load"
BIN = Path(sys.executable).parent
# The phases that measure one address alone: (locust user class, the name its requests carry).
ALONE = [
    ("Floor", "bare view (floor)"),
    ("Home", "Today (home)"),
    ("CoachToday", "Today (coach)"),
    ("ApiList", "API sessions list"),
]


def remake_database(url: str) -> None:
    """Drop the database ``url`` names and make it again, empty."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        sys.exit(f"--database-url: {name!r} is not a plain database name")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("the server did not start")


def locust(
    env: dict[str, str], port: int, classes: list[str], users: int, seconds: int, out: Path
) -> list[dict[str, str]]:
    """Run Locust headless with ``classes``; give its statistics rows (one per request name)."""
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOAD / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--reset-stats",
        "--only-summary",
        "--csv",
        str(out),
        "--loglevel",
        "WARNING",
        *classes,
    ]
    subprocess.run(
        command, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    with open(f"{out}_stats.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def line(row: dict[str, str]) -> str:
    return (
        f"{row['Name']:<22} {int(row['Request Count']):>7} {int(row['Failure Count']):>5} "
        f"{float(row['Requests/s']):>8.1f} {float(row['50%']):>7.0f} {float(row['95%']):>7.0f}"
        f" {float(row['Max Response Time']):>7.0f}"
    )


HEADER = (
    f"{'request':<22} {'count':>7} {'fails':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
    f"{'max ms':>7}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--many", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--self-carers", type=int, default=60)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--alone-only", action="store_true", help="measure each address alone, not the scenario"
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/collagen_coach_load"
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="collagen-coach-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "COLLAGEN_COACH_HOME": str(home),
        "SECRET_KEY": "load-test-only",
        "DJANGO_SETTINGS_MODULE": "load_settings",
        # The floor's settings first; a PYTHONPATH given runs another copy of the product's code.
        "PYTHONPATH": os.pathsep.join([str(LOAD), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "LOAD_PEOPLE": str(home / "people.json"),
    }
    env.pop("DEBUG", None)
    server = None
    try:
        remake_database(args.database_url)
        began = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(LOAD / "seed.py"),
                env["LOAD_PEOPLE"],
                str(args.self_carers),
                str(args.clients),
                str(args.weeks),
            ],
            env=env,
            check=True,
        )
        print(f"seeding took {time.perf_counter() - began:.0f} s")
        port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "collagen-coach"),
                "serve",
                "--no-worker",
                "--port",
                str(port),
                "--threads",
                str(args.threads),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until_up(port)
        print(
            f"{platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}, "
            f"waitress {args.threads} threads, PostgreSQL; load average before: "
            f"{os.getloadavg()[0]:.1f}"
        )
        print(f"product code from {importlib.util.find_spec('collagen_coach').origin}")
        # Warm up: every page's code and templates loaded once.
        locust(env, port, ["SelfCarer", "Practitioner", "Floor"], 4, 5, home / "warm")
        floor_rps = 0.0
        print(f"\n{args.users} users, {args.seconds} s, each address alone")
        print(HEADER + "   share of floor")
        for user_class, name in ALONE:
            rows = locust(env, port, [user_class], args.users, args.seconds, home / user_class)
            row = next(r for r in rows if r["Name"] == name)
            rps = float(row["Requests/s"])
            floor_rps = floor_rps or rps
            print(f"{line(row)}   {100 * rps / floor_rps:>5.0f} %")
        for users in () if args.alone_only else (args.users, args.many):
            print(
                f"\nthe whole scenario, {users} users (self-carers : practitioners = 3 : 1), "
                f"{args.seconds} s"
            )
            print(HEADER)
            rows = locust(
                env, port, ["SelfCarer", "Practitioner"], users, args.seconds, home / f"mix{users}"
            )
            for row in rows:
                print(line(row))
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
