"""A store file that is empty, damaged or read-only is refused on start, in one line that says
what is wrong and how to restore it, and nothing is written to it."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest

from .processes import CLI, embedded_env, run_cli

STORE = "collagen-coach.sqlite3"
NOBODY = 65534
# Commands that only read, that write, and the web server: each must refuse the store on start.
COMMANDS = [
    pytest.param(["journal"], id="journal"),
    pytest.param(["log", "peptides", "--grams", "5"], id="log-peptides"),
    pytest.param(["serve", "--no-worker", "--port", "{port}"], id="serve"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_cli(*[arg.replace("{port}", str(_free_port())) for arg in argv], env=env)


def _digest(home: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(home.iterdir())}


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Give a store file holding 3000 readings, checkpointed into the one file."""
    work = tmp_path_factory.mktemp("good-store")
    today = dt.date.today()
    rows = [
        f"{today - dt.timedelta(days=i % 300)},cutometer,R{i % 9},cheeks,left,{i / 1000}"
        for i in range(3000)
    ]
    readings = work / "readings.csv"
    readings.write_text("date,instrument,parameter,zone,side,value\n" + "\n".join(rows) + "\n")
    env = embedded_env(work / "home")
    done = run_cli("import", "readings", str(readings), env=env)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(work / "home" / STORE) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
    return work / "home" / STORE


def _home_with(store: Path | None, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "secret_key").write_text("not-a-secret-for-tests")
    if store is not None:
        shutil.copy(store, home / STORE)
    return home


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def _a_page_of_readings(store: Path) -> int:
    """Give the number (from 1) of a page in the middle of the readings table's leaves, wherever
    the tables before it left it."""
    with sqlite3.connect(store) as db:
        pages = [
            number
            for (number,) in db.execute(
                "SELECT pageno FROM dbstat WHERE name = 'journal_instrumentreading'"
                " AND pagetype = 'leaf' ORDER BY pageno"
            )
        ]
    db.close()
    assert len(pages) > 10  # 3000 readings
    return int(pages[len(pages) // 2])


@pytest.mark.parametrize("argv", COMMANDS)
def test_an_empty_store_file_is_refused_not_made_into_a_new_empty_store(
    tmp_path: Path, argv: list[str]
) -> None:
    home = _home_with(None, tmp_path)
    (home / STORE).touch()

    line = _one_line(_run(argv, embedded_env(home)))

    assert f"{home / STORE}: is empty (0 bytes)" in line
    assert "backup" in line
    assert (home / STORE).stat().st_size == 0


@pytest.mark.parametrize("argv", COMMANDS)
def test_a_damaged_store_is_refused_before_anything_is_written(
    tmp_path: Path, good_store: Path, argv: list[str]
) -> None:
    home = _home_with(good_store, tmp_path)
    with (home / STORE).open("r+b") as store:  # a page of readings in the middle, overwritten
        store.seek((_a_page_of_readings(home / STORE) - 1) * 4096 + 8)
        store.write(b"\xff" * 64)
    before = _digest(home)

    line = _one_line(_run(argv, embedded_env(home)))

    assert f"{home / STORE}: is damaged (" in line
    assert "backup" in line
    assert _digest(home) == before


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    home = _home_with(None, tmp_path)
    (home / STORE).write_bytes(b"these are my notes, not a database\n" * 200)

    line = _one_line(_run(["journal"], embedded_env(home)))

    assert f"{home / STORE}: is damaged (file is not a database)" in line


def test_a_sound_store_opens_as_before(tmp_path: Path, good_store: Path) -> None:
    home = _home_with(good_store, tmp_path)

    done = _run(["log", "peptides", "--grams", "5"], embedded_env(home))

    assert done.returncode == 0, done.stderr


def _run_on_read_only_home(home: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``home`` read-only: its mode for an ordinary user; for root, who may
    write any file, a read-only bind mount of it in a mount namespace of its own."""
    env = embedded_env(home)
    command = [str(CLI), *argv]
    if os.geteuid() != 0:
        (home / STORE).chmod(0o444)
        home.chmod(0o555)
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if shutil.which("unshare") is None:
        pytest.skip("as root, a read-only store needs unshare(1) for a read-only mount")
    script = f'mount --bind "{home}" "{home}" && mount -o remount,bind,ro "{home}" && exec "$@"'
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *command],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if "mount:" in done.stderr or "unshare:" in done.stderr:
        pytest.skip(f"as root, a read-only mount could not be made here: {done.stderr.strip()}")
    return done


def test_a_read_only_store_is_said_in_one_line(tmp_path: Path, good_store: Path) -> None:
    home = _home_with(good_store, tmp_path)
    before = _digest(home)

    line = _one_line(_run_on_read_only_home(home, ["log", "peptides", "--grams", "5"]))

    assert f"{home / STORE}: cannot be written (read-only" in line
    home.chmod(0o700)
    assert _digest(home) == before
