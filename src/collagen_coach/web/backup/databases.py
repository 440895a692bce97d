"""The database half of a backup: a consistent snapshot taken out of the store, and loaded back.

SQLite: Python's ``sqlite3`` online backup API copies every page in one step, inside one read
transaction, so a server and a worker writing meanwhile are neither blocked for long nor seen
half-way (in WAL mode readers and one writer run side by side). The copy is counted afterwards:
its counts are those of the snapshot.

PostgreSQL: ``pg_dump`` in its custom format (the one ``pg_restore`` reads), on a snapshot
exported from a repeatable-read transaction in which the rows are counted too, so the counts in
the manifest are those of the dump however busy the server is (``pg_dump --snapshot``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collagen_coach.core.errors import UserError

# Tables every migrated store fills by itself: they hold no one's records.
BOOKKEEPING = frozenset({"django_migrations", "django_content_type", "auth_permission"})
# libpq's connection keywords that DATABASE_URL's query string may carry into OPTIONS.
LIBPQ_OPTIONS = frozenset(
    {
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslpassword",
        "options",
        "connect_timeout",
        "application_name",
        "target_session_attrs",
        "channel_binding",
    }
)
CLIENT_TOOLS = "PostgreSQL's client tools (pg_dump and pg_restore, the server's major version)"


@dataclass(frozen=True)
class Contents:
    """What a database holds: rows per table, and the migrations applied (app → names)."""

    tables: dict[str, int]
    migrations: dict[str, list[str]]

    def records(self) -> dict[str, int]:
        """Give the tables that hold someone's records, with their row counts."""
        return {name: n for name, n in self.tables.items() if n and name not in BOOKKEEPING}


def _migrations(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


# SQLite ------------------------------------------------------------------------------------------


def _sqlite_quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_contents(db: sqlite3.Connection) -> Contents:
    """Count every table's rows and read the migrations applied, in one read transaction."""
    db.execute("BEGIN")
    try:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables = {
            name: db.execute(f"SELECT count(*) FROM {_sqlite_quoted(name)}").fetchone()[0]
            for name in names
        }
        migrations = _migrations(
            db.execute("SELECT app, name FROM django_migrations")
            if "django_migrations" in tables
            else []
        )
    finally:
        db.execute("ROLLBACK")
    return Contents(tables, migrations)


def sqlite_snapshot(database: Path, into: Path) -> Contents:
    """Copy the SQLite store ``database`` into the new file ``into``, consistently, while others
    may go on writing; give what the copy holds."""
    with (
        closing(sqlite3.connect(database, timeout=60, isolation_level=None)) as source,
        closing(sqlite3.connect(into, isolation_level=None)) as copy,
    ):
        source.backup(copy)  # pages=-1: every page in one step, under one read lock
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return sqlite_contents(copy)


def sqlite_file_contents(path: Path) -> Contents:
    """Give what the SQLite file ``path`` holds (read only; an absent file holds nothing)."""
    if not path.exists():
        return Contents({}, {})
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, isolation_level=None, timeout=60)) as db:
        return sqlite_contents(db)


def sqlite_check_copy(path: Path) -> None:
    """Refuse a database file from an archive that SQLite finds damaged."""
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            found = db.execute("PRAGMA integrity_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        found = str(exc)
    if found != "ok":
        raise ValueError(f"its database fails SQLite's integrity check ({found})")


# PostgreSQL --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Postgres:
    """A PostgreSQL database as Django's settings name it, reached by psycopg and the client
    tools with the same connection settings (the password only through the environment)."""

    settings: dict[str, Any]

    def params(self) -> dict[str, str]:
        """Give libpq's connection keywords, the password left out."""
        found = {
            "dbname": self.settings.get("NAME"),
            "user": self.settings.get("USER"),
            "host": self.settings.get("HOST"),
            "port": self.settings.get("PORT"),
        }
        options = self.settings.get("OPTIONS") or {}
        found.update({key: value for key, value in options.items() if key in LIBPQ_OPTIONS})
        return {key: str(value) for key, value in found.items() if value not in (None, "")}

    def connect(self, autocommit: bool = False) -> Any:
        import psycopg
        from psycopg.conninfo import make_conninfo

        password = self.settings.get("PASSWORD") or None
        conninfo = make_conninfo(**self.params(), password=password)
        return psycopg.connect(conninfo, autocommit=autocommit)

    def run(self, tool: str, *args: str) -> None:
        """Run ``pg_dump`` or ``pg_restore`` on this database; its first error line if it fails."""
        from psycopg.conninfo import make_conninfo

        program = shutil.which(tool)
        if program is None:
            raise UserError(tool, "was not found on this computer", f"install {CLIENT_TOOLS}")
        env = dict(os.environ)
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = str(self.settings["PASSWORD"])
        done = subprocess.run(
            [program, *args, f"--dbname={make_conninfo(**self.params())}"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            problem = lines[0] if lines else f"ended with exit code {done.returncode}"
            raise UserError(tool, f"failed: {problem}", f"a working {CLIENT_TOOLS}")


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_contents(cursor: Any) -> Contents:
    from psycopg import sql

    tables = {}
    for name in _pg_tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name)))
        tables[name] = cursor.fetchone()[0]
    rows: list[tuple[str, str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        rows = cursor.fetchall()
    return Contents(tables, _migrations(rows))


def postgres_snapshot(database: Postgres, into: Path) -> Contents:
    """Dump ``database`` into the file ``into`` (pg_dump's custom format) and give what the dump
    holds, counted on the very snapshot it was made from."""
    from psycopg import IsolationLevel

    with closing(database.connect()) as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            contents = _pg_contents(cursor)
            # The exporting transaction stays open until pg_dump has taken the snapshot up.
            database.run(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={into}",
            )
        conn.rollback()
    return contents


def postgres_contents(database: Postgres) -> Contents:
    """Give what ``database`` holds, counted in one repeatable-read transaction."""
    from psycopg import IsolationLevel

    with closing(database.connect()) as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        with conn.cursor() as cursor:
            contents = _pg_contents(cursor)
        conn.rollback()
    return contents


def postgres_empty(database: Postgres) -> None:
    """Drop every table of the database's schema (its store holds no records: checked before)."""
    from psycopg import sql

    with closing(database.connect(autocommit=True)) as conn, conn.cursor() as cursor:
        tables = _pg_tables(cursor)
        if tables:
            names = sql.SQL(", ").join(sql.Identifier(name) for name in tables)
            cursor.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(names))


def postgres_load(database: Postgres, dump: Path) -> None:
    """Load a dump made by :func:`postgres_snapshot` into ``database``, all or nothing."""
    postgres_empty(database)
    database.run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        str(dump),
    )
