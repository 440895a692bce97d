"""Benchmark: a 100,000-row readings import from the terminal while a person writes through the
API and the terminal at the same time, on the embedded SQLite store.

Three kinds of process share one fresh data folder:

- the **import**: ``collagen-coach import readings`` of a 100,000-row CSV (3 instruments'
  parameters, 11 zones, two sides, a year of days), as a person would run it;
- an **API writer**: a process of its own sending ``POST /api/clients/{id}/peptides`` through
  the whole Django stack (``django.test.Client``, a personal API token) one after another, from
  just before the import starts until it has ended, then ``--after`` more;
- **terminal writes**: ``collagen-coach log rating`` run again and again beside them.

It reports how many writes failed (an answer of 500 or more, a non-zero exit) and how long the
slowest one waited. No write of a person may fail because another process is writing.

Run: .venv/bin/python benchmarks/bench_concurrent_writes.py [--rows 100000] [--after 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = Path(sys.executable).with_name("collagen-coach")
PARAMETERS = ["R0", "R2", "R5", "R7", "F0", "Q1", "Q2", "Q3", "Ua"]
ZONES = ["forehead", "glabella", "temples", "crows_feet", "under_eye", "cheeks"]
ZONES += ["nasolabial", "mouth", "jawline", "chin", "neck"]
RATING = ["--elasticity", "5", "--fine-lines", "4", "--glow", "6", "--sagging", "5"]

SET_UP = """
import json, sys
from collagen_coach.web.store import open_store
open_store()
from django.contrib.auth import get_user_model
from collagen_coach.web.clients.models import Client
from collagen_coach.web.practice.models import ApiToken
user = get_user_model().objects.create_user("ann", "ann@example.org", "a long passphrase 1")
client = Client.objects.create(display_name="Ann", account=user)
token, digest = ApiToken.new_token()
ApiToken.objects.create(user=user, name="bench", token_sha256=digest)
print(json.dumps({"client": client.pk, "token": token}))
"""

API_WRITER = """
import json, sys, time
from pathlib import Path
from collagen_coach.web.store import open_store
open_store()
from django.test import Client
client_id, token, started, stop, after, out = sys.argv[1:7]
web = Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False,
             SERVER_NAME="localhost")
url = f"/api/clients/{client_id}/peptides"
body = {"date": time.strftime("%Y-%m-%d"), "grams": 5, "product": "bench"}
waits, starts, failed, errors, extra = [], [], 0, [], None
web.get(f"/api/clients/{client_id}")  # the first request loads the whole app: not a wait
Path(started).touch()
while extra is None or extra > 0:
    if extra is None and Path(stop).exists():
        extra = int(after)
    if extra is not None:
        extra -= 1
    begun = time.perf_counter()
    try:
        answer = web.post(url, body, content_type="application/json")
        ok = answer.status_code == 201
        if not ok:
            errors.append(f"{answer.status_code} {answer.content[:200]!r}")
    except Exception as exc:
        ok = False
        errors.append(repr(exc)[:200])
    waits.append(time.perf_counter() - begun)
    starts.append(time.time())
    failed += not ok
seen = {"waits": waits, "starts": starts, "failed": failed, "errors": errors[:5]}
Path(out).write_text(json.dumps(seen))
"""


def _readings_csv(path: Path, rows: int) -> None:
    today = dt.date.today()
    lines = ["date,instrument,parameter,zone,side,value,unit"]
    for i in range(rows):
        day = today - dt.timedelta(days=1 + i % 365)
        parameter = PARAMETERS[(i // 365) % len(PARAMETERS)]
        zone = ZONES[(i // (365 * len(PARAMETERS))) % len(ZONES)]
        side = ("left", "right")[(i // (365 * len(PARAMETERS) * len(ZONES))) % 2]
        lines.append(f"{day},cutometer,{parameter},{zone},{side},{0.3 + (i % 977) / 2000:.4f},")
    path.write_text("\n".join(lines) + "\n")


def _log_rating(env: dict[str, str], days_ago: int) -> subprocess.CompletedProcess[str]:
    when = dt.date.today() - dt.timedelta(days=days_ago)
    return subprocess.run(
        [str(CLI), "log", "rating", "--date", str(when), "--firmness", "6", *RATING],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--after", type=int, default=200, help="API writes after the import")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="collagen-coach-bench-writes-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["COLLAGEN_COACH_HOME"] = str(work / "home")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        made = subprocess.run(
            [sys.executable, "-c", SET_UP], env=env, capture_output=True, text=True, check=True
        )
        who = json.loads(made.stdout)
        readings = work / "readings.csv"
        _readings_csv(readings, args.rows)
        began = time.perf_counter()
        _log_rating(env, 400)
        alone_s = time.perf_counter() - began
        started, stop, out = work / "started", work / "stop", work / "api.json"
        arguments = [str(who["client"]), who["token"], str(started), str(stop)]
        arguments += [str(args.after), str(out)]
        writer = subprocess.Popen(
            [sys.executable, "-c", API_WRITER, *arguments],
            env=env,
        )
        while not started.exists():
            time.sleep(0.05)
        begun = time.perf_counter()
        wall_begun = time.time()
        importing = subprocess.Popen(
            [str(CLI), "import", "readings", str(readings)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        cli_waits: list[float] = []
        cli_errors: list[str] = []
        day = 0
        while importing.poll() is None:
            day += 1
            began = time.perf_counter()
            logged = _log_rating(env, day)
            cli_waits.append(time.perf_counter() - began)
            if logged.returncode != 0:
                cli_errors.append(logged.stderr.strip()[:200])
        import_s = time.perf_counter() - begun
        import_out, import_err = importing.communicate()
        stop.touch()
        writer.wait()
        api = json.loads(out.read_text())
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"import of {args.rows} rows: {import_s:.1f} s, exit {importing.returncode}: "
        f"{(import_out or import_err).strip()[:200]}"
    )
    waits = sorted(api["waits"])
    print(
        f"API writes: {len(waits)}, failed {api['failed']}, "
        f"slowest {waits[-1]:.2f} s, median {waits[len(waits) // 2] * 1000:.0f} ms"
    )
    slow = sorted(zip(api["waits"], api["starts"], strict=True), reverse=True)[:5]
    print(
        "slowest API writes (s after the import began, s waited):",
        [(round(at - wall_begun, 1), round(w, 2)) for w, at in slow],
    )
    for error in api["errors"]:
        print(f"  API error: {error}")
    print(
        f"terminal log rating: {len(cli_waits)}, failed {len(cli_errors)}, "
        f"slowest {max(cli_waits, default=0):.2f} s, each a whole process "
        f"(alone, before the import: {alone_s:.2f} s)"
    )
    for error in cli_errors[:5]:
        print(f"  terminal error: {error}")


if __name__ == "__main__":
    main()
