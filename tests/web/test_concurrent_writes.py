"""On the embedded SQLite store, a person's write waits for another process's write to end
instead of failing with "database is locked": a terminal command and an API write, made while a
third process holds the store's write lock for longer than SQLite's default 5 s wait."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .processes import embedded_env, run_cli, run_python

# Longer than the 5 s that SQLite's Python driver waits by default, after a terminal command's
# start (some seconds: Python, Django, the store's check).
HOLD_S = 12
STORE = "collagen-coach.sqlite3"

HOLD_THE_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE clients_client SET display_name = display_name")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""

SET_UP_API = """
import json
from collagen_coach.web.store import open_store
open_store()
from django.contrib.auth import get_user_model
from collagen_coach.web.clients.models import Client
from collagen_coach.web.practice.models import ApiToken
user = get_user_model().objects.create_user("ann", "ann@example.org", "a long passphrase 1")
client = Client.objects.create(display_name="Ann", account=user)
token, digest = ApiToken.new_token()
ApiToken.objects.create(user=user, name="tests", token_sha256=digest)
print(json.dumps({"client": client.pk, "token": token}))
"""

API_WRITE_WHEN_TOLD = """
import sys, time
from pathlib import Path
from collagen_coach.web.store import open_store
open_store()
from django.test import Client
client_id, token, go = sys.argv[1:4]
web = Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False,
             SERVER_NAME="localhost")
web.get(f"/api/clients/{client_id}")  # the app loaded before the lock is taken
print("ready", flush=True)
while not Path(go).exists():
    time.sleep(0.05)
answer = web.post(f"/api/clients/{client_id}/peptides",
                  {"date": time.strftime("%Y-%m-%d"), "grams": 5}, content_type="application/json")
print(answer.status_code, answer.content.decode()[:300])
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    made = run_cli("log", "peptides", "--grams", "5", env=embedded_env(home))
    assert made.returncode == 0, made.stderr
    return home


@pytest.fixture
def api_writer(home: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """Give a process ready to make one API write when its ``go`` file appears."""
    env = embedded_env(home)
    made = run_python(SET_UP_API, env)
    assert made.returncode == 0, made.stderr
    who = json.loads(made.stdout)
    go = home.parent / "go"
    writer = subprocess.Popen(
        [sys.executable, "-c", API_WRITE_WHEN_TOLD, str(who["client"]), who["token"], str(go)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
    yield writer, go
    writer.kill()
    writer.wait()


def _hold_the_write_lock(home: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(home / STORE), str(HOLD_S)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
    return holder


def test_writes_wait_for_another_process_writing_instead_of_failing(
    home: Path, api_writer: tuple[subprocess.Popen[str], Path]
) -> None:
    writer, go = api_writer
    holder = _hold_the_write_lock(home)
    go.touch()

    logged = run_cli("log", "peptides", "--grams", "2.5", env=embedded_env(home))
    answered, _ = writer.communicate(timeout=120)
    holder.wait(timeout=120)

    assert logged.returncode == 0, logged.stderr
    assert answered.startswith("201 "), answered
    with sqlite3.connect(home / STORE) as db:
        grams = sorted(float(g) for (g,) in db.execute("SELECT grams FROM journal_peptideintake"))
    assert grams == [2.5, 5.0, 5.0]
