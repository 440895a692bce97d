"""Opening the store: Django configured and the database migrated, on first use, quietly.

An embedded store (one SQLite file) is checked first: a file that is empty, damaged or cannot be
written is refused with one line saying what is wrong and how to get the records back, before
anything is written to it (an empty file is never silently made into a new, empty store).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from contextlib import closing
from functools import cache
from pathlib import Path

from collagen_coach.core.errors import UserError

RESTORE = (
    "copy back your latest backup of this file, or move it aside to start a new store and "
    "bring your records back from your export zip"
)


class StoreError(UserError):
    """The store cannot be used as it is: said in one line, with how to restore it."""


@cache
def open_store() -> None:
    """Configure Django and bring the database schema up to date (idempotent, once per process).

    Raises StoreError when the SQLite file is empty, damaged or read-only.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collagen_coach.web.settings")
    import django
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        check_sqlite_file(Path(database["NAME"]))
    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    if executor.migration_plan(targets):
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    _keep_private(connection.settings_dict["NAME"] if connection.vendor == "sqlite" else None)


def _keep_private(database: str | None) -> None:
    """Make the SQLite file and its -wal and -shm companions readable by their owner only,
    whatever the umask (SQLite gives companions made later the file's own permissions)."""
    if database is None or database == ":memory:" or database.startswith("file:"):
        return
    for path in (Path(database), Path(f"{database}-wal"), Path(f"{database}-shm")):
        with contextlib.suppress(FileNotFoundError):
            path.chmod(0o600)


def check_sqlite_file(path: Path) -> None:
    """Refuse a store file that is empty, fails SQLite's ``quick_check``, or cannot be written.

    A file that does not exist yet is fine: it is created on first use.
    """
    if not path.exists():
        return
    if path.stat().st_size == 0:
        raise StoreError(
            str(path),
            "is empty (0 bytes): your records are not in it; nothing was changed",
            RESTORE,
        )
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            found = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as exc:
        raise store_problem(exc, path) or StoreError(
            str(path), f"cannot be read ({exc})", RESTORE
        ) from None
    if found != ["ok"]:
        lines = [line for row in found for line in row.splitlines() if not line.startswith("*")]
        first = lines[0] if lines else "quick_check failed"
        raise StoreError(str(path), f"is damaged ({first}); nothing was changed", RESTORE)
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise _read_only(path)


def store_problem(exc: BaseException, path: Path | None = None) -> StoreError | None:
    """Give a database failure that means the SQLite store itself is unusable (damaged, not a
    database, read-only) as a StoreError, or None for any other failure."""
    text = str(exc).lower()
    read_only = "readonly" in text or "read-only" in text
    damaged = "malformed" in text or "not a database" in text
    if not (read_only or damaged):
        return None
    if path is None:
        from django.conf import settings

        if not settings.configured:
            return None
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.sqlite3":
            return None
        path = Path(database["NAME"])
    if read_only:
        return _read_only(path)
    return StoreError(str(path), f"is damaged ({exc}); nothing was changed", RESTORE)


def _read_only(path: Path) -> StoreError:
    return StoreError(
        str(path),
        "cannot be written (read-only file, folder or disk); nothing was changed",
        f"make the file and its folder writable by you (chmod u+w {path} {path.parent})",
    )
