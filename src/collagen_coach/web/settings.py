"""Django settings for collagen-coach, read from environment variables.

With nothing set, everything is embedded: one SQLite file in the user's data directory.

- ``COLLAGEN_COACH_HOME``: the data directory (default: the platform's user data directory).
- ``DATABASE_URL``: use this database instead, e.g. ``postgres://user@127.0.0.1:5432/db``.
- ``SECRET_KEY``: the signing key; in embedded mode one is made and kept in the data directory.
- ``DEBUG``: ``1`` for development pages.
- ``TIME_ZONE``: the IANA time zone of dates and reminders (default: this computer's).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from platformdirs import user_data_dir

from collagen_coach.local_time import local_time_zone


def data_home() -> Path:
    """Give the data directory, created on first use with owner-only permissions."""
    home = Path(os.environ.get("COLLAGEN_COACH_HOME") or user_data_dir("collagen-coach"))
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    return home


def _secret_key(home: Path) -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = home / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


HOME = data_home()
SECRET_KEY = _secret_key(HOME)
DEBUG = os.environ.get("DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "collagen_coach.web.clients",
    "collagen_coach.web.plans",
    "collagen_coach.web.journal",
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "collagen-coach.sqlite3"),
            "OPTIONS": {
                # WAL keeps the file consistent if the process is killed mid-write; IMMEDIATE
                # takes the write lock up front so two processes never deadlock on upgrade.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
# Django sets the process's TZ to this: on a self-carer's computer it must be the computer's own
# zone, or "today" would be UTC's day (a session refused as in the future, a dose on tomorrow).
TIME_ZONE = os.environ.get("TIME_ZONE") or local_time_zone()
LANGUAGE_CODE = "en"
