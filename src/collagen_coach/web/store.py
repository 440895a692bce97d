"""Opening the store: Django configured and the database migrated, on first use, quietly."""

from __future__ import annotations

import contextlib
import os
from functools import cache
from pathlib import Path


@cache
def open_store() -> None:
    """Configure Django and bring the database schema up to date (idempotent, once per process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collagen_coach.web.settings")
    import django

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
