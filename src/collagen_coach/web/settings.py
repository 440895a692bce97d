"""Django settings for collagen-coach, read from environment variables.

With nothing set, everything is embedded: one SQLite file in the user's data directory.

- ``COLLAGEN_COACH_HOME``: the data directory (default: the platform's user data directory).
- ``DATABASE_URL``: use this database instead, e.g. ``postgres://user@127.0.0.1:5432/db``.
- ``SECRET_KEY``: the signing key; in embedded mode one is made and kept in the data directory.
- ``DEBUG``: ``1`` (or ``true``) for development pages.
- ``TIME_ZONE``: the IANA time zone of dates and reminders (default: this computer's).
- ``SECURE_COOKIES``: ``1`` (or ``true``) when the app is served over HTTPS (cookies then travel
  only over it).
- ``BEHIND_HTTPS_PROXY``: ``1`` (or ``true``) when an HTTPS proxy in front of the app passes
  requests on over plain HTTP and says ``X-Forwarded-Proto: https`` (the app then treats them as
  HTTPS; set it only when every request comes through such a proxy, which must set the header).
- ``CSRF_TRUSTED_ORIGINS``: the addresses, comma-separated, that pages are opened at through such a
  proxy, e.g. ``https://192.168.1.20:8443`` (forms sent from them are accepted).
- ``COLLAGEN_COACH_LAN_URLS``: set by ``collagen-coach serve --lan``, not by hand: the HTTPS
  addresses it serves on the home network, comma-separated (accepted as hosts and origins, and
  shown on the page Use on your phone).
- ``COLLAGEN_COACH_CLOCK_FILE``: for tests only, and only with ``DEBUG`` on: a file holding the
  date the app takes as today (``web.lib.dates``); refused when ``DEBUG`` is off.
- ``PHOTO_STORAGE_URL``: keep photos in a bucket of S3-compatible storage instead of the data
  directory, e.g. ``s3://coach-photos?endpoint=http://127.0.0.1:9000`` (``web.photo_storage``;
  credentials from ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``).
- ``SITE_URL``: the address people open the app at, e.g. ``https://studio.example.org``; links
  sent away from the site (invitations) start with it. Unset: the address of the request.
- ``EMAIL_HOST``, ``EMAIL_PORT`` (default 587 with ``EMAIL_USE_TLS``, 465 with ``EMAIL_USE_SSL``,
  else 25), ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``, ``EMAIL_USE_SSL``:
  the SMTP server that sends mail (password resets, invitations). With ``EMAIL_HOST`` set, mail
  goes out through it.
- ``EMAIL_BACKEND``: how mail goes out (default: through ``EMAIL_HOST`` when it is set, else
  printed on the server's console, so a reset works offline on one's own computer).
- ``DEFAULT_FROM_EMAIL``: the sender of that mail, e.g. ``Skin Studio <studio@example.org>``.
- ``VAPID_SUBJECT``: who sends reminders pushed to devices, for the push services, e.g.
  ``mailto:studio@example.org`` (default: an https ``SITE_URL``, else that sender's address).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from platformdirs import user_data_dir

from collagen_coach.core.errors import UserError
from collagen_coach.local_time import local_time_zone
from collagen_coach.web.photo_storage import parse_photo_storage_url, photo_storage

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def envport(name: str, default: int) -> int:
    """Read a TCP port from the environment, refusing anything but 1 to 65535."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise UserError(name, f"{raw!r} is not a port", "a whole number from 1 to 65535")
    return int(raw)


def clean_site_url(raw: str) -> str:
    """Give the site's address without a trailing slash, refusing one that is not http(s)."""
    url = raw.strip().rstrip("/")
    if url and (not url.startswith(("http://", "https://")) or "/" in url.split("://", 1)[1]):
        raise UserError(
            "SITE_URL", f"{raw!r} is not a site's address", "e.g. https://studio.example.org"
        )
    return url


