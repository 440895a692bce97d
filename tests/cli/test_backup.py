"""``backup`` and ``restore``, run as an operator runs them: a store with people, sessions, journal
entries and photos is backed up into one file and restored into a fresh, empty store, which then
holds the same rows in every table and the same bytes in every file."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from web.processes import SIGN_UP, embedded_env, run_cli, run_python

TESTS = Path(__file__).parents[1]

MAKE_STORE = """
import datetime as dt
from collagen_coach.web.store import open_store
open_store()
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from collagen_coach.web.clients.models import Client
from collagen_coach.web.photos.models import Photo
from collagen_coach.web.practice.models import Membership, Practice, Role
from web.history import make_history

today = dt.date(2026, 6, 1)
for n, name in enumerate(("ann", "bob")):
    user = get_user_model().objects.create_user(name, f"{name}@example.org")
    person = Client.objects.create(display_name=name.title(), account=user)
    make_history(person, today=today, days=10, photos=2, seed=n)
    for k in range(2):
        photo = Photo(client=person, taken_on=today, original_name="me.jpg")
        photo.image.save("me.jpg", ContentFile(bytes([n, k, 7]) * 1000), save=False)
        photo.overlay.save("me.jpg", ContentFile(b"overlay" + bytes([n, k])), save=False)
        photo.save()
practice = Practice.objects.create(name="Skin Studio")
Membership.objects.create(practice=practice, user=user, role=Role.OWNER)
Client.objects.create(display_name="Cora", practice=practice, owner=user)
"""

# What the app holds and serves: every table's rows, each as JSON text, sorted (two stores holding
# the same rows print the same), and ann's photos as the app sends them to her.
WHAT_IS_SERVED = """
import json
from collagen_coach.web.store import open_store
open_store()
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from collagen_coach.web.photos.models import Photo
rows = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows[table] = sorted(json.dumps(list(row), default=str) for row in cursor.fetchall())
photos = []
if User.objects.filter(username="ann").exists():
    browser = Client(HTTP_HOST="127.0.0.1")
    browser.force_login(User.objects.get(username="ann"))
    for photo in Photo.objects.filter(client__account__username="ann").order_by("pk"):
        answer = browser.get(reverse("photos:image", args=[photo.pk]))
        photos.append([photo.pk, answer.status_code, answer.content.hex()])
print(json.dumps({"rows": rows, "anns_photos": photos}))
"""

OPEN = "from collagen_coach.web.store import open_store; open_store()"

# Pairs of rows, each pair written in one transaction, as fast as it goes, until told to stop.
WRITER = """
import sys
from pathlib import Path
from collagen_coach.web.store import open_store
open_store()
from django.contrib.auth.models import User
from django.db import transaction
from collagen_coach.web.clients.models import Client
started, stop = Path(sys.argv[1]), Path(sys.argv[2])
n = 0
while not stop.exists() and n < 20000:
    with transaction.atomic():
        user = User.objects.create(username=f"writer-{n}")
        Client.objects.create(display_name=f"Writer {n}", account=user)
    n += 1
    if n == 20:
        started.touch()
"""


def with_tests_importable(env: dict[str, str]) -> dict[str, str]:
    return {**env, "PYTHONPATH": os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])}


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def refused(done: subprocess.CompletedProcess[str]) -> str:
    """Give the one line a refused command printed, checked to be one line and exit code 2."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr


def files_of(home: Path) -> dict[str, bytes]:
    """Give every photo and overlay file of a data folder, by path inside it."""
    return {
        path.relative_to(home).as_posix(): path.read_bytes()
        for path in sorted((home / "photos").rglob("*"))
        if path.is_file()
    }


def served(env: dict[str, str]) -> dict[str, Any]:
    """Give what the store of ``env`` holds and serves (WHAT_IS_SERVED)."""
    found: dict[str, Any] = json.loads(ok(run_python(WHAT_IS_SERVED, env)))
    return found


def home_of(env: dict[str, str]) -> Path:
    return Path(env["COLLAGEN_COACH_HOME"])


