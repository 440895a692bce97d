"""Opening the store: Django configured and the database migrated, on first use, quietly."""

from __future__ import annotations

import os
from functools import cache


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
