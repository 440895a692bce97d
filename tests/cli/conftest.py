"""The command line's tests run ``collagen-coach`` as a user does, in a fresh data folder.

A test marked ``postgres`` runs on a fresh PostgreSQL database when DATABASE_URL names a
PostgreSQL server, as the account maria the command line is told to work for.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from web.processes import embedded_env, shared_database_env
from web.test_store import empty_postgresql_database  # noqa: F401 (a fixture, asked for by name)


def postgresql_named() -> bool:
    """Whether DATABASE_URL names a PostgreSQL server."""
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture
def env(tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """The app's environment with a fresh data folder, and, for a test marked ``postgres``, a
    fresh PostgreSQL database when DATABASE_URL names a PostgreSQL server."""
    env = embedded_env(tmp_path / "home")
    if request.node.get_closest_marker("postgres") and postgresql_named():
        env = shared_database_env(env, request.getfixturevalue("empty_postgresql_database"))
    return env


@pytest.fixture
def unnamed_env(tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """A fresh data folder on a shared database where maria has signed up (no account named):
    a fresh PostgreSQL database when DATABASE_URL names a PostgreSQL server, else a SQLite file."""
    if postgresql_named():
        database_url = request.getfixturevalue("empty_postgresql_database")
    else:
        database_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    env = shared_database_env(embedded_env(tmp_path / "home"), database_url, "maria")
    del env["COLLAGEN_COACH_USER"]
    return env
