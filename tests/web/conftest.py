"""Fixtures for storage tests: the local client and CSV files written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collagen_coach.web.clients.models import Client

# Django models are imported inside fixtures: this file may load before Django is set up.


@pytest.fixture
def self_carer(db: None) -> Client:
    """The local client of the embedded app."""
    from collagen_coach.web.clients.services import local_client

    return local_client()


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Give a writer of files into the test's temporary directory (``name``, ``encoding``)."""

    def write(text: str, name: str = "cutometer.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write