def rewrite(archive: Path, into: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Copy the zip ``archive`` into ``into`` with each entry's bytes passed through ``change``
    (a valid zip again: its own checksums match the changed bytes)."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(into, "w") as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name)))


@pytest.fixture(scope="module")
def new_postgresql_database() -> Iterator[Callable[[], str]]:
    """Give a maker of new, empty PostgreSQL databases beside the one DATABASE_URL names, all
    dropped when the module's tests are done."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs DATABASE_URL naming a PostgreSQL server (scripts/test sets it)")
    import psycopg

    server, made = url.replace("postgres://", "postgresql://", 1), []

    def make() -> str:
        name = f"collagen_coach_restore_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return url.rsplit("/", 1)[0] + "/" + name

    yield make
    with psycopg.connect(server, autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class BackedUp:
    """A store with people, sessions, journal entries and photos, what it serves, and its
    backup."""

    origin: dict[str, str]
    served: dict[str, Any]
    archive: Path


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.postgres_only]),
    ],
)
def backed_up(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BackedUp:
    """Give a store (SQLite, or a new PostgreSQL database), made once for the module, and its
    backup; the tests leave both as they are."""
    folder = tmp_path_factory.mktemp(request.param)
    origin = with_tests_importable(embedded_env(folder / "origin"))
    if request.param == "postgresql":
        origin["DATABASE_URL"] = request.getfixturevalue("new_postgresql_database")()
    ok(run_python(MAKE_STORE, origin))
    archive = folder / "backup.zip"
    ok(run_cli("backup", str(archive), env=origin))
    return BackedUp(origin, served(origin), archive)


@pytest.fixture
def target(backed_up: BackedUp, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """Give a fresh, empty store of the backed-up one's kind, with its own data folder."""
    env = with_tests_importable(embedded_env(tmp_path / "target"))
    if "DATABASE_URL" in backed_up.origin:
        env["DATABASE_URL"] = request.getfixturevalue("new_postgresql_database")()
    return env


def test_a_restored_store_holds_every_row_and_every_file_of_the_one_backed_up(
    backed_up: BackedUp, target: dict[str, str]
) -> None:
    restored = json.loads(ok(run_cli("restore", str(backed_up.archive), "--json", env=target)))
    assert restored["files"] == 8  # two people, two photos each, each with its overlay
    before, after = backed_up.served, served(target)
    assert before["rows"].keys() == after["rows"].keys()
    for table in before["rows"]:
        assert after["rows"][table] == before["rows"][table], f"{table} is restored as it was"
    assert before["rows"]["journal_sessionlog"]
    assert before["rows"]["journal_selfrating"]
    assert files_of(home_of(target)) == files_of(home_of(backed_up.origin))
    assert after["anns_photos"] == before["anns_photos"]
    assert [status for _, status, _ in after["anns_photos"]] == [200, 200]


def test_a_store_opened_but_still_empty_takes_the_restore(
    backed_up: BackedUp, target: dict[str, str]
) -> None:
    ok(run_python(OPEN, target))  # migrated (as `serve` leaves it), no one's records yet
    ok(run_cli("restore", str(backed_up.archive), env=target))
    assert served(target) == backed_up.served


def test_the_backup_is_readable_by_its_owner_only_and_lists_every_file_with_its_checksum(
    backed_up: BackedUp,
) -> None:
    archive = backed_up.archive
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        stored = {
            name.removeprefix("files/"): zf.read(name)
            for name in zf.namelist()
            if name.startswith("files/")
        }
    assert stored == files_of(home_of(backed_up.origin))
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        path: hashlib.sha256(data).hexdigest() for path, data in stored.items()
    }
    assert manifest["database"]["tables"]["clients_client"] == 3
    assert "0001_initial" in manifest["database"]["migrations"]["journal"]
    assert manifest["product_version"]
    assert manifest["made_at"]
    assert sorted(p.name for p in archive.parent.iterdir()) == ["backup.zip", "origin"]


def test_an_existing_file_is_replaced_only_when_forced(backed_up: BackedUp, tmp_path: Path) -> None:
    archive = tmp_path / "backup.zip"
    archive.write_bytes(b"an older file")
    assert "--force" in refused(run_cli("backup", str(archive), env=backed_up.origin))
    assert archive.read_bytes() == b"an older file"
    ok(run_cli("backup", str(archive), "--force", env=backed_up.origin))
    assert zipfile.is_zipfile(archive)


def test_a_data_folder_without_a_store_has_nothing_to_back_up(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "home")
    assert "no store" in refused(run_cli("backup", str(tmp_path / "backup.zip"), env=env))
    assert not (tmp_path / "backup.zip").exists()


def flip_a_byte_of_a_photo(archive: Path, into: Path) -> None:
    """Change one byte of the first photo where it lies in the archive (zip's CRC then fails)."""
    with zipfile.ZipFile(archive) as zf:
        name = next(n for n in zf.namelist() if n.startswith("files/photos/"))
        photo = zf.read(name)
    data = bytearray(archive.read_bytes())
    at = data.index(photo) + len(photo) // 2
    data[at] ^= 0xFF
    into.write_bytes(bytes(data))


def change_a_photo_and_its_zip_checksum(archive: Path, into: Path) -> None:
    """Change one byte of the first photo in a zip made anew: only the manifest can tell."""
    first = min(n for n in zipfile.ZipFile(archive).namelist() if n.startswith("files/photos/"))

    def change(name: str, data: bytes) -> bytes:
        return data[:-1] + bytes([data[-1] ^ 0xFF]) if name == first else data

    rewrite(archive, into, change)