def envbool(name: str) -> bool:
    """Read a yes/no setting from the environment, refusing a value that is neither (so that
    ``DEBUG=ture`` is an error, not a silent "off"); unset or empty means no."""
    value = os.environ.get(name, "").strip().lower()
    if value not in _TRUE + _FALSE:
        allowed = "1, true, yes or on for yes; 0, false, no, off or empty for no"
        raise UserError(name, f"{os.environ[name]!r} is neither yes nor no", allowed)
    return value in _TRUE


def data_home() -> Path:
    """Give the data directory, created on first use, readable by its owner only (whatever the
    umask, and also when it was made earlier with wider permissions)."""
    home = Path(os.environ.get("COLLAGEN_COACH_HOME") or user_data_dir("collagen-coach"))
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # someone else's folder, or a read-only disk: left as it is
        home.chmod(0o700)
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
DEBUG = envbool("DEBUG")


def _clock_file(debug: bool) -> str | None:
    """Give the test clock's file (``web.lib.dates``), refusing it unless ``debug``: a moved
    clock on a real server would put every person's sessions, doses and verdicts on wrong days."""
    path = os.environ.get("COLLAGEN_COACH_CLOCK_FILE", "").strip()
    if path and not debug:
        raise UserError(
            "COLLAGEN_COACH_CLOCK_FILE",
            "moves the app's clock for tests, and DEBUG is off",
            "unset it; it works only with DEBUG=1, never on a real server",
        )
    return path or None


CLOCK_FILE = _clock_file(DEBUG)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")


def home_network_urls(raw: str) -> list[str]:
    """Give the HTTPS addresses ``serve --lan`` serves on, each as ``https://host:port``."""
    urls = []
    for part in filter(None, (each.strip() for each in raw.split(","))):
        url = urlsplit(part)
        if url.scheme != "https" or not url.hostname:
            raise UserError(
                "COLLAGEN_COACH_LAN_URLS", f"{part!r} is not an HTTPS address", "set by serve --lan"
            )
        urls.append(f"https://{url.netloc}")
    return urls


# Served on the home network too (serve --lan): its addresses are this site's as well.
HOME_NETWORK_URLS = home_network_urls(os.environ.get("COLLAGEN_COACH_LAN_URLS", ""))
ALLOWED_HOSTS += [urlsplit(url).hostname or "" for url in HOME_NETWORK_URLS]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "collagen_coach.web.accounts",
    "collagen_coach.web.clients",
    "collagen_coach.web.plans",
    "collagen_coach.web.guide",
    "collagen_coach.web.journal",
    "collagen_coach.web.photos",
    "collagen_coach.web.progress",
    "collagen_coach.web.my_data",
    "collagen_coach.web.practice",
    "collagen_coach.web.clinic",
    "collagen_coach.web.operations",
    "collagen_coach.web.phone",
    "collagen_coach.web.reminders",
]

MIDDLEWARE = [
    # Every error under /api/ is the API's JSON error body, whoever answers it.
    "collagen_coach.web.lib.api.errors_as_json",
    "django.middleware.security.SecurityMiddleware",
    # Before the middleware that set cookies, so that it sees their cookies on the way out.
    "collagen_coach.web.middleware.secure_cookies_over_https",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says otherwise (@login_not_required).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "collagen_coach.web.middleware.never_store_private_pages",
    "collagen_coach.web.middleware.refuse_guessing_addresses",
    # A photo bucket that does not answer: 503 and what to do, not a plain server error.
    "collagen_coach.web.middleware.PhotoStoreAway",
    # Login throttling; django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "collagen_coach.web.urls"
WSGI_APPLICATION = "collagen_coach.web.wsgi.application"

_WEB = Path(__file__).resolve().parent
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [_WEB / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "collagen_coach.web.lib.demo.demo",
            ],
        },
    }
]

