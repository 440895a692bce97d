"""Where uploads wait while they are read: a folder of this process's own in the data folder.

A photo is uploaded with everything its camera wrote into it (often the GPS position of the
person's home). Django spools an upload larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a named
temporary file, by default in the system's temporary folder, and a process killed during the
upload leaves it there. Here it goes to ``UPLOAD_TEMP_ROOT/<host>-<pid>`` inside the data folder
instead; ``serve`` and ``worker`` remove, when they start, the folders of processes of this
computer that are gone (several processes may share one data folder, so a folder whose process
still runs is left alone), and send every other temporary file of theirs to their own folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


def own_upload_folder() -> Path:
    """Give this process's upload folder, made (owner-only) if it is not there yet."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)  # whatever the umask, or whoever made it first
    return folder


class DataFolderUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for large uploads, with its folder made when the first one comes."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        own_upload_folder()
        super().new_file(*args, **kwargs)


def start_with_clean_upload_folder() -> list[Path]:
    """Remove what processes gone left in the upload folders; send temporary files to ours.

    Gives what was removed: the folders of ended processes of this computer, and any file
    lying loose in ``UPLOAD_TEMP_ROOT``. Folders of other computers (a shared data folder) and
    of running processes are kept.
    """
    root = Path(settings.UPLOAD_TEMP_ROOT)
    removed = []
    if root.is_dir():
        for entry in root.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                if _left_by_a_gone_process(entry.name):
                    shutil.rmtree(entry, ignore_errors=True)
                    removed.append(entry)
            else:
                entry.unlink(missing_ok=True)
                removed.append(entry)
    tempfile.tempdir = str(own_upload_folder())
    return removed


def _left_by_a_gone_process(name: str) -> bool:
    """Tell a folder named ``<host>-<pid>`` (settings.FILE_UPLOAD_TEMP_DIR) of a gone process."""
    this_host = Path(settings.FILE_UPLOAD_TEMP_DIR).name.rpartition("-")[0]
    host, _, pid = name.rpartition("-")
    if host != this_host or not pid.isdigit():
        return False
    return int(pid) != os.getpid() and not process_alive(int(pid))


def process_alive(pid: int) -> bool:
    """Give whether process ``pid`` of this computer runs (a zombie, killed but not yet
    reaped by its parent, does not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"
