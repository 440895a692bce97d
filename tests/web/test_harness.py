"""The test set-up itself: a throwaway data directory, and the database the run asked for."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from platformdirs import user_data_dir


def test_tests_keep_their_data_in_a_temporary_directory() -> None:
    home = Path(settings.HOME)
    assert home != Path(user_data_dir("collagen-coach"))
    assert home.is_relative_to(tempfile.gettempdir())


@pytest.mark.postgres
@pytest.mark.django_db
def test_storage_tests_run_on_the_database_database_url_names() -> None:
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