# Each process's own memory: the default cache (sign-in throttling) and the answers kept for a
# person until her records or the day change (``web.lib.kept``; correct across processes and
# hosts, as what decides a kept answer is read from the database). About 20 KB an answer.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "kept": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kept",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# Static files are served by the app itself (WhiteNoise, straight from the package): nothing is
# fetched from a CDN, so every page works without the internet.
STATIC_URL = "/static/"
STATICFILES_DIRS = [_WEB / "static"]
STATIC_ROOT = None  # nothing to collect: WhiteNoise serves straight from the finders
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Photos live in the data directory, or in the bucket PHOTO_STORAGE_URL names, and have no public
# URL: they are served only by views that check who is asking (photos.views).
PHOTO_ROOT = HOME / "photos"
PHOTO_BUCKET = parse_photo_storage_url(os.environ.get("PHOTO_STORAGE_URL", ""))
if PHOTO_BUCKET is not None:
    # boto3 asks a cloud machine's metadata address for credentials it was not given: the
    # configured endpoint is the only address the app talks to, unless this is set otherwise.
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
STORAGES = {
    "default": photo_storage(PHOTO_BUCKET, PHOTO_ROOT),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A large upload waits in a folder of this process's own inside the data folder, never in the
# system's temporary folder (web.upload_folder says why and who clears it).
UPLOAD_TEMP_ROOT = HOME / "uploading"
FILE_UPLOAD_TEMP_DIR = str(UPLOAD_TEMP_ROOT / f"{socket.gethostname()[:40]}-{os.getpid()}")
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "collagen_coach.web.upload_folder.DataFolderUploadHandler",
]
# A phone photo can be 10–25 MB (HEIC, 48 MP); larger uploads are refused with a message.
PHOTO_MAX_BYTES = 40 * 1024 * 1024

# Accounts: Argon2 first (PBKDF2 stays to read any older hash), login throttled by django-axes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out login may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise UserError("EMAIL_USE_SSL", "is on with EMAIL_USE_TLS", "one of the two at most")
EMAIL_PORT = envport("EMAIL_PORT", 587 if EMAIL_USE_TLS else 465 if EMAIL_USE_SSL else 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = 20  # seconds: a server that does not answer fails the send, not the page
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "collagen-coach@localhost")
SITE_URL = clean_site_url(os.environ.get("SITE_URL", ""))
# Who sends the reminders pushed to devices, for the push services (RFC 8292): a mailto: or an
# https: address; by default SITE_URL when it is https, else DEFAULT_FROM_EMAIL's address.
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "").strip()

# Behind an HTTPS proxy (a phone's camera needs HTTPS): trust its word that the request came over
# HTTPS, and the addresses it is reached at, so that sign-in and forms are accepted through it.
if envbool("BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
] + HOME_NETWORK_URLS

# Cookies: HTTP-only, same-site; Secure when served over HTTPS (SECURE_COOKIES=1), and on every
# answer to a request that came over HTTPS whatever the setting (web.middleware), so that
# `serve --lan` keeps plain HTTP on 127.0.0.1 and Secure cookies on the home network.
SECURE_COOKIES = envbool("SECURE_COOKIES")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: scripts and styles only from the app itself, no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Background work (photo analysis): the database is the queue, so no extra server is needed.
# `collagen-coach worker` runs the tasks; `serve` starts one worker beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

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
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                # A deleted row's text is overwritten with zeros, not left in a free page.
                "PRAGMA secure_delete=ON;",
                "transaction_mode": "IMMEDIATE",
                # A write waits up to this many seconds for another process's write to end,
                # rather than failing with "database is locked" (writes are short: batched).
                "timeout": 60,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
# Django sets the process's TZ to this: on a self-carer's computer it must be the computer's own
# zone, or "today" would be UTC's day (a session refused as in the future, a dose on tomorrow).
TIME_ZONE = os.environ.get("TIME_ZONE") or local_time_zone()
LANGUAGE_CODE = "en"

# A database named by DATABASE_URL may hold many people's records: the command line then names
# the account it works for (--user), and no sign-up takes over records made in the terminal.
SHARED_DATABASE = bool(os.environ.get("DATABASE_URL"))