@pytest.mark.parametrize(
    "damage",
    [flip_a_byte_of_a_photo, change_a_photo_and_its_zip_checksum],
    ids=["caught-by-zip-crc", "caught-by-manifest-sha256"],
)
def test_an_archive_with_one_byte_of_a_photo_changed_is_refused_and_changes_nothing(
    backed_up: BackedUp,
    target: dict[str, str],
    tmp_path: Path,
    damage: Callable[[Path, Path], None],
) -> None:
    damaged = tmp_path / "damaged.zip"
    damage(backed_up.archive, damaged)
    message = refused(run_cli("restore", str(damaged), env=target))
    assert "not a usable collagen-coach backup" in message
    assert "nothing was changed" in message
    home = home_of(target)
    assert files_of(home) == {}
    assert not (home / "collagen-coach.sqlite3").exists()
    assert [p.name for p in home.iterdir() if p.name.startswith(".restoring")] == []
    if "DATABASE_URL" in target:
        assert served(target)["rows"]["auth_user"] == []


@pytest.mark.parametrize(
    "content",
    [b"just some text", b"PK\x03\x04 not really a zip"],
    ids=["text", "broken-zip"],
)
def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path, content: bytes) -> None:
    archive = tmp_path / "backup.zip"
    archive.write_bytes(content)
    env = embedded_env(tmp_path / "home")
    assert "not a zip archive" in refused(run_cli("restore", str(archive), env=env))


def test_a_zip_of_something_else_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("holiday.jpg", b"a photo")
    env = embedded_env(tmp_path / "home")
    assert "it has no manifest.json" in refused(run_cli("restore", str(archive), env=env))


def test_a_backup_from_a_newer_version_is_refused(
    backed_up: BackedUp, target: dict[str, str], tmp_path: Path
) -> None:
    newer = tmp_path / "newer.zip"

    def from_the_future(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["migrations"]["journal"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    rewrite(backed_up.archive, newer, from_the_future)
    message = refused(run_cli("restore", str(newer), env=target))
    assert "newer collagen-coach" in message
    assert "journal.9999_from_the_future" in message


def test_restoring_into_a_store_that_holds_records_is_refused_and_changes_nothing(
    backed_up: BackedUp, target: dict[str, str]
) -> None:
    ok(run_python(SIGN_UP, target, "dora"))
    before = served(target), files_of(home_of(target))
    message = refused(run_cli("restore", str(backed_up.archive), env=target))
    assert "already holds records" in message
    assert "nothing was changed" in message
    assert (served(target), files_of(home_of(target))) == before


def test_restoring_into_a_store_whose_photo_folder_holds_files_is_refused(
    backed_up: BackedUp, target: dict[str, str]
) -> None:
    stray = home_of(target) / "photos" / "client-9" / "left.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"a photo left behind")
    message = refused(run_cli("restore", str(backed_up.archive), env=target))
    assert "already holds files" in message
    assert stray.read_bytes() == b"a photo left behind"
    assert not (home_of(target) / "collagen-coach.sqlite3").exists()


def test_a_sqlite_backup_taken_while_another_process_writes_is_consistent(
    tmp_path: Path,
) -> None:
    origin = with_tests_importable(embedded_env(tmp_path / "origin"))
    target = embedded_env(tmp_path / "target")
    ok(run_python(MAKE_STORE, origin))
    started, stop = tmp_path / "started", tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(started), str(stop)], env=origin)
    try:
        while not started.exists():  # rows are being written when the backup starts
            assert writer.poll() is None, "the writer stopped before writing its first rows"
            time.sleep(0.02)
        archive = tmp_path / "backup.zip"
        ok(run_cli("backup", str(archive), env=origin))
    finally:
        stop.touch()
        writer.wait(timeout=120)
    assert writer.returncode == 0
    tables = json.loads(zipfile.ZipFile(archive).read("manifest.json"))["database"]["tables"]
    # Each writer transaction adds one account and one client: a snapshot taken half-way
    # through one would hold one more of either. Before the writer: 2 accounts, 3 clients.
    assert tables["auth_user"] - 2 == tables["clients_client"] - 3 >= 20
    restored = json.loads(ok(run_cli("restore", str(archive), "--json", env=target)))
    assert restored["rows"] == sum(tables.values())
    assert len(served(target)["rows"]["clients_client"]) == tables["clients_client"]


def test_a_backup_of_one_kind_of_database_is_refused_by_the_other(
    backed_up: BackedUp, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    other = embedded_env(tmp_path / "other")
    if "DATABASE_URL" not in backed_up.origin:
        other["DATABASE_URL"] = request.getfixturevalue("new_postgresql_database")()
    message = refused(run_cli("restore", str(backed_up.archive), env=other))
    assert "moving between the two is not supported" in message
    assert files_of(home_of(other)) == {}
