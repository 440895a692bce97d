"""The data folder is its owner's alone: the folder 0700, the database and photos 0600, whatever
the umask of the person running the app (here the common 022, which makes files world-readable)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from .processes import embedded_env, run_cli, run_python

FACE = Path(__file__).parents[1] / "fixtures" / "faces" / "obama-240p.jpg"
STORE_A_PHOTO = """
import sys, datetime
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.clients.services import local_client
from collagen_coach.web.photos.services import store_photo
data = open(sys.argv[1], "rb").read()
photo = store_photo(local_client(), data, "me.jpg", datetime.date(2025, 3, 3))
print(photo.image.path)
"""


@pytest.fixture
def umask_022() -> Iterator[None]:
    """Run the app's processes (which inherit it) with the umask most systems default to."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_the_data_folder_and_the_database_files_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)  # made earlier, or by hand, with the umask's permissions
    env = embedded_env(home)
    done = run_cli("log", "peptides", "--grams", "5", env=env)
    assert done.returncode == 0, done.stderr
    assert mode(home) == 0o700
    database = home / "collagen-coach.sqlite3"
    files = [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))]
    modes = {f.name: mode(f) for f in files if f.exists()}
    assert database.name in modes
    assert modes == dict.fromkeys(modes, 0o600)


@pytest.mark.usefixtures("umask_022")
def test_a_stored_photo_and_its_folder_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    stored = run_python(STORE_A_PHOTO, embedded_env(home), str(FACE))
    assert stored.returncode == 0, stored.stderr
    photo = Path(stored.stdout.strip())
    assert mode(photo) == 0o600
    assert mode(photo.parent) == 0o700
