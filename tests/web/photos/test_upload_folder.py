"""An upload waits in the data folder, never in the system's temporary folder, and what a killed
process left there is removed when ``serve`` or the worker starts."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import RequestFactory

from collagen_coach.web.photos.worker import run_worker
from collagen_coach.web.upload_folder import start_with_clean_upload_folder

from .conftest import face_photo

# Larger than Django's in-memory limit (2.5 MB), so the upload is spooled to a file.
PHOTO_WITH_GPS = face_photo("JPEG") + bytes(3 * 1024 * 1024)


def test_an_uploads_temporary_file_is_in_the_data_folder() -> None:
    request = RequestFactory().post(
        "/photos/upload/", {"photo": _named("IMG_0001.JPG", PHOTO_WITH_GPS)}
    )

    upload = request.FILES["photo"]

    assert isinstance(upload, TemporaryUploadedFile)
    spooled = Path(upload.temporary_file_path())
    assert spooled.is_relative_to(Path(settings.HOME))
    assert spooled.read_bytes() == PHOTO_WITH_GPS
    assert oct(spooled.parent.stat().st_mode & 0o777) == oct(0o700)
    upload.close()


@pytest.fixture
def leftovers(monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Upload folders as processes leave them: one of an ended process (killed during an
    upload), this process's own, one of another computer, and a loose file."""
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)  # put back after the test
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    root = Path(settings.UPLOAD_TEMP_ROOT)
    own = Path(settings.FILE_UPLOAD_TEMP_DIR)
    host = own.name.rpartition("-")[0]
    folders = {
        "ended process": root / f"{host}-{int(ended.stdout)}",
        "this process": own,
        "another computer": root / f"another-computer-{os.getpid()}",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "tmpab12.upload.jpg").write_bytes(PHOTO_WITH_GPS)
    folders["loose file"] = root / "tmpcd34.upload.jpg"
    folders["loose file"].write_bytes(PHOTO_WITH_GPS)
    return folders


def test_what_an_ended_process_left_is_removed_on_start(leftovers: dict[str, Path]) -> None:
    removed = start_with_clean_upload_folder()

    assert sorted(removed) == sorted([leftovers["ended process"], leftovers["loose file"]])
    assert not leftovers["ended process"].exists()
    assert not leftovers["loose file"].exists()
    assert (leftovers["this process"] / "tmpab12.upload.jpg").exists()  # an upload under way
    assert (leftovers["another computer"] / "tmpab12.upload.jpg").exists()
    assert tempfile.gettempdir() == settings.FILE_UPLOAD_TEMP_DIR


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_removes_what_an_ended_process_left_when_it_starts(
    leftovers: dict[str, Path],
) -> None:
    run_worker(stop_when_idle=True, interval_s=0.05)

    assert not leftovers["ended process"].exists()
    assert (leftovers["this process"] / "tmpab12.upload.jpg").exists()


def _named(name: str, data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name  # type: ignore[attr-defined]
    return upload
