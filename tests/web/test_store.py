"""Opening the store: created and migrated on first use with no extra command, quietly."""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .processes import embedded_env, run_python

OPEN_AND_DESCRIBE = """
import json
from collagen_coach.web.store import open_store
open_store()
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from collagen_coach.web.clients.services import local_client
applied = MigrationRecorder(connection).applied_migrations()
seen = {"vendor": connection.vendor, "apps": sorted({app for app, _ in applied}),
        "client": local_client().pk}
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        seen["journal_mode"] = cursor.fetchone()[0]
print(json.dumps(seen))
"""

OUR_APPS = {"clients", "plans", "journal"}


def test_opening_the_store_in_a_fresh_home_creates_and_migrates_the_sqlite_file(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    opened = run_python(OPEN_AND_DESCRIBE, embedded_env(home))
    assert opened.returncode == 0, opened.stderr
    seen = json.loads(opened.stdout)  # nothing but our line: migrating is quiet
    assert (home / "collagen-coach.sqlite3").is_file()
    assert seen["vendor"] == "sqlite"
    assert set(seen["apps"]) >= OUR_APPS
    assert seen["journal_mode"] == "wal"
    assert opened.stderr == ""


def test_the_data_home_is_private_to_its_owner(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_python(OPEN_AND_DESCRIBE, embedded_env(home)).returncode == 0
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "secret_key").stat().st_mode) == 0o600


def test_reopening_the_store_keeps_what_was_stored(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "home")
    first = json.loads(run_python(OPEN_AND_DESCRIBE, env).stdout)
    again = run_python(OPEN_AND_DESCRIBE, env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["client"] == first["client"]


@pytest.fixture
def empty_postgresql_database() -> Iterator[str]:
    """Give the URL of a new, empty PostgreSQL database beside the one DATABASE_URL names."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs DATABASE_URL naming a PostgreSQL server (scripts/test sets it)")
    import psycopg

    server = url.replace("postgres://", "postgresql://", 1)
    name = f"collagen_coach_fresh_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.postgres_only
def test_opening_the_store_on_an_empty_postgresql_database_migrates_it(
    tmp_path: Path, empty_postgresql_database: str
) -> None:
    env = embedded_env(tmp_path / "home")
    env["DATABASE_URL"] = empty_postgresql_database
    opened = run_python(OPEN_AND_DESCRIBE, env)
    assert opened.returncode == 0, opened.stderr
    seen = json.loads(opened.stdout)
    assert seen["vendor"] == "postgresql"
    assert set(seen["apps"]) >= OUR_APPS
    assert not (tmp_path / "home" / "collagen-coach.sqlite3").exists()


@pytest.mark.django_db
def test_the_migrations_describe_the_models_as_they_are() -> None:
    from django.core.management import call_command

    # Exits with an error when a model changed without a migration for it.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
