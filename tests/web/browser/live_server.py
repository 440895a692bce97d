"""The app served for real: ``collagen-coach serve`` in its own process, on a fresh data directory.

Used by the browser tests (one server for the whole run) and by the tests of ``serve`` itself.
With DATABASE_URL naming a PostgreSQL server, the served app gets a new database of its own on
that server (created here, dropped afterwards), never the one the URL names.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from web.processes import CLI, embedded_env

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


def free_port() -> int:
    """Give a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.startswith(("postgres://", "postgresql://"))  # type: ignore[union-attr]


def _psycopg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


@contextmanager
def fresh_database(base_url: str | None, label: str) -> Iterator[str | None]:
    """Give the URL of a new, empty PostgreSQL database beside the one ``base_url`` names, and
    drop it afterwards; give None (SQLite in the data directory) when ``base_url`` is not
    PostgreSQL."""
    if not base_url or not is_postgres(base_url):
        yield None
        return
    import psycopg

    name = f"cc_{label}_{os.getpid()}_{secrets.token_hex(3)}"
    head, _, _ = base_url.rpartition("/")
    with psycopg.connect(_psycopg_url(base_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{head}/{name}"
    finally:
        with psycopg.connect(_psycopg_url(base_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def lan_arguments() -> tuple[list[str], str]:
    """Give the arguments of ``serve`` that serve on the home network, and the address served:
    the first home address of this machine, or, on a machine without one, 127.0.0.2 standing for
    one (the hidden ``--lan-address``: the same certificate and server, the address chosen)."""
    from collagen_coach.web.phone.addresses import home_addresses

    found = home_addresses()
    if found:
        return ["--lan"], str(found[0])
    return ["--lan-address", "127.0.0.2"], "127.0.0.2"


@dataclass
class RunningServer:
    """A ``collagen-coach serve`` process and what it was started with."""

    url: str  # ends with "/"
    home: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path
    stopped_with: int | None = field(default=None)

    def address(self, path: str) -> str:
        """Give the full address of ``path`` (e.g. ``/accounts/login/``) on this server."""
        return self.url.rstrip("/") + path

    def output(self) -> str:
        """Give everything the server printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """Stop the server as a service manager does (SIGTERM); give its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(
                    f"the server did not stop within {STOP_TIMEOUT_S:.0f} s of SIGTERM:\n"
                    + self.output()
                ) from None
        self.stopped_with = self.process.returncode
        return self.process.returncode

    def sign_up(self, username: str, password: str = "a long passphrase 1") -> None:
        """Make an account (and its client) in the served app's database, as sign-up does."""
        script = (
            "import sys\n"
            "from collagen_coach.web.store import open_store\n"
            "open_store()\n"
            "from collagen_coach.web.accounts.services import sign_up\n"
            "sign_up(sys.argv[1], sys.argv[2])\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, username, password],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"could not make the account {username!r}:\n{done.stderr}"


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait until ``url`` answers over HTTP (any status); fail with the server's output if the
    process ends first or it takes longer than START_TIMEOUT_S."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise AssertionError(
                f"the server stopped with exit code {process.returncode} before answering:\n"
                + log.read_text(encoding="utf-8", errors="replace")
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # an answer all the same (a redirect to sign in is followed, say)
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(
                f"the server did not answer at {url} within {START_TIMEOUT_S:.0f} s:\n"
                + log.read_text(encoding="utf-8", errors="replace")
            )
        time.sleep(0.2)


@contextmanager
def running_server(
    home: Path,
    *args: str,
    database_url: str | None = None,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[RunningServer]:
    """Start ``collagen-coach serve --port PORT ARGS`` with its data in ``home`` (and on
    ``database_url`` if given; ``env``: more environment variables), wait until it answers, and
    stop it at the end."""
    port = port or free_port()
    server_env = {**embedded_env(home), "PYTHONUNBUFFERED": "1", **(env or {})}
    if database_url:
        server_env["DATABASE_URL"] = database_url
    home.mkdir(parents=True, exist_ok=True)
    log = home.parent / f"{home.name}-server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CLI), "serve", "--port", str(port), *args],
            env=server_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, as a terminal gives
        )
    server = RunningServer(
        url=f"http://127.0.0.1:{port}/", home=home, env=server_env, process=process, log=log
    )
    try:
        wait_until_answering(server.address("/static/css/app.css"), process, log)
        yield server
    finally:
        if server.stopped_with is None:
            server.stop()


@dataclass
class Clock:
    """The served app's day, moved by rewriting its clock file (``web.lib.dates``): the server and
    its worker read the new day on their next request, with no sleep and no restart."""

    path: Path

    @property
    def today(self) -> dt.date:
        return dt.date.fromisoformat(self.path.read_text(encoding="utf-8").strip())

    def set(self, day: dt.date) -> None:
        """Make ``day`` the app's today (replaced in one step: never half written)."""
        fresh = self.path.with_suffix(".new")
        fresh.write_text(day.isoformat() + "\n", encoding="utf-8")
        os.replace(fresh, self.path)

    def advance(self, days: int) -> dt.date:
        """Move the app's today on by ``days``; give the new day."""
        self.set(self.today + dt.timedelta(days=days))
        return self.today


@contextmanager
def clocked_server(
    home: Path, start: dt.date, database_url: str | None = None
) -> Iterator[tuple[RunningServer, Clock]]:
    """Start the app with a clock the test moves, starting on ``start`` (DEBUG on: the settings
    refuse a clock file otherwise)."""
    clock = Clock(home.parent / f"{home.name}-clock.txt")
    clock.set(start)
    env = {"DEBUG": "1", "COLLAGEN_COACH_CLOCK_FILE": str(clock.path)}
    with running_server(home, database_url=database_url, env=env) as server:
        yield server, clock
