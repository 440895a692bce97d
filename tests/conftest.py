"""Test set-up: Django runs against a throwaway data directory, never the user's own.

The data directory must be chosen before Django reads its settings, so DJANGO_SETTINGS_MODULE is
set here rather than in pyproject.toml (pytest-django would load the settings before this file).
Storage tests use pytest-django's test database: SQLite by default, PostgreSQL when DATABASE_URL
names one (``scripts/test`` runs the ``postgres``-marked tests that way too).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from s3_server import S3Bucket, S3Server

TEST_HOME = Path(tempfile.mkdtemp(prefix="collagen-coach-tests-"))
os.environ["COLLAGEN_COACH_HOME"] = str(TEST_HOME)
os.environ["DJANGO_SETTINGS_MODULE"] = "collagen_coach.web.settings"


def pytest_configure(config: pytest.Config) -> None:
    import django
    from django.conf import settings

    if Path(settings.HOME) != TEST_HOME:
        raise pytest.UsageError(
            f"Django settings were loaded before the tests could choose a temporary data "
            f"directory (they point at {settings.HOME}); unset DJANGO_SETTINGS_MODULE."
        )
    django.setup()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(TEST_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def _temporary_files_where_they_were() -> Iterator[None]:
    """Put back Python's temporary folder after each test: starting a worker or a server in the
    test process sends its temporary files into the data folder (web.upload_folder)."""
    before = tempfile.tempdir
    yield
    tempfile.tempdir = before


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """A real S3-compatible server (moto's server mode) for the whole run, started when a test
    first needs it; its made-up credentials are in this process's environment for boto3."""
    from s3_server import CREDENTIALS, running_s3_server

    before = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    try:
        with running_s3_server(tmp_path_factory.mktemp("s3") / "moto.log") as server:
            yield server
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def s3_bucket(s3_server: S3Server) -> S3Bucket:
    """A new, empty bucket on the test server."""
    return s3_server.new_bucket()
